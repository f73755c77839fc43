/**
 * Officers and sessions: first-run administrator, only admins add officers,
 * scrypt hashes, wrong password, disabled officer, session lock after
 * inactivity with an injected clock (service and through dispatch).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { OfficerService } from '../../../../electron/core/workflow/officers.js';
import { hashPassword, verifyPassword } from '../../../../electron/core/workflow/officers-password.js';
import type { Caller } from '../../../../electron/core/workflow/types.js';
import { memoryStore } from '../store/helpers.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';

const PASSWORD = 'a long enough passphrase';
const FAST = { N: 2 ** 10, r: 8, p: 1 };
const MINUTE = 60_000;

function setup() {
  let t = Date.parse('2025-06-01T08:00:00.000Z');
  const clock = { advance: (ms: number) => (t += ms), now: () => new Date(t) };
  const store = memoryStore();
  const officers = new OfficerService({ store, lockAfterMinutes: 15, now: clock.now, scrypt: FAST });
  return { store, officers, clock };
}

const anonymous: Caller = { kind: 'anonymous' };

describe('password hashes', () => {
  test('scrypt with a per-hash salt and its parameters in the string; verify accepts only the password', async () => {
    const a = await hashPassword(PASSWORD, FAST);
    const b = await hashPassword(PASSWORD, FAST);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b); // salts differ
    expect(a).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword(PASSWORD + ' ', a)).toBe(false);
    expect(await verifyPassword(PASSWORD, 'scrypt$garbage')).toBe(false);
    expect(await verifyPassword(PASSWORD, 'plain')).toBe(false);
  });
});

describe('OfficerService', () => {
  test('the first officer must be an administrator; afterwards only an administrator adds officers', async () => {
    const { officers, store } = setup();
    expect(officers.isFirstRun()).toBe(true);
    await expect(officers.add({ username: 'reg', displayName: 'Reg', password: PASSWORD, roles: ['registration'] }, anonymous)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const admin = await officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, anonymous);
    expect(officers.isFirstRun()).toBe(false);
    await expect(officers.add({ username: 'reg', displayName: 'Reg', password: PASSWORD, roles: ['registration'] }, anonymous)).rejects.toMatchObject({ code: 'NOT_AUTHENTICATED' });
    const adminCaller: Caller = { kind: 'officer', officer: admin, sessionId: 's' };
    const reg = await officers.add({ username: 'reg', displayName: 'Reg', password: PASSWORD, roles: ['registration', 'approver'] }, adminCaller);
    expect(reg.roles).toEqual(['registration', 'approver']);
    const regCaller: Caller = { kind: 'officer', officer: reg, sessionId: 's2' };
    await expect(officers.add({ username: 'other', displayName: 'O', password: PASSWORD, roles: ['auditor'] }, regCaller)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('Administrator'),
    });
    await expect(officers.add({ username: 'reg', displayName: 'Dup', password: PASSWORD, roles: ['auditor'] }, adminCaller)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(officers.add({ username: 'short', displayName: 'S', password: 'short', roles: ['auditor'] }, adminCaller)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    // A display name that would reorder or rewrite what is shown around it (contract/plain-text.ts).
    for (const displayName of ['Reg\u202Eeviled', 'Re\u200Bg', 'Reg\u001b[2J']) {
      await expect(officers.add({ username: 'plain', displayName, password: PASSWORD, roles: ['auditor'] }, adminCaller)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect(store.officers.getByUsername('plain')).toBeUndefined();
    // The stored row holds a hash, never the password; the audit names the officer, never the password.
    expect(store.officers.passwordHash(reg.id)).toMatch(/^scrypt\$/);
    expect(JSON.stringify(store.db.prepare('SELECT * FROM officers').all())).not.toContain(PASSWORD);
    expect(JSON.stringify(store.audit.list())).not.toContain(PASSWORD);
    expect(store.audit.list().filter((e) => e.action === 'officer.added').map((e) => e.actor)).toEqual(['first-run', 'admin']);
  });

  test('wrong password and unknown username: the same NOT_AUTHENTICATED sentence, audited as refused', async () => {
    const { officers, store } = setup();
    await officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, anonymous);
    const wrong = await officers.login('c1', 'admin', 'not the password').catch((e) => e);
    const unknown = await officers.login('c1', 'nobody', PASSWORD).catch((e) => e);
    expect(wrong).toMatchObject({ code: 'NOT_AUTHENTICATED', message: 'The username or password is wrong.' });
    expect(unknown).toMatchObject({ code: 'NOT_AUTHENTICATED', message: 'The username or password is wrong.' });
    expect(() => officers.caller('c1')).toThrow(expect.objectContaining({ code: 'NOT_AUTHENTICATED' }));
    expect(store.audit.list().filter((e) => e.action === 'officer.login').map((e) => e.outcome)).toEqual(['refused', 'refused']);
    expect(JSON.stringify(store.audit.list())).not.toContain('not the password');
  });

  test('a disabled officer cannot log in, and an open session of theirs ends at the next call', async () => {
    const { officers } = setup();
    const admin = await officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, anonymous);
    const adminCaller: Caller = { kind: 'officer', officer: admin, sessionId: 's' };
    const reg = await officers.add({ username: 'reg', displayName: 'Reg', password: PASSWORD, roles: ['registration'] }, adminCaller);
    await officers.login('c-reg', 'reg', PASSWORD);
    expect(officers.caller('c-reg').officer.username).toBe('reg');
    officers.setStatus(reg.id, 'disabled', adminCaller);
    expect(() => officers.caller('c-reg')).toThrow(expect.objectContaining({ code: 'NOT_AUTHENTICATED' }));
    await expect(officers.login('c-reg', 'reg', PASSWORD)).rejects.toMatchObject({ code: 'NOT_AUTHENTICATED', message: expect.stringContaining('disabled') });
    expect(() => officers.setStatus(admin.id, 'disabled', adminCaller)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    officers.setStatus(reg.id, 'active', adminCaller);
    await officers.login('c-reg', 'reg', PASSWORD);
    expect(officers.caller('c-reg').officer.status).toBe('active');
  });

  test('session lock after inactivity: activity keeps it open, idle locks it once, login again unlocks', async () => {
    const { officers, clock } = setup();
    await officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, anonymous);
    const locked: string[] = [];
    officers.onLocked((c) => locked.push(c));
    await officers.login('c1', 'admin', PASSWORD);
    await officers.login('c2', 'admin', PASSWORD);
    clock.advance(14 * MINUTE);
    officers.caller('c1'); // activity on c1 only
    clock.advance(2 * MINUTE);
    officers.checkIdle();
    expect(locked).toEqual(['c2']);
    expect(officers.status('c2')).toMatchObject({ locked: true, officer: { username: 'admin' }, lockAfterSeconds: 900 });
    expect(() => officers.caller('c2')).toThrow(expect.objectContaining({ code: 'SESSION_LOCKED' }));
    expect(officers.caller('c1').officer.username).toBe('admin');
    clock.advance(15 * MINUTE);
    expect(() => officers.caller('c1')).toThrow(expect.objectContaining({ code: 'SESSION_LOCKED' }));
    officers.checkIdle();
    expect(locked).toEqual(['c2', 'c1']); // each lock reported once
    await officers.login('c2', 'admin', PASSWORD);
    expect(officers.status('c2').locked).toBe(false);
    expect(officers.caller('c2').officer.username).toBe('admin');
    officers.logout('c2');
    expect(() => officers.caller('c2')).toThrow(expect.objectContaining({ code: 'NOT_AUTHENTICATED' }));
  });
});

describe('sessions through dispatch', () => {
  let ts: TrainingStation | undefined;
  afterEach(async () => {
    await ts?.close();
    ts = undefined;
  });

  test('first run: auth.status says so, firstRunAdmin creates the admin and logs in, a second one is refused', async () => {
    ts = await openTrainingStation();
    const core = ts.station.core();
    expect(await core.dispatch('auth.status', {}, 'w1')).toEqual({ ok: true, value: { firstRun: true, officer: null, locked: false, lockAfterSeconds: 900 } });
    const created = await core.dispatch('auth.firstRunAdmin', { username: 'chief', displayName: 'Chief', password: PASSWORD }, 'w1');
    expect(created).toMatchObject({ ok: true, value: { username: 'chief', roles: ['admin'] } });
    expect(await core.dispatch('auth.status', {}, 'w1')).toMatchObject({ ok: true, value: { firstRun: false, officer: { username: 'chief' } } });
    expect(await core.dispatch('officers.list', {}, 'w1')).toMatchObject({ ok: true, value: [{ username: 'chief' }] });
    expect(await core.dispatch('auth.firstRunAdmin', { username: 'thief', displayName: 'Thief', password: PASSWORD }, 'w2')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // The admin role alone does not open registration work.
    expect(await core.dispatch('persons.add', { givenName: 'A', surname: 'B', affiliation: 'visitor' }, 'w1')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  test('an idle connection is locked: SESSION_LOCKED on calls, session.locked sent to that connection only, auth.* still answer', async () => {
    let t = Date.parse('2025-06-01T08:00:00.000Z');
    ts = await openTrainingStation({}, { now: () => new Date(t) });
    const core = ts.station.core();
    const events: [unknown, string | undefined][] = [];
    core.on('session.locked', (p, target) => events.push([p, target]));
    await ts.login(core, 'idle');
    await ts.login(core, 'busy');
    t += 10 * MINUTE;
    expect((await core.dispatch('persons.search', { query: 'x' }, 'busy')).ok).toBe(true);
    t += 6 * MINUTE;
    expect(await core.dispatch('persons.search', { query: 'x' }, 'idle')).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
    expect(events).toEqual([[{}, 'idle']]);
    expect((await core.dispatch('persons.search', { query: 'x' }, 'busy')).ok).toBe(true);
    expect(await core.dispatch('station.info', {}, 'idle')).toMatchObject({ ok: true });
    expect(await core.dispatch('auth.status', {}, 'idle')).toMatchObject({ ok: true, value: { locked: true } });
    await ts.login(core, 'idle');
    expect((await core.dispatch('persons.search', { query: 'x' }, 'idle')).ok).toBe(true);
    expect(await core.dispatch('auth.logout', {}, 'idle')).toEqual({ ok: true, value: {} });
    expect(await core.dispatch('persons.search', { query: 'x' }, 'idle')).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
  });
});
