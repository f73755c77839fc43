/**
 * Officer account administration (issue 12 obs. 9): edit name and roles,
 * disable and re-enable, reset a password (a one-time generated password),
 * each audited, through the dispatcher; the account rules
 * (contract/officer-rules.ts accountChangeProblem) refuse disabling oneself,
 * taking the Administrator role from oneself and leaving the station without
 * an active administrator. The role table's rows come from CHANNEL_ROLES and
 * the state machines (contract/role-abilities.ts).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { OfficerService } from '../../../../electron/core/workflow/officers.js';
import { generatePassword, verifyPassword } from '../../../../electron/core/workflow/officers-password.js';
import { accountChangeProblem, passwordProblem, ROLES, type AccountView } from '../../../../electron/contract/officer-rules.js';
import { roleAbilities } from '../../../../electron/contract/role-abilities.js';
import { CHANNEL_ROLES } from '../../../../electron/contract/station-api.js';
import type { Caller } from '../../../../electron/core/workflow/types.js';
import { memoryStore } from '../store/helpers.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';

const PASSWORD = 'a long enough passphrase';
const FAST = { N: 2 ** 10, r: 8, p: 1 };

async function setup() {
  const store = memoryStore();
  const officers = new OfficerService({ store, lockAfterMinutes: 15, scrypt: FAST });
  const admin = await officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, { kind: 'anonymous' });
  const adminCaller: Caller = { kind: 'officer', officer: admin, sessionId: 'c-admin' };
  const reg = await officers.add({ username: 'reg', displayName: 'Reg', password: PASSWORD, roles: ['registration'] }, adminCaller);
  return { store, officers, admin, adminCaller, reg };
}

describe('accountChangeProblem (the account rules, written once)', () => {
  const a: AccountView = { id: 'a', username: 'ada', status: 'active', roles: ['admin'] };
  const b: AccountView = { id: 'b', username: 'bob', status: 'active', roles: ['admin', 'auditor'] };
  const c: AccountView = { id: 'c', username: 'cy', status: 'active', roles: ['registration'] };

  test('nobody disables their own account or takes the Administrator role from themselves', () => {
    expect(accountChangeProblem('a', a, { status: 'disabled' }, [a, b, c])?.rule).toBe('disableSelf');
    expect(accountChangeProblem('a', a, { roles: ['auditor'] }, [a, b, c])?.rule).toBe('demoteSelf');
    expect(accountChangeProblem('a', a, { roles: ['admin', 'auditor'] }, [a, b, c])).toBeNull();
  });

  test('the last active administrator can be neither disabled nor demoted; with another one they can', () => {
    expect(accountChangeProblem('b', a, { status: 'disabled' }, [a, b, c])).toBeNull();
    expect(accountChangeProblem('b', a, { roles: ['auditor'] }, [a, b, c])).toBeNull();
    const bDisabled = { ...b, status: 'disabled' as const };
    // b acts (as a session that predates the disabling would) on a, the last active administrator.
    const last = accountChangeProblem('b', a, { status: 'disabled' }, [a, bDisabled, c]);
    expect(last).toMatchObject({ rule: 'lastAdmin', sentence: expect.stringContaining('ada is the last active Administrator') });
    expect(accountChangeProblem('b', a, { roles: ['registration'] }, [a, bDisabled, c])?.rule).toBe('lastAdmin');
    // Other officers' changes never meet the rule; re-enabling is always possible.
    expect(accountChangeProblem('a', c, { status: 'disabled' }, [a, bDisabled, c])).toBeNull();
    expect(accountChangeProblem('a', bDisabled, { status: 'active' }, [a, bDisabled, c])).toBeNull();
  });
});

describe('generatePassword', () => {
  test('five groups of four from the look-alike-free alphabet, accepted by the password rule, never the same twice', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generatePassword();
      expect(p).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){4}$/);
      expect(passwordProblem(p)).toBeNull();
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });
});

describe('OfficerService account administration', () => {
  test('edit the name and roles: audited with old and new values; nothing audited when nothing changes', async () => {
    const { officers, store, adminCaller, reg } = await setup();
    const edited = officers.update(reg.id, { displayName: 'Reginald', roles: ['approver', 'registration'] }, adminCaller);
    expect(edited).toMatchObject({ displayName: 'Reginald', roles: ['registration', 'approver'] });
    expect(store.officers.get(reg.id)).toMatchObject({ displayName: 'Reginald', roles: ['registration', 'approver'] });
    const audit = store.audit.list().filter((e) => e.action === 'officer.updated');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'admin', outcome: 'ok', details: { username: 'reg', displayName: 'Reg → Reginald', roles: 'registration → registration,approver' } });
    officers.update(reg.id, { displayName: 'Reginald' }, adminCaller);
    expect(store.audit.list().filter((e) => e.action === 'officer.updated')).toHaveLength(1);
  });

  test('a registration officer may not edit, disable or reset anyone', async () => {
    const { officers, admin, reg, store } = await setup();
    const regCaller: Caller = { kind: 'officer', officer: reg, sessionId: 'c-reg' };
    expect(() => officers.update(admin.id, { roles: ['registration'] }, regCaller)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => officers.setStatus(admin.id, 'disabled', regCaller)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    await expect(officers.resetPassword(admin.id, regCaller)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(store.officers.get(admin.id)).toMatchObject({ status: 'active', roles: ['admin'] });
  });

  test('disable ends the officer’s sessions at once and refuses their login; re-enable lets them in; both audited', async () => {
    const { officers, store, admin, adminCaller, reg } = await setup();
    await officers.login('c-reg', 'reg', PASSWORD);
    officers.setStatus(reg.id, 'disabled', adminCaller);
    expect(officers.hasSession('c-reg')).toBe(false);
    expect(() => officers.caller('c-reg')).toThrow(expect.objectContaining({ code: 'NOT_AUTHENTICATED' }));
    await expect(officers.login('c-reg', 'reg', PASSWORD)).rejects.toMatchObject({ message: expect.stringContaining('disabled') });
    officers.setStatus(reg.id, 'active', adminCaller);
    await officers.login('c-reg', 'reg', PASSWORD);
    expect(store.audit.list().filter((e) => e.action.startsWith('officer.') && e.action.endsWith('abled')).map((e) => [e.action, e.outcome])).toEqual([
      ['officer.disabled', 'ok'],
      ['officer.enabled', 'ok'],
    ]);
    // Oneself: refused with the rule, audited as refused, nothing changed.
    expect(() => officers.setStatus(admin.id, 'disabled', adminCaller)).toThrow(expect.objectContaining({ code: 'FORBIDDEN', details: { rule: 'disableSelf' } }));
    expect(store.audit.list().at(-1)).toMatchObject({ action: 'officer.disabled', outcome: 'refused', details: { rule: 'disableSelf' } });
    expect(store.officers.get(admin.id)?.status).toBe('active');
  });

  test('the last active administrator: a second administrator cannot demote or disable them once the others are disabled', async () => {
    const { officers, store, admin, adminCaller } = await setup();
    const second = await officers.add({ username: 'second', displayName: 'Second', password: PASSWORD, roles: ['admin'] }, adminCaller);
    const secondCaller: Caller = { kind: 'officer', officer: second, sessionId: 'c-second' };
    // Demoting oneself is refused even while another administrator exists.
    expect(() => officers.update(admin.id, { roles: ['auditor'] }, adminCaller)).toThrow(expect.objectContaining({ details: { rule: 'demoteSelf' } }));
    officers.setStatus(second.id, 'disabled', adminCaller);
    // A session of `second` that predates the disabling is refused by dispatch; the rule refuses it here too.
    expect(() => officers.setStatus(admin.id, 'disabled', secondCaller)).toThrow(expect.objectContaining({ details: { rule: 'lastAdmin' } }));
    expect(() => officers.update(admin.id, { roles: ['auditor'] }, secondCaller)).toThrow(expect.objectContaining({ details: { rule: 'lastAdmin' } }));
    expect(store.officers.get(admin.id)).toMatchObject({ status: 'active', roles: ['admin'] });
  });

  test('reset password: a one-time generated password replaces the old one, ends the sessions, and appears nowhere in the store or audit', async () => {
    const { officers, store, adminCaller, reg } = await setup();
    await officers.login('c-reg', 'reg', PASSWORD);
    const { officer, password } = await officers.resetPassword(reg.id, adminCaller);
    expect(officer.username).toBe('reg');
    expect(officers.hasSession('c-reg')).toBe(false);
    await expect(officers.login('c-reg', 'reg', PASSWORD)).rejects.toMatchObject({ code: 'NOT_AUTHENTICATED' });
    expect(await verifyPassword(password, store.officers.passwordHash(reg.id)!)).toBe(true);
    await officers.login('c-reg', 'reg', password);
    expect(store.audit.list().filter((e) => e.action === 'officer.passwordReset')).toMatchObject([{ actor: 'admin', outcome: 'ok', details: { username: 'reg' } }]);
    expect(JSON.stringify(store.audit.list())).not.toContain(password);
    expect(JSON.stringify(store.db.prepare('SELECT * FROM officers').all())).not.toContain(password);
  });
});

describe('through the dispatcher', () => {
  let ts: TrainingStation | undefined;
  afterEach(async () => {
    await ts?.close();
    ts = undefined;
  });

  test('officers.update, officers.setStatus and officers.resetPassword: the caller is the logged-in administrator', async () => {
    ts = await openTrainingStation();
    const { station } = ts;
    const core = station.core();
    const admin = await station.officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, { kind: 'anonymous' });
    await station.officers.add({ username: 'reg', displayName: 'Reg', password: PASSWORD, roles: ['registration'] }, { kind: 'officer', officer: admin, sessionId: 'x' });
    const reg = station.officers.list().find((o) => o.username === 'reg')!;
    await core.dispatch('auth.login', { username: 'reg', password: PASSWORD }, 'c-reg');
    expect((await core.dispatch('officers.setStatus', { officerId: admin.id, status: 'disabled' }, 'c-reg')).ok).toBe(false);
    await core.dispatch('auth.login', { username: 'admin', password: PASSWORD }, 'c-admin');
    const updated = await core.dispatch('officers.update', { officerId: reg.id, roles: ['registration', 'auditor'] }, 'c-admin');
    expect(updated).toMatchObject({ ok: true, value: { roles: ['registration', 'auditor'] } });
    const self = await core.dispatch('officers.setStatus', { officerId: admin.id, status: 'disabled' }, 'c-admin');
    expect(self).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'disableSelf' } } });
    const reset = await core.dispatch('officers.resetPassword', { officerId: reg.id }, 'c-admin');
    expect(reset.ok).toBe(true);
    const password = reset.ok ? (reset.value as { password: string }).password : '';
    expect((await core.dispatch('auth.login', { username: 'reg', password }, 'c-reg2')).ok).toBe(true);
    const disabled = await core.dispatch('officers.setStatus', { officerId: reg.id, status: 'disabled' }, 'c-admin');
    expect(disabled).toMatchObject({ ok: true, value: { status: 'disabled' } });
    expect(await core.dispatch('requests.list', {}, 'c-reg2')).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
  });
});

describe('the role table (role-abilities.ts)', () => {
  test('each role lists exactly the worded channels CHANNEL_ROLES gives it, and the duty limits of the rows it carries', () => {
    for (const role of ROLES) {
      const { may } = roleAbilities(role);
      expect(may.length).toBeGreaterThan(0);
    }
    expect(roleAbilities('approver').may).toEqual(['approve card requests', 'reject card requests']);
    expect(roleAbilities('approver').limits).toEqual(expect.arrayContaining(['You created this request: another approver must approve it.']));
    expect(roleAbilities('admin').may).toEqual(expect.arrayContaining(['add officers', 'disable and re-enable officers', 'reset officers’ passwords', 'change card profiles']));
    expect(roleAbilities('admin').may).not.toContain('revoke cards');
    expect(roleAbilities('security').may).toContain('revoke cards');
    expect(roleAbilities('production').limits).toEqual(expect.arrayContaining(['You approved this card: another production officer must produce it.']));
    // Moving a channel to another role moves its words: the table reads CHANNEL_ROLES.
    expect(CHANNEL_ROLES['cards.revoke']).toEqual(['security']);
  });
});
