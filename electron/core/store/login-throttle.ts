/**
 * Login throttle repository (migration 11): per username, the consecutive
 * failed logins, when the next attempt is allowed, and whether the account
 * is locked until an administrator unlocks it. The rules are in
 * electron/core/workflow/login-throttle.ts; this is only their memory, shared
 * by every process on the data dir (the CLI logs in too).
 */
import { guard, type StoreContext } from './sql.js';

/** One username's failed logins. Times are ISO-8601 UTC. */
export interface LoginThrottleRecord {
  username: string;
  /** Consecutive failed logins since the last success or unlock. */
  failures: number;
  lastFailureAt: string;
  /** No password is checked before this time (a growing delay, or a time-limited lockout); null: no wait. */
  nextAttemptAt: string | null;
  /** Locked at this time until an administrator unlocks; null: not locked. */
  lockedAt: string | null;
}

interface Row {
  username: string;
  failures: number;
  last_failure_at: string;
  next_attempt_at: string | null;
  locked_at: string | null;
}

const toRecord = (r: Row): LoginThrottleRecord => ({
  username: r.username,
  failures: r.failures,
  lastFailureAt: r.last_failure_at,
  nextAttemptAt: r.next_attempt_at,
  lockedAt: r.locked_at,
});

export interface LoginThrottleRepository {
  get(username: string): LoginThrottleRecord | undefined;
  /** Writes a username's state (insert or replace). */
  put(r: LoginThrottleRecord): void;
  /** Forgets a username's failures (a success, an unlock). */
  clear(username: string): void;
  /** Forgets every unlocked username whose last failure is before `before` (ISO-8601). @returns how many */
  forgetBefore(before: string): number;
  /** Usernames locked until an administrator unlocks them. */
  lockedUsernames(): string[];
}

export function loginThrottleRepository(ctx: StoreContext): LoginThrottleRepository {
  const { db } = ctx;
  const byName = db.prepare('SELECT * FROM officer_login_throttle WHERE username = ?');
  const upsert = db.prepare(
    `INSERT INTO officer_login_throttle (username, failures, last_failure_at, next_attempt_at, locked_at)
     VALUES (@username, @failures, @lastFailureAt, @nextAttemptAt, @lockedAt)
     ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at,
       next_attempt_at = excluded.next_attempt_at, locked_at = excluded.locked_at`,
  );
  const remove = db.prepare('DELETE FROM officer_login_throttle WHERE username = ?');
  const forget = db.prepare('DELETE FROM officer_login_throttle WHERE locked_at IS NULL AND last_failure_at < ?');
  const locked = db.prepare('SELECT username FROM officer_login_throttle WHERE locked_at IS NOT NULL ORDER BY username');
  return {
    get(username) {
      const row = guard('login throttle', () => byName.get(username) as Row | undefined);
      return row ? toRecord(row) : undefined;
    },
    put(r) {
      guard('login throttle', () => upsert.run(r));
    },
    clear(username) {
      guard('login throttle', () => remove.run(username));
    },
    forgetBefore(before) {
      return guard('login throttle', () => forget.run(before).changes);
    },
    lockedUsernames() {
      return guard('login throttle', () => (locked.all() as { username: string }[]).map((r) => r.username));
    },
  };
}
