/**
 * Officer login throttling (issue 10, finding 6), with an injected clock:
 * growing delays per username and per connection, lockout after N failures
 * (an administrator unlocks, audited), the last administrator's lockout lifts
 * by itself, at most one password check in flight per connection, and a
 * flood on one connection does not hold up a genuine login on another.
 */
import { describe, expect, test } from 'vitest';
import { delayAfter, LOGIN_POLICY } from '../../../../electron/core/workflow/login-throttle.js';
import { OfficerService } from '../../../../electron/core/workflow/officers.js';
import { verifyPassword } from '../../../../electron/core/workflow/officers-password.js';
import type { Caller, Officer } from '../../../../electron/core/workflow/types.js';
import { isStationError } from '../../../../electron/core/errors.js';
import type { StationStore } from '../../../../electron/core/store/store.js';
import { memoryStore } from '../store/helpers.js';

const PASSWORD = 'a long enough passphrase';
const WRONG = 'not the passphrase at all';
const FAST = { N: 2 ** 10, r: 8, p: 1 };
const anonymous: Caller = { kind: 'anonymous' };
const as = (officer: Officer): Caller => ({ kind: 'officer', officer, sessionId: 'admin-session' });

/** A clock the test moves. */
function clock(start = '2025-06-01T08:00:00.000Z') {
  let t = Date.parse(start);
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

/** Officers over `store` with a counted password check (every scrypt run). */
function officersOn(store: StationStore, now: () => Date, check: (p: string, h: string) => Promise<boolean> = verifyPassword) {
  const checks = { count: 0 };
  const officers = new OfficerService({
    store,
    lockAfterMinutes: 15,
    now,
    scrypt: FAST,
    checkPassword: (p, h) => {
      checks.count++;
      return check(p, h);
    },
  });
  return { officers, checks };
}

async function setup() {
  const c = clock();
  const store = memoryStore();
  const { officers, checks } = officersOn(store, c.now);
  const admin = await officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, anonymous);
  const reg = await officers.add({ username: 'reg', displayName: 'Reg', password: PASSWORD, roles: ['registration'] }, as(admin));
  return { store, officers, checks, clock: c, admin, reg };
}

/** The error code of a login attempt (null when it succeeded). */
async function attempt(officers: OfficerService, username: string, password: string, connectionId = 'conn-1'): Promise<string | null> {
  try {
    await officers.login(connectionId, username, password);
    return null;
  } catch (e) {
    if (isStationError(e)) return e.code;
    throw e;
  }
}

describe('delays', () => {
  test('the first failures are free, then each waits twice as long, up to five minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => delayAfter(n))).toEqual([0, 0, 0, 1_000, 2_000, 4_000, 8_000]);
    expect(delayAfter(40)).toBe(LOGIN_POLICY.maxDelayMs);
  });

  test('per username: after the free failures the next attempt waits, and checks no password meanwhile (not even the right one)', async () => {
    const { officers, checks, clock } = await setup();
    for (let i = 0; i < 4; i++) expect(await attempt(officers, 'reg', WRONG, `c${i}`)).toBe('NOT_AUTHENTICATED');
    const before = checks.count;
    const refused = await officers.login('another', 'reg', PASSWORD).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'LOGIN_THROTTLED', details: { retryAfterSeconds: 1, rule: 'username' } });
    expect(checks.count).toBe(before);
    clock.advance(1_000);
    expect(await attempt(officers, 'reg', WRONG, 'c5')).toBe('NOT_AUTHENTICATED'); // 5th failure: 2 s
    clock.advance(1_999);
    expect(await attempt(officers, 'reg', PASSWORD, 'c6')).toBe('LOGIN_THROTTLED');
    clock.advance(1);
    expect(await attempt(officers, 'reg', PASSWORD, 'c7')).toBeNull();
    // A success forgets the failures.
    expect(await attempt(officers, 'reg', WRONG, 'c8')).toBe('NOT_AUTHENTICATED');
    expect(await attempt(officers, 'reg', PASSWORD, 'c9')).toBeNull();
  });

  test('per connection: one connection trying many usernames is slowed down; another connection is not', async () => {
    const { officers, clock } = await setup();
    for (const u of ['ann', 'bob', 'cat', 'dan']) expect(await attempt(officers, u, WRONG, 'guesser')).toBe('NOT_AUTHENTICATED');
    const refused = await officers.login('guesser', 'eve', WRONG).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'LOGIN_THROTTLED', details: { rule: 'connection', retryAfterSeconds: 1 } });
    expect(await attempt(officers, 'reg', PASSWORD, 'desk')).toBeNull();
    clock.advance(1_000);
    expect(await attempt(officers, 'eve', WRONG, 'guesser')).toBe('NOT_AUTHENTICATED');
  });
});

describe('lockout', () => {
  test('after ten failures the account is locked, in every process, until an administrator unlocks it (audited)', async () => {
    const { store, officers, clock, admin, reg } = await setup();
    for (let i = 0; i < LOGIN_POLICY.lockAfter; i++) {
      expect(await attempt(officers, 'reg', WRONG, `c${i}`)).toBe('NOT_AUTHENTICATED');
      clock.advance(LOGIN_POLICY.maxDelayMs);
    }
    expect(await attempt(officers, 'reg', PASSWORD, 'desk')).toBe('ACCOUNT_LOCKED');
    clock.advance(7 * 24 * 60 * 60_000);
    expect(await attempt(officers, 'reg', PASSWORD, 'desk')).toBe('ACCOUNT_LOCKED');
    // Another process on the same data dir (the CLI) sees the same lock.
    const other = officersOn(store, clock.now).officers;
    expect(await attempt(other, 'reg', PASSWORD, 'cli')).toBe('ACCOUNT_LOCKED');
    expect(officers.list().find((o) => o.username === 'reg')?.loginLocked).toBe(true);
    expect(store.audit.list().some((e) => e.action === 'officer.locked' && e.details?.username === 'reg')).toBe(true);

    expect(() => officers.unlock(reg.id, anonymous)).toThrow(/Log in/);
    const unlocked = officers.unlock(reg.id, as(admin));
    expect(unlocked.loginLocked).toBe(false);
    expect(store.audit.list().find((e) => e.action === 'officer.unlocked')).toMatchObject({ actor: 'admin', details: { officerId: reg.id, wasLocked: true } });
    expect(await attempt(officers, 'reg', PASSWORD, 'desk')).toBeNull();
  });

  test('the last administrator is never locked out for good: the lockout lifts by itself', async () => {
    const { officers, clock } = await setup();
    for (let i = 0; i < LOGIN_POLICY.lockAfter; i++) {
      await attempt(officers, 'admin', WRONG, `c${i}`);
      clock.advance(LOGIN_POLICY.maxDelayMs);
    }
    const refused = await officers.login('desk', 'admin', PASSWORD).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'ACCOUNT_LOCKED', details: { retryAfterSeconds: expect.any(Number) } });
    clock.advance(LOGIN_POLICY.lastAdminLockMs - LOGIN_POLICY.maxDelayMs);
    expect(await attempt(officers, 'admin', PASSWORD, 'desk')).toBeNull();
    expect(officers.list().find((o) => o.username === 'admin')?.loginLocked).toBe(false);
  });

  test('with a second, unlocked administrator, an administrator is locked for good like anyone', async () => {
    const { officers, clock, admin } = await setup();
    await officers.add({ username: 'admin2', displayName: 'Admin Two', password: PASSWORD, roles: ['admin'] }, as(admin));
    for (let i = 0; i < LOGIN_POLICY.lockAfter; i++) {
      await attempt(officers, 'admin', WRONG, `c${i}`);
      clock.advance(LOGIN_POLICY.maxDelayMs);
    }
    clock.advance(LOGIN_POLICY.lastAdminLockMs);
    expect(await attempt(officers, 'admin', PASSWORD, 'desk')).toBe('ACCOUNT_LOCKED');
    // admin2 is now the last free administrator: their lockout would lift by itself.
    for (let i = 0; i < LOGIN_POLICY.lockAfter; i++) {
      await attempt(officers, 'admin2', WRONG, `d${i}`);
      clock.advance(LOGIN_POLICY.maxDelayMs);
    }
    clock.advance(LOGIN_POLICY.lastAdminLockMs);
    expect(await attempt(officers, 'admin2', PASSWORD, 'desk')).toBeNull();
  });

  test('an unknown username is answered exactly like a known one (no enumeration)', async () => {
    const { officers, clock } = await setup();
    const answers = async (username: string) => {
      const codes: (string | null)[] = [];
      for (let i = 0; i < LOGIN_POLICY.lockAfter + 1; i++) {
        codes.push(await attempt(officers, username, WRONG, `${username}-${i}`));
        clock.advance(LOGIN_POLICY.maxDelayMs);
      }
      return codes;
    };
    expect(await answers('ghost')).toEqual(await answers('reg'));
  });
});

describe('one login in flight per connection', () => {
  test('a flood on one connection runs one password check; a genuine login on another connection is not held up', async () => {
    const c = clock();
    const store = memoryStore();
    // Password checks of the flooding connection never finish until the test lets them.
    let releaseFlood!: () => void;
    const flood = new Promise<void>((r) => (releaseFlood = r));
    let floodChecks = 0;
    const { officers } = officersOn(store, c.now, async (password, hash) => {
      if (password === WRONG) {
        floodChecks++;
        await flood;
        return false;
      }
      return verifyPassword(password, hash);
    });
    await officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, anonymous);

    const attempts = Array.from({ length: 60 }, () => officers.login('flood', 'admin', WRONG).catch((e: unknown) => e));
    // The genuine login completes while the flood's one check is still running.
    const genuine = await officers.login('desk', 'admin', PASSWORD);
    expect(genuine.username).toBe('admin');
    expect(floodChecks).toBe(1);
    releaseFlood();
    const results = await Promise.all(attempts);
    const codes = results.map((r) => (isStationError(r) ? r.code : 'ok'));
    expect(codes.filter((code) => code === 'LOGIN_THROTTLED')).toHaveLength(59);
    expect(codes.filter((code) => code === 'NOT_AUTHENTICATED')).toHaveLength(1);
    expect(results.find((r) => isStationError(r, 'LOGIN_THROTTLED'))).toMatchObject({ details: { rule: 'oneAtATime' } });
  });
});
