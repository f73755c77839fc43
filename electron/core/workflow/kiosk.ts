/**
 * Self-service kiosk (issue 4 "Request card: … a self-service request, a
 * request created by the person at a kiosk screen of the station with only
 * that permission").
 *
 * Design, as a security reviewer reads it:
 * - **Who turns a window into a kiosk.** A logged-in registration officer or
 *   administrator calls `kiosk.start` on their own connection. Their officer
 *   session on that connection ends at once (audited `officer.logout`), and
 *   the connection is bound to a kiosk caller (`kiosk.started`, with a random
 *   kiosk id that every later event of this kiosk carries). No officer right
 *   survives on a kiosk connection.
 * - **What a kiosk connection may call.** Only channels whose CHANNEL_ROLES
 *   rule is 'kiosk' (identify, request, reset) and the public ones
 *   (station.info, auth.status, kiosk.status, auth.login). Everything else is
 *   refused in the core's dispatch before its input is read (FORBIDDEN,
 *   audited `kiosk.refused` with the channel name). Kiosk channels on a
 *   connection that is not a kiosk are refused too (NOT_AUTHENTICATED without
 *   an officer, FORBIDDEN for an officer): an officer cannot act "as the kiosk".
 * - **Leaving kiosk mode** needs an officer's password: a successful
 *   `auth.login` on the connection ends the kiosk binding (`kiosk.ended`).
 *   A failed login leaves the kiosk as it was (and is audited by the login,
 *   and throttled: workflow/login-throttle.ts).
 * - **A kiosk is a window, not a socket** (issue 10, finding 6). Kiosk mode
 *   belongs to the window the connection serves: the face says which window
 *   a connection belongs to (`joinWindow`): the browser host names its
 *   launch, so a reload (a new WebSocket) or a second tab of the launch is
 *   still the kiosk and never shows the officer login instead; the Electron
 *   shell's connection is its window's webContents, which survives a reload.
 *   A connection no face placed in a window is a window of its own.
 * - **Identification.** The person types their employee id and e-mail address;
 *   both must match one person on record (the employee id exactly, the e-mail
 *   case-insensitively). Unknown employee id, wrong e-mail or a person without
 *   e-mail all get the same answer (KIOSK_NOT_RECOGNIZED), so the kiosk cannot
 *   be used to find out who is registered. Failures are audited without the
 *   typed values. Five failures within fifteen minutes on a kiosk block
 *   identification there for five minutes (KIOSK_THROTTLED, audited
 *   `kiosk.throttled`); a success does not clear the count, so guessing cannot
 *   be interleaved with one's own identification. The count is per kiosk:
 *   a new connection is no kiosk until an officer starts one.
 * - **What the person sees**: their display name and the card profile of
 *   their affiliation, nothing else of the record.
 * - **Requesting.** `kiosk.request` creates a request for the identified
 *   person only (RequestService.create with the kiosk caller, which checks
 *   assertKioskMayRequestFor), for the profile of their affiliation, refused
 *   when they already have an open request (RequestService's rule) or hold a
 *   card (produced, active or suspended: ask the desk to replace it). Kiosk
 *   requests always wait for an approver, even for profiles that need no
 *   approval at the desk, because identification by two attributes on record
 *   is weaker than the desk's identity check (RequestService.create enforces
 *   this for source 'kiosk').
 * - **Forgetting.** After a request, on `kiosk.reset`, and after two minutes
 *   without a kiosk call, the kiosk forgets the person (`kiosk.reset` audited
 *   with the reason), so the next person starts clean.
 */
import { randomBytes } from 'node:crypto';
import type { KioskPersonView, KioskReceiptView, KioskStatusView } from '../../contract/station-api.js';
import { CHANNEL_ROLES, type Channel } from '../../contract/station-api.js';
import { StationError } from '../errors.js';
import type { StationConfig } from '../config/station-config.js';
import type { ProfileRegistry } from './profile-registry.js';
import type { PersonRecord } from '../store/records.js';
import type { StationStore } from '../store/store.js';
import { requireCaller } from './authorization.js';
import { HELD_CARD_STATUSES } from './person-edit.js';
import type { RequestService } from './requests.js';
import type { CardRequest, Caller } from './types.js';

/** The audit actor of everything a kiosk does. */
export const KIOSK_ACTOR = 'kiosk';
/** Without a kiosk call for this long the kiosk forgets the person (ms). */
export const KIOSK_IDLE_MS = 120_000;
/** Failed identifications tolerated within FAILURE_WINDOW_MS before the kiosk blocks identification. */
export const KIOSK_MAX_FAILURES = 5;
/** How long failed identifications count (ms). */
export const KIOSK_FAILURE_WINDOW_MS = 15 * 60_000;
/** How long identification stays blocked after too many failures (ms). */
export const KIOSK_THROTTLE_MS = 5 * 60_000;

/** The one answer for every failed identification (no enumeration of persons). */
export const NOT_RECOGNIZED_SENTENCE = 'We could not find you with these details. Check your employee id and e-mail address, or ask at the desk.';

type KioskCaller = Extract<Caller, { kind: 'kiosk' }>;

interface KioskSession {
  /** Random id tying this kiosk's audit events together. */
  kioskId: string;
  /** The person who identified, until forgotten. */
  personId?: string;
  /** Last kiosk call, ms since the epoch (the idle timeout). */
  lastActivity: number;
  /** Times of recent failed identifications (ms). */
  failures: number[];
  /** Identification is refused until then (ms; 0: not blocked). */
  blockedUntil: number;
}

/** What the kiosk service needs. */
export interface KioskServiceDeps {
  store: StationStore;
  config: StationConfig;
  /** Ends the officer session of the connection that becomes a kiosk. */
  officers: { logout(connectionId: string): void };
  requests: Pick<RequestService, 'create'>;
  /** The card profiles (a kiosk offers the person's). */
  profiles: Pick<ProfileRegistry, 'profile'>;
  now?: () => Date;
}

/** Kiosk connections and what they may do. */
export class KioskService {
  /** Kiosks by window (see {@link joinWindow}). */
  private readonly kiosks = new Map<string, KioskSession>();
  /** The window of each connection a face placed in one. */
  private readonly windows = new Map<string, string>();
  private readonly now: () => number;

  constructor(private readonly deps: KioskServiceDeps) {
    const clock = deps.now ?? (() => new Date());
    this.now = () => clock().getTime();
  }

  /**
   * Places `connectionId` in window `windowId` (a launch of the browser host):
   * kiosk mode is held per window, so the window's next connection (after a
   * reload) is the same kiosk.
   */
  joinWindow(connectionId: string, windowId: string): void {
    this.windows.set(connectionId, windowId);
  }

  /** The window of a connection: the one a face placed it in, else its own. */
  private windowOf(connectionId: string): string {
    return this.windows.get(connectionId) ?? connectionId;
  }

  /**
   * Turns the window of `connectionId` into a kiosk: the officer sessions of
   * its connections end.
   * @throws StationError NOT_AUTHENTICATED, FORBIDDEN (needs registration or admin)
   */
  start(connectionId: string, caller: Caller): KioskStatusView {
    const officer = requireCaller(caller, 'kiosk.start');
    const window = this.windowOf(connectionId);
    this.deps.officers.logout(connectionId);
    for (const [other, w] of this.windows) if (w === window && other !== connectionId) this.deps.officers.logout(other);
    const kioskId = randomBytes(6).toString('hex');
    this.kiosks.set(window, { kioskId, lastActivity: this.now(), failures: [], blockedUntil: 0 });
    this.audit('kiosk.started', 'ok', { kioskId }, undefined, officer.username);
    return this.status(connectionId);
  }

  /** The kiosk caller of `connectionId`, or undefined when it is no kiosk (an idle person is forgotten first). */
  caller(connectionId: string): KioskCaller | undefined {
    const k = this.kiosks.get(this.windowOf(connectionId));
    if (!k) return undefined;
    this.forgetIfIdle(k);
    return { kind: 'kiosk', personId: k.personId };
  }

  /**
   * The kiosk rule of dispatch, checked before the input is read: on a kiosk
   * connection only 'kiosk' and 'public' channels pass; elsewhere 'kiosk'
   * channels are refused.
   * @param officerCaller the connection's officer (throws NOT_AUTHENTICATED / SESSION_LOCKED when there is none)
   * @returns the kiosk caller on a kiosk connection; undefined when the kiosk rule does not apply
   * @throws StationError FORBIDDEN (officer channel on a kiosk; kiosk channel for an officer), NOT_AUTHENTICATED
   */
  gate(channel: Channel, connectionId: string, officerCaller: () => Caller): KioskCaller | undefined {
    const rule = CHANNEL_ROLES[channel];
    const kiosk = this.caller(connectionId);
    if (kiosk) {
      if (rule === 'kiosk' || rule === 'public') return kiosk;
      this.audit('kiosk.refused', 'refused', { kioskId: this.kiosks.get(this.windowOf(connectionId))!.kioskId, channel }, kiosk.personId);
      throw new StationError('FORBIDDEN', 'This window is a self-service kiosk: an officer must log in to leave kiosk mode.', { channel, rule: 'kioskOnly' });
    }
    if (rule !== 'kiosk') return undefined;
    officerCaller();
    throw new StationError('FORBIDDEN', 'This is for the self-service kiosk only.', { channel, rule: 'kioskOnly' });
  }

  /** Whether `connectionId` is a kiosk, and the identified person (never throws). */
  status(connectionId: string): KioskStatusView {
    const k = this.kiosks.get(this.windowOf(connectionId));
    if (k) this.forgetIfIdle(k);
    const person = k?.personId ? this.deps.store.persons.get(k.personId) : undefined;
    return { kiosk: k !== undefined, person: person ? this.personView(person) : null, idleSeconds: KIOSK_IDLE_MS / 1000 };
  }

  /**
   * Identifies the person at the kiosk by employee id and e-mail address.
   * @returns what the kiosk may show: the display name and the person's profile
   * @throws StationError KIOSK_NOT_RECOGNIZED (no such pair, same answer for
   *   every cause), KIOSK_THROTTLED (details.retryAfterSeconds), FORBIDDEN (no kiosk)
   */
  identify(connectionId: string, employeeId: string, email: string): KioskPersonView {
    const k = this.require(connectionId);
    const now = this.now();
    k.lastActivity = now;
    if (k.blockedUntil > now) {
      const retryAfterSeconds = Math.ceil((k.blockedUntil - now) / 1000);
      this.audit('kiosk.identify', 'refused', { kioskId: k.kioskId, reason: 'throttled', retryAfterSeconds });
      throw throttled(retryAfterSeconds);
    }
    const person = this.deps.store.persons.findByEmployeeId(employeeId.trim());
    const matches = person !== undefined && person.email !== null && person.email.toLowerCase() === email.trim().toLowerCase();
    if (!matches) {
      k.failures = [...k.failures.filter((t) => now - t < KIOSK_FAILURE_WINDOW_MS), now];
      // Who was tried is not recorded: the typed values may be another person's.
      this.audit('kiosk.identify', 'refused', { kioskId: k.kioskId, reason: 'not recognized', recentFailures: k.failures.length });
      if (k.failures.length >= KIOSK_MAX_FAILURES) {
        k.failures = [];
        k.blockedUntil = now + KIOSK_THROTTLE_MS;
        this.audit('kiosk.throttled', 'refused', { kioskId: k.kioskId, blockedSeconds: KIOSK_THROTTLE_MS / 1000 });
        throw throttled(KIOSK_THROTTLE_MS / 1000);
      }
      throw new StationError('KIOSK_NOT_RECOGNIZED', NOT_RECOGNIZED_SENTENCE);
    }
    k.personId = person.id;
    this.audit('kiosk.identified', 'ok', { kioskId: k.kioskId }, person.id);
    return this.personView(person);
  }

  /**
   * Requests a card for the identified person, for the profile of their
   * affiliation; it always waits for an approver. The kiosk forgets the
   * person afterwards.
   * @throws StationError FORBIDDEN (nobody identified; another profile),
   *   REQUEST_STATE (open request, or a card held), NOT_FOUND_RECORD
   */
  request(connectionId: string, profile: CardRequest['profile']): KioskReceiptView {
    const k = this.require(connectionId);
    this.forgetIfIdle(k);
    k.lastActivity = this.now();
    const refuse = (err: StationError, personId?: string): never => {
      this.audit('kiosk.request', 'refused', { kioskId: k.kioskId, rule: String(err.details.rule ?? err.code) }, personId);
      throw err;
    };
    if (!k.personId) return refuse(new StationError('FORBIDDEN', 'Identify yourself first.', { rule: 'kioskNotIdentified' }));
    const person = this.deps.store.persons.get(k.personId);
    if (!person) return refuse(new StationError('NOT_FOUND_RECORD', 'There is no such person.'));
    if (profile !== person.affiliation) {
      return refuse(new StationError('FORBIDDEN', 'At the kiosk you can request only the card of your own affiliation; ask at the desk for another.', { rule: 'kioskProfile' }), person.id);
    }
    const held = this.deps.store.cards.listByPerson(person.id).find((c) => HELD_CARD_STATUSES.includes(c.status));
    if (held) return refuse(new StationError('REQUEST_STATE', 'You already have a card. To replace it, ask at the desk.', { rule: 'cardHeld' }), person.id);
    let created;
    try {
      created = this.deps.requests.create({ personId: person.id, profile }, { kind: 'kiosk', personId: k.personId });
    } catch (e) {
      return refuse(e instanceof StationError ? e : new StationError('INTERNAL', 'The request could not be created.'), person.id);
    }
    this.audit('kiosk.requested', 'ok', { kioskId: k.kioskId, requestId: created.id }, person.id);
    this.forget(k, 'requested');
    return { requestId: created.id, requestNumber: created.number, profile: created.profile, state: created.state };
  }

  /**
   * Forgets the identified person (the next person starts clean).
   * @throws StationError FORBIDDEN (no kiosk)
   */
  reset(connectionId: string): KioskStatusView {
    this.forget(this.require(connectionId), 'reset');
    return this.status(connectionId);
  }

  /** An officer logged in on `connectionId`: its window is no kiosk any more. */
  end(connectionId: string, officerUsername: string): void {
    const window = this.windowOf(connectionId);
    const k = this.kiosks.get(window);
    if (!k) return;
    this.kiosks.delete(window);
    this.audit('kiosk.ended', 'ok', { kioskId: k.kioskId }, undefined, officerUsername);
  }

  private require(connectionId: string): KioskSession {
    const k = this.kiosks.get(this.windowOf(connectionId));
    if (!k) throw new StationError('FORBIDDEN', 'This is for the self-service kiosk only.', { rule: 'kioskOnly' });
    return k;
  }

  private personView(person: PersonRecord): KioskPersonView {
    // The administered profile (the store), not config.json's seed: an administrator's label edit shows here too.
    const profile = this.deps.profiles.profile(person.affiliation);
    return { displayName: `${person.givenName} ${person.surname}`, profiles: [{ id: profile.id, label: profile.label }] };
  }

  private forgetIfIdle(k: KioskSession): void {
    if (k.personId && this.now() - k.lastActivity >= KIOSK_IDLE_MS) this.forget(k, 'idle');
  }

  private forget(k: KioskSession, reason: 'idle' | 'reset' | 'requested'): void {
    if (!k.personId) return;
    const personId = k.personId;
    k.personId = undefined;
    this.audit('kiosk.reset', 'ok', { kioskId: k.kioskId, reason }, personId);
  }

  private audit(action: string, outcome: 'ok' | 'refused', details: Record<string, string | number>, personId?: string, actor = KIOSK_ACTOR): void {
    this.deps.store.audit.append({ actor, action, outcome, personId: personId ?? null, details });
  }
}

function throttled(retryAfterSeconds: number): StationError {
  return new StationError('KIOSK_THROTTLED', `Too many attempts at this kiosk. Try again in ${Math.ceil(retryAfterSeconds / 60)} minutes, or ask at the desk.`, { retryAfterSeconds });
}
