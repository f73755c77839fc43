/**
 * Officer login throttling (issue 10, finding 6: about 9 guesses a second over
 * one socket, unlimited; 60 pipelined logins on one socket delayed a genuine
 * login on another by 6 s).
 *
 * Rules, per username (in the store, so every process on the data dir counts
 * the same failures; unknown usernames are counted alike, so the answers never
 * tell which exist) and per connection (in memory):
 * - the first LOGIN_POLICY.freeFailures consecutive failures cost nothing; after
 *   that each failure makes the next attempt wait, 1 s doubling up to 5 min
 *   (NIST SP 800-63B §5.2.2 "rate limiting");
 * - after LOGIN_POLICY.lockAfter consecutive failures of a username the account
 *   is locked until an administrator unlocks it (audited), except the last
 *   active administrator who is not locked: their lockout lasts
 *   LOGIN_POLICY.lastAdminLockMs and then lifts by itself, so the station can
 *   never lose its last administrator to a guessing attack;
 * - at most one password check is in flight per connection: a second login on
 *   the same connection meanwhile is refused at once. scrypt is costly on
 *   purpose; refusing before it runs is what keeps a flood on one connection
 *   from taking the CPU (and libuv's thread pool) a genuine login on another
 *   connection needs.
 * A refusal by delay or lock checks no password at all, so it tells nothing
 * about the password either. A success clears the username's and the
 * connection's failures.
 */
import { StationError } from '../errors.js';
import type { StationStore } from '../store/store.js';

/** The throttling policy; every duration in milliseconds. */
export interface LoginPolicy {
  /** Consecutive failures that cost no delay. */
  freeFailures: number;
  /** Delay after the first failure past the free ones; doubles with each further failure. */
  baseDelayMs: number;
  /** Longest delay between two attempts. */
  maxDelayMs: number;
  /** Consecutive failures of a username that lock the account. */
  lockAfter: number;
  /** How long the last administrator's lockout lasts (it lifts by itself). */
  lastAdminLockMs: number;
  /** Failures older than this are forgotten (unless the account is locked). */
  forgetAfterMs: number;
}

export const LOGIN_POLICY: LoginPolicy = {
  freeFailures: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  lockAfter: 10,
  lastAdminLockMs: 15 * 60_000,
  forgetAfterMs: 24 * 60 * 60_000,
};

/**
 * The wait before the attempt after `failures` consecutive failures.
 * @returns milliseconds (0 while the failures are free)
 */
export function delayAfter(failures: number, policy: LoginPolicy = LOGIN_POLICY): number {
  if (failures <= policy.freeFailures) return 0;
  return Math.min(policy.baseDelayMs * 2 ** (failures - policy.freeFailures - 1), policy.maxDelayMs);
}

/** What a failure led to, for the audit and the caller's answer. */
export interface FailureOutcome {
  /** Consecutive failures of the username now. */
  failures: number;
  /** Seconds until the next attempt for this username (0: none to wait). */
  retryAfterSeconds: number;
  /** 'admin': locked until an administrator unlocks; 'timed': the last administrator's lockout, lifting by itself. */
  locked: 'admin' | 'timed' | null;
}

/** What the throttle needs. */
export interface LoginThrottleDeps {
  store: Pick<StationStore, 'loginThrottle'>;
  now: () => Date;
  policy?: LoginPolicy;
  /**
   * False when locking `username` for good would leave the station without an
   * administrator who can log in (it is the last active, unlocked administrator).
   */
  mayLockForGood(username: string): boolean;
}

interface ConnectionState {
  failures: number;
  /** ms since the epoch. */
  lastFailure: number;
  nextAttempt: number;
  inFlight: boolean;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

function throttled(retryAfterMs: number, rule: 'oneAtATime' | 'connection' | 'username'): StationError {
  const s = seconds(retryAfterMs);
  const sentence =
    rule === 'oneAtATime' ? 'A login is already being checked on this window: wait for its answer.' : `Too many failed logins: try again in ${s} second${s === 1 ? '' : 's'}.`;
  return new StationError('LOGIN_THROTTLED', sentence, { retryAfterSeconds: s, rule });
}

/** The sentence of a locked account: the same for every username, known or not. */
export const ACCOUNT_LOCKED_SENTENCE = 'This account is locked after too many failed logins: an administrator must unlock it.';

/** Login throttling over the store's per-username memory and this process's connections. */
export class LoginThrottle {
  private readonly connections = new Map<string, ConnectionState>();
  private readonly policy: LoginPolicy;

  constructor(private readonly deps: LoginThrottleDeps) {
    this.policy = deps.policy ?? LOGIN_POLICY;
  }

  /**
   * Admits one password check of `username` on `connectionId`, or refuses it
   * before any password is looked at.
   * @returns releases the connection's slot: call it once the check ended, however it ended
   * @throws StationError LOGIN_THROTTLED (details.retryAfterSeconds, details.rule: oneAtATime,
   *   connection or username), ACCOUNT_LOCKED (an administrator must unlock, or the last
   *   administrator's lockout has not lifted yet: then details.retryAfterSeconds)
   */
  admit(username: string, connectionId: string): () => void {
    const now = this.deps.now().getTime();
    const conn = this.connections.get(connectionId);
    if (conn?.inFlight) throw throttled(this.policy.baseDelayMs, 'oneAtATime');
    if (conn && conn.nextAttempt > now) throw throttled(conn.nextAttempt - now, 'connection');
    const rec = this.deps.store.loginThrottle.get(username);
    if (rec?.lockedAt) throw new StationError('ACCOUNT_LOCKED', ACCOUNT_LOCKED_SENTENCE);
    const next = rec?.nextAttemptAt ? Date.parse(rec.nextAttemptAt) : 0;
    if (next > now) {
      if (rec && rec.failures >= this.policy.lockAfter) {
        throw new StationError('ACCOUNT_LOCKED', `This account is locked after too many failed logins: try again in ${Math.ceil((next - now) / 60_000)} minutes.`, {
          retryAfterSeconds: seconds(next - now),
        });
      }
      throw throttled(next - now, 'username');
    }
    const state = conn ?? { failures: 0, lastFailure: 0, nextAttempt: 0, inFlight: false };
    state.inFlight = true;
    this.connections.set(connectionId, state);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      state.inFlight = false;
      // A connection without failures needs no memory (its login may have succeeded).
      if (state.failures === 0 && this.connections.get(connectionId) === state) this.connections.delete(connectionId);
    };
  }

  /** Counts a failed password check of `username` on `connectionId` (after {@link admit}). */
  failed(username: string, connectionId: string): FailureOutcome {
    const at = this.deps.now();
    const now = at.getTime();
    const conn = this.connections.get(connectionId) ?? { failures: 0, lastFailure: 0, nextAttempt: 0, inFlight: false };
    conn.failures++;
    conn.lastFailure = now;
    conn.nextAttempt = now + delayAfter(conn.failures, this.policy);
    this.connections.set(connectionId, conn);
    this.forgetOld(now);

    const failures = (this.deps.store.loginThrottle.get(username)?.failures ?? 0) + 1;
    let locked: FailureOutcome['locked'] = null;
    let waitMs = delayAfter(failures, this.policy);
    if (failures >= this.policy.lockAfter) {
      if (this.deps.mayLockForGood(username)) {
        locked = 'admin';
        waitMs = 0;
      } else {
        locked = 'timed';
        waitMs = this.policy.lastAdminLockMs;
      }
    }
    this.deps.store.loginThrottle.put({
      username,
      failures,
      lastFailureAt: at.toISOString(),
      nextAttemptAt: waitMs > 0 ? new Date(now + waitMs).toISOString() : null,
      lockedAt: locked === 'admin' ? at.toISOString() : null,
    });
    return { failures, retryAfterSeconds: waitMs > 0 ? seconds(waitMs) : 0, locked };
  }

  /** A correct password: the username's and the connection's failures are forgotten. */
  succeeded(username: string, connectionId: string): void {
    this.deps.store.loginThrottle.clear(username);
    const conn = this.connections.get(connectionId);
    if (conn) {
      conn.failures = 0;
      conn.nextAttempt = 0;
    }
  }

  /** True when `username` is locked until an administrator unlocks it. */
  isLocked(username: string): boolean {
    return !!this.deps.store.loginThrottle.get(username)?.lockedAt;
  }

  /** Usernames locked until an administrator unlocks them. */
  lockedUsernames(): Set<string> {
    return new Set(this.deps.store.loginThrottle.lockedUsernames());
  }

  /** Lifts a lock and forgets the username's failures (an administrator's unlock). */
  unlock(username: string): void {
    this.deps.store.loginThrottle.clear(username);
  }

  private forgetOld(now: number): void {
    const before = now - this.policy.forgetAfterMs;
    this.deps.store.loginThrottle.forgetBefore(new Date(before).toISOString());
    for (const [id, c] of this.connections) if (!c.inFlight && c.lastFailure < before) this.connections.delete(id);
  }
}
