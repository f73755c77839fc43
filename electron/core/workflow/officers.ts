/**
 * Officers and their sessions (issue 4 "Officers, roles, separation of
 * duties"): accounts with scrypt password hashes, login bound to a
 * connection, and the session lock after inactivity.
 *
 * A session belongs to one connection id (one WebSocket, one Electron
 * webContents, one CLI run). Every authorized call counts as activity; a
 * session idle longer than the lock time is locked: calls answer
 * SESSION_LOCKED until the officer logs in again.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { StationError } from '../errors.js';
import type { StationStore } from '../store/store.js';
import type { OfficerRecord } from '../store/officers.js';
import { actorOf, requireCaller, requireOfficer } from './authorization.js';
import { DEFAULT_SCRYPT_PARAMS, generatePassword, hashPassword, verifyPassword, type ScryptParams } from './officers-password.js';
import { LoginThrottle, type LoginPolicy } from './login-throttle.js';
import { ROLES, accountChangeProblem, passwordProblem, type AccountChange } from '../../contract/officer-rules.js';
import type { Caller, Officer, Role } from './types.js';

/** What creating an officer needs. */
export interface NewOfficerInput {
  username: string;
  displayName: string;
  /** Plain password: hashed here, never stored or logged. */
  password: string;
  roles: Role[];
  personId?: string | null;
}

/** A connection's session, as `auth.status` reports it. */
export interface SessionStatus {
  firstRun: boolean;
  officer: Officer | null;
  locked: boolean;
  lockAfterSeconds: number;
  /** The session's resume token (see {@link OfficerService.resume}); only to the connection holding the session. */
  resumeToken?: string;
}

export interface OfficerServiceOptions {
  store: StationStore;
  /** Inactivity before a session locks, in minutes (config `sessionLockMinutes`). */
  lockAfterMinutes: number;
  /** Clock (tests inject one to pass time). */
  now?: () => Date;
  /** scrypt cost (tests may lower it). */
  scrypt?: ScryptParams;
  /** Login throttling policy (login-throttle.ts LOGIN_POLICY by default). */
  loginPolicy?: LoginPolicy;
  /** Checks a password against a stored hash (default: scrypt, officers-password.ts); tests observe the work with it. */
  checkPassword?: (password: string, storedHash: string) => Promise<boolean>;
}

interface Session {
  officerId: string;
  /** 32 random bytes, base64url: lets a reloaded page of the same launch take the session over once. */
  resumeToken: string;
  /** Last authorized call, ms since the epoch. */
  lastActivity: number;
  locked: boolean;
}

const MS_PER_MINUTE = 60_000;
/** Hash verified for unknown usernames, so a wrong username costs as long as a wrong password. */
const DUMMY_HASH_PASSWORD = 'no such officer, constant time';

/** Public view of an officer record. */
export function toOfficer(r: OfficerRecord): Officer {
  return { id: r.id, username: r.username, displayName: r.displayName, roles: r.roles, personId: r.personId, status: r.status, createdAt: r.createdAt };
}

const badLogin = () => new StationError('NOT_AUTHENTICATED', 'The username or password is wrong.');

/** Officer accounts and per-connection sessions. */
export class OfficerService {
  private readonly sessions = new Map<string, Session>();
  private readonly lockListeners = new Set<(connectionId: string) => void>();
  private readonly now: () => Date;
  private readonly scrypt: ScryptParams;
  private readonly checkPassword: (password: string, storedHash: string) => Promise<boolean>;
  private dummyHash: Promise<string> | undefined;
  /** Failed-login delays and lockouts (login-throttle.ts). */
  readonly throttle: LoginThrottle;

  constructor(private readonly opts: OfficerServiceOptions) {
    this.now = opts.now ?? (() => new Date());
    this.scrypt = opts.scrypt ?? DEFAULT_SCRYPT_PARAMS;
    this.checkPassword = opts.checkPassword ?? verifyPassword;
    this.throttle = new LoginThrottle({ store: opts.store, now: this.now, policy: opts.loginPolicy, mayLockForGood: (u) => !this.isLastAdministrator(u) });
  }

  /** True when `username` is an active administrator and no other active administrator is free to log in. */
  private isLastAdministrator(username: string): boolean {
    const locked = this.throttle.lockedUsernames();
    const admins = this.opts.store.officers.list().filter((o) => o.status === 'active' && o.roles.includes('admin'));
    return admins.some((o) => o.username === username) && !admins.some((o) => o.username !== username && !locked.has(o.username));
  }

  private get lockAfterMs(): number {
    return this.opts.lockAfterMinutes * MS_PER_MINUTE;
  }

  /** True while the station has no officer (the first officer must be an administrator). */
  isFirstRun(): boolean {
    return this.opts.store.officers.count() === 0;
  }

  /**
   * Adds an officer. On first run (no officer yet) anyone may add the first
   * one, which must hold the admin role; afterwards only an administrator.
   * @throws StationError FORBIDDEN (not an admin; first officer without admin),
   *   NOT_AUTHENTICATED, INVALID_INPUT (username taken, short password, bad field)
   */
  async add(input: NewOfficerInput, caller: Caller): Promise<Officer> {
    const { store } = this.opts;
    const first = this.isFirstRun();
    if (first) {
      if (!input.roles.includes('admin')) throw new StationError('FORBIDDEN', 'The first officer must be an administrator: include the admin role.', { rule: 'firstAdmin' });
    } else {
      requireCaller(caller, 'officers.add');
    }
    const weak = passwordProblem(input.password);
    if (weak) throw new StationError('INVALID_INPUT', weak, { field: 'password' });
    if (store.officers.getByUsername(input.username)) throw new StationError('INVALID_INPUT', `There is already an officer named ${input.username}.`, { field: 'username' });
    if (input.personId && !store.persons.get(input.personId)) throw new StationError('NOT_FOUND_RECORD', 'There is no such person.', { field: 'personId' });
    const passwordHash = await hashPassword(input.password, this.scrypt);
    const record = store.transaction(() => {
      // Checked again inside the transaction: two first-run calls racing must not both pass.
      if (first && store.officers.count() > 0) throw new StationError('FORBIDDEN', 'The station already has an administrator: log in.', { rule: 'firstAdmin' });
      const created = store.officers.create({ username: input.username, displayName: input.displayName, passwordHash, roles: input.roles, personId: input.personId ?? null });
      store.audit.append({
        actor: first ? 'first-run' : actorOf(caller),
        action: 'officer.added',
        outcome: 'ok',
        personId: created.personId,
        details: { officerId: created.id, username: created.username, roles: created.roles.join(',') },
      });
      return created;
    });
    return toOfficer(record);
  }

  /**
   * First run only: creates the administrator and logs them in on `connectionId`.
   * @param input.roles the first officer's roles (default admin only); they must include admin
   * @throws StationError FORBIDDEN when an officer already exists, or the roles lack admin (rule firstAdmin)
   */
  async createFirstAdmin(connectionId: string, input: { username: string; displayName: string; password: string; roles?: Role[]; personId?: string | null }): Promise<Officer> {
    if (!this.isFirstRun()) throw new StationError('FORBIDDEN', 'The station already has an administrator: log in.', { rule: 'firstAdmin' });
    const officer = await this.add({ ...input, roles: input.roles ?? ['admin'], personId: input.personId ?? null }, { kind: 'anonymous' });
    this.bind(connectionId, officer.id);
    return officer;
  }

  /** Every officer, by username, with whether failed logins locked their account. */
  list(): Officer[] {
    const locked = this.throttle.lockedUsernames();
    return this.opts.store.officers.list().map((r) => ({ ...toOfficer(r), loginLocked: locked.has(r.username) }));
  }

  /** The officer, or undefined. */
  get(id: string): Officer | undefined {
    const r = this.opts.store.officers.get(id);
    return r ? toOfficer(r) : undefined;
  }

  /**
   * Checks a password without logging in, under the login throttle
   * (login-throttle.ts): a refused attempt checks no password; a wrong one is
   * counted for the username and the connection.
   * @param connectionId the connection the attempt came on (its own delays, one check at a time)
   * @returns the officer when it matches and the account is active
   * @throws StationError NOT_AUTHENTICATED (unknown user, wrong password, disabled account),
   *   LOGIN_THROTTLED, ACCOUNT_LOCKED
   */
  async verifyPassword(username: string, password: string, connectionId: string): Promise<Officer> {
    const { store } = this.opts;
    const release = this.throttle.admit(username, connectionId);
    try {
      const record = store.officers.getByUsername(username);
      const stored = record ? store.officers.passwordHash(record.id) : undefined;
      let ok: boolean;
      if (stored) {
        ok = await this.checkPassword(password, stored);
      } else {
        this.dummyHash ??= hashPassword(DUMMY_HASH_PASSWORD, this.scrypt);
        await this.checkPassword(password, await this.dummyHash);
        ok = false;
      }
      if (!record || !ok) {
        const outcome = this.throttle.failed(username, connectionId);
        store.audit.append({
          actor: username,
          action: 'officer.login',
          outcome: 'refused',
          details: { reason: 'bad credentials', failures: outcome.failures, retryAfterSeconds: outcome.retryAfterSeconds },
        });
        if (outcome.locked) {
          store.audit.append({
            actor: 'station',
            action: 'officer.locked',
            outcome: 'ok',
            details: { username, failures: outcome.failures, until: outcome.locked === 'timed' ? 'time-limited (last administrator)' : 'unlocked by an administrator' },
          });
        }
        throw badLogin();
      }
      if (record.status !== 'active') {
        store.audit.append({ actor: username, action: 'officer.login', outcome: 'refused', details: { reason: 'disabled' } });
        throw new StationError('NOT_AUTHENTICATED', 'This officer account is disabled: ask an administrator.');
      }
      this.throttle.succeeded(username, connectionId);
      return toOfficer(record);
    } finally {
      release();
    }
  }

  /**
   * Logs in on `connectionId` (replacing any session there; unlocks a locked one).
   * @throws StationError NOT_AUTHENTICATED, LOGIN_THROTTLED, ACCOUNT_LOCKED
   */
  async login(connectionId: string, username: string, password: string): Promise<Officer> {
    const officer = await this.verifyPassword(username, password, connectionId);
    this.bind(connectionId, officer.id);
    this.opts.store.officers.touchLogin(officer.id);
    this.opts.store.audit.append({ actor: officer.username, action: 'officer.login', outcome: 'ok' });
    return officer;
  }

  /**
   * Lifts a login lockout of an officer and forgets their failed logins (administrators only).
   * @throws StationError FORBIDDEN, NOT_AUTHENTICATED, NOT_FOUND_RECORD
   */
  unlock(officerId: string, caller: Caller): Officer {
    const admin = requireOfficer(caller, ['admin']);
    const record = this.opts.store.officers.get(officerId);
    if (!record) throw new StationError('NOT_FOUND_RECORD', 'There is no such officer.', { record: 'officer', id: officerId });
    const wasLocked = this.throttle.isLocked(record.username);
    this.opts.store.transaction(() => {
      this.throttle.unlock(record.username);
      this.opts.store.audit.append({ actor: admin.username, action: 'officer.unlocked', outcome: 'ok', details: { officerId, username: record.username, wasLocked } });
    });
    return { ...toOfficer(record), loginLocked: false };
  }

  /** Ends the connection's session (nothing happens when there is none). */
  logout(connectionId: string): void {
    const s = this.sessions.get(connectionId);
    if (!s) return;
    this.sessions.delete(connectionId);
    const officer = this.opts.store.officers.get(s.officerId);
    this.opts.store.audit.append({ actor: officer?.username ?? 'unknown', action: 'officer.logout', outcome: 'ok' });
  }

  /**
   * True while an active officer is logged in on the connection, locked by
   * inactivity or not (never throws, changes nothing): the connection may hear
   * the station's events (a locked screen still follows its running jobs).
   */
  hasSession(connectionId: string): boolean {
    const s = this.sessions.get(connectionId);
    return !!s && this.opts.store.officers.get(s.officerId)?.status === 'active';
  }

  /** The connection's session state (never throws; a lock due now is applied first). */
  status(connectionId: string): SessionStatus {
    this.lockIfIdle(connectionId);
    const s = this.sessions.get(connectionId);
    const record = s ? this.opts.store.officers.get(s.officerId) : undefined;
    return {
      firstRun: this.isFirstRun(),
      officer: record ? toOfficer(record) : null,
      locked: s?.locked ?? false,
      lockAfterSeconds: Math.round(this.lockAfterMs / 1000),
      ...(s && record ? { resumeToken: s.resumeToken } : {}),
    };
  }

  /**
   * Moves the session holding `token` to `connectionId`: a page of the same
   * launch reloaded (F5) keeps its officer (issue 12 obs. 5). The sessions
   * live in this process only, so a token never outlives the launch; the
   * token is single-use (a fresh one replaces it) and the session keeps its
   * lock: an idle or locked session arrives locked and asks for the password.
   * Audited as `session.resumed`.
   * @returns the new connection's status (with the new token)
   * @throws StationError NOT_AUTHENTICATED when no session holds the token, or its officer is disabled
   */
  resume(connectionId: string, token: string): SessionStatus {
    const presented = createHash('sha256').update(token, 'utf8').digest();
    let from: string | undefined;
    for (const [id, s] of this.sessions) {
      if (timingSafeEqual(presented, createHash('sha256').update(s.resumeToken, 'utf8').digest())) from = id;
    }
    const session = from === undefined ? undefined : this.sessions.get(from);
    const record = session ? this.opts.store.officers.get(session.officerId) : undefined;
    if (from === undefined || !session || !record || record.status !== 'active') {
      throw new StationError('NOT_AUTHENTICATED', 'The session of this window has ended: log in again.');
    }
    this.lockIfIdle(from);
    this.sessions.delete(from);
    this.sessions.set(connectionId, { ...session, resumeToken: randomBytes(32).toString('base64url') });
    this.opts.store.audit.append({ actor: record.username, action: 'session.resumed', outcome: 'ok', details: { locked: session.locked } });
    return this.status(connectionId);
  }

  /**
   * The caller on `connectionId` for an authorized call, counting the call as
   * activity unless `activity` is false (a screen's background refresh, which
   * must not keep an unattended session from locking).
   * @throws StationError NOT_AUTHENTICATED (no login, or the account was disabled), SESSION_LOCKED (idle too long)
   */
  caller(connectionId: string, { activity = true }: { activity?: boolean } = {}): Extract<Caller, { kind: 'officer' }> {
    this.lockIfIdle(connectionId);
    const s = this.sessions.get(connectionId);
    if (!s) throw new StationError('NOT_AUTHENTICATED', 'Log in as an officer first.');
    if (s.locked) throw new StationError('SESSION_LOCKED', 'The session was locked after inactivity: log in again.');
    const record = this.opts.store.officers.get(s.officerId);
    if (!record || record.status !== 'active') {
      this.sessions.delete(connectionId);
      throw new StationError('NOT_AUTHENTICATED', 'This officer account is disabled: ask an administrator.');
    }
    if (activity) s.lastActivity = this.now().getTime();
    return { kind: 'officer', officer: toOfficer(record), sessionId: connectionId };
  }

  /** Locks every session idle longer than the lock time (the core calls this on a timer). */
  checkIdle(): void {
    for (const id of [...this.sessions.keys()]) this.lockIfIdle(id);
  }

  /** Called with the connection id whenever a session locks. @returns unsubscribe */
  onLocked(listener: (connectionId: string) => void): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  /**
   * Links an officer to their own person record, or unlinks them (null): the
   * explicit link separation of duties reads (whose cards are their own).
   * Administrators only (`officers.link`), never for their own account (an
   * officer could otherwise unlink themselves and act on their own card);
   * audited with the old and new person.
   * @throws StationError FORBIDDEN (role; own account), NOT_FOUND_RECORD (officer, person)
   */
  link(officerId: string, personId: string | null, caller: Caller): Officer {
    const { store } = this.opts;
    const admin = requireCaller(caller, 'officers.link');
    const officer = store.officers.get(officerId);
    if (!officer) throw new StationError('NOT_FOUND_RECORD', 'There is no such officer.', { field: 'officerId' });
    if (admin.id === officerId) {
      store.audit.append({ actor: admin.username, action: 'officer.link', outcome: 'refused', details: { officerId, rule: 'linkSelf' } });
      throw new StationError('FORBIDDEN', 'You cannot change the person record of your own account: another administrator must do it.', { rule: 'linkSelf' });
    }
    if (personId !== null && !store.persons.get(personId)) throw new StationError('NOT_FOUND_RECORD', 'There is no such person.', { field: 'personId' });
    if (officer.personId === personId) return toOfficer(officer);
    const record = store.transaction(() => {
      const updated = store.officers.setPerson(officerId, personId);
      store.audit.append({ actor: admin.username, action: 'officer.linked', outcome: 'ok', personId, details: { officerId, username: officer.username, from: officer.personId, to: personId } });
      return updated;
    });
    return toOfficer(record);
  }

  /**
   * Refuses an account change the account rules forbid (officer-rules.ts
   * accountChangeProblem: disableSelf, demoteSelf, lastAdmin), audited as
   * `audit` with outcome refused.
   * @throws StationError FORBIDDEN (details.rule)
   */
  private assertAccountChange(admin: Officer, target: OfficerRecord, change: AccountChange, audit: string): void {
    const problem = accountChangeProblem(admin.id, target, change, this.opts.store.officers.list());
    if (!problem) return;
    this.opts.store.audit.append({ actor: admin.username, action: audit, outcome: 'refused', details: { officerId: target.id, username: target.username, rule: problem.rule } });
    throw new StationError('FORBIDDEN', problem.sentence, { rule: problem.rule });
  }

  private target(officerId: string): OfficerRecord {
    const record = this.opts.store.officers.get(officerId);
    if (!record) throw new StationError('NOT_FOUND_RECORD', 'There is no such officer.', { field: 'officerId' });
    return record;
  }

  /** Ends every session of `officerId` (its account was disabled or its password reset). */
  private endSessionsOf(officerId: string): void {
    for (const [connectionId, s] of this.sessions) if (s.officerId === officerId) this.sessions.delete(connectionId);
  }

  /**
   * Changes an officer's display name and/or roles (`officers.update`,
   * administrators; issue 12 obs. 9). Audited as `officer.updated` with the
   * old and new values of what changed.
   * @throws StationError FORBIDDEN (role; demoteSelf, lastAdmin), NOT_FOUND_RECORD, INVALID_INPUT
   */
  update(officerId: string, change: { displayName?: string; roles?: Role[] }, caller: Caller): Officer {
    const { store } = this.opts;
    const admin = requireCaller(caller, 'officers.update');
    const target = this.target(officerId);
    const roles = change.roles ? ROLES.filter((r) => change.roles!.includes(r)) : undefined;
    if (roles) this.assertAccountChange(admin, target, { roles }, 'officer.updated');
    const details: Record<string, string> = { officerId, username: target.username };
    const record = store.transaction(() => {
      let r = target;
      if (change.displayName !== undefined && change.displayName !== target.displayName) {
        r = store.officers.setDisplayName(officerId, change.displayName);
        details.displayName = `${target.displayName} → ${r.displayName}`;
      }
      if (roles && roles.join(',') !== target.roles.join(',')) {
        r = store.officers.setRoles(officerId, roles);
        details.roles = `${target.roles.join(',')} → ${r.roles.join(',')}`;
      }
      if (r !== target) store.audit.append({ actor: admin.username, action: 'officer.updated', outcome: 'ok', details });
      return r;
    });
    return toOfficer(record);
  }

  /**
   * Disables or re-enables an officer (`officers.setStatus`, administrators).
   * A disabled officer's sessions end at once. Audited as `officer.disabled`
   * or `officer.enabled`.
   * @throws StationError FORBIDDEN (role; disableSelf, lastAdmin), NOT_FOUND_RECORD
   */
  setStatus(officerId: string, status: 'active' | 'disabled', caller: Caller): Officer {
    const { store } = this.opts;
    const admin = requireCaller(caller, 'officers.setStatus');
    const target = this.target(officerId);
    const action = status === 'disabled' ? 'officer.disabled' : 'officer.enabled';
    this.assertAccountChange(admin, target, { status }, action);
    if (target.status === status) return toOfficer(target);
    const record = store.transaction(() => {
      const r = store.officers.setStatus(officerId, status);
      store.audit.append({ actor: admin.username, action, outcome: 'ok', details: { officerId, username: target.username } });
      return r;
    });
    if (status === 'disabled') this.endSessionsOf(officerId);
    return toOfficer(record);
  }

  /**
   * Gives an officer a new random password (`officers.resetPassword`,
   * administrators): generated here, stored only as its hash, answered once
   * for the administrator to hand over; the officer's sessions end. Audited
   * as `officer.passwordReset` (never with the password).
   * @returns the officer and the new password
   * @throws StationError FORBIDDEN (role), NOT_FOUND_RECORD
   */
  async resetPassword(officerId: string, caller: Caller): Promise<{ officer: Officer; password: string }> {
    const { store } = this.opts;
    const admin = requireCaller(caller, 'officers.resetPassword');
    const target = this.target(officerId);
    const password = generatePassword();
    const passwordHash = await hashPassword(password, this.scrypt);
    const record = store.transaction(() => {
      const r = store.officers.setPasswordHash(officerId, passwordHash);
      store.audit.append({ actor: admin.username, action: 'officer.passwordReset', outcome: 'ok', details: { officerId, username: target.username } });
      return r;
    });
    if (admin.id !== officerId) this.endSessionsOf(officerId);
    return { officer: toOfficer(record), password };
  }

  private bind(connectionId: string, officerId: string): void {
    this.sessions.set(connectionId, { officerId, resumeToken: randomBytes(32).toString('base64url'), lastActivity: this.now().getTime(), locked: false });
  }

  private lockIfIdle(connectionId: string): void {
    const s = this.sessions.get(connectionId);
    if (!s || s.locked) return;
    if (this.now().getTime() - s.lastActivity < this.lockAfterMs) return;
    s.locked = true;
    const officer = this.opts.store.officers.get(s.officerId);
    this.opts.store.audit.append({ actor: officer?.username ?? 'unknown', action: 'session.locked', outcome: 'ok' });
    for (const l of this.lockListeners) {
      try {
        l(connectionId);
      } catch {
        // a faulty listener must not stop the lock
      }
    }
  }
}
