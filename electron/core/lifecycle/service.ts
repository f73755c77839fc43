/**
 * Card lifecycle at the desk (issue 5 "Lifecycle operations"): an issued card
 * is revoked, suspended and resumed (card absent), activated, unlocked,
 * recycled (card present) and reissued. Every operation asks the rule book
 * first (electron/core/policy/rule-book.ts: the card state machine, the
 * channel's roles, separation of duties: nobody reissues, unlocks, resumes or
 * activates their own card), before the card or the CA is touched. Every
 * change is one store transaction holding the card's new state and acting
 * officer, its certificates' state, the audit event (actor = officer
 * username, never a secret) and the IDPRS notification.
 *
 * The CA is told first (it re-publishes its CRL on every change), the store
 * second: the CA operations are idempotent, so an operation interrupted
 * between the two is simply run again.
 */
import type { StationStore } from '../store/store.js';
import type { CardRecord, CardStatus, CertificateRecord } from '../store/records.js';
import type { Keyring } from '../pki/keyring.js';
import type { ReaderProvider } from '../piv/transport.js';
import type { CertificateStatus, RevocationReason } from '../pki/ca.js';
import type { StationConfig } from '../config/station-config.js';
import type { JobRecord } from '../store/records.js';
import { StationError, isStationError, toStationError, type ErrorCode } from '../errors.js';
import { recordNotification, type NotificationType } from '../notifications/index.js';
import { guidToUuid } from '../issuance/steps/chuid-step.js';
import { assertChosenPin, assertPinFollowsPolicy, assertVerifiablePin, generatePuk } from '../issuance/pin-policy.js';
import type { ProfileRegistry } from '../workflow/profile-registry.js';
import { managementKeyCandidates } from '../issuance/management-keys.js';
import { transportAlgorithmsOf } from '../issuance/transport-key.js';
import type { CardCapabilities } from '../../contract/card-capabilities.js';
import { createCardObject } from '../workflow/requests-card-object.js';
import { withCardAtDesk, type CardAtDesk } from './card-at-desk.js';
import { beginPukRotation, finishPukRotation, pukCandidates } from './puk-rotation.js';
import { returnToBlank } from './return-to-blank.js';
import { CRL_REASON_FOR, RECYCLE_CRL_REASON, REISSUE_REASONS, type ReissueReason, type TerminationReason } from './reasons.js';
import { describeCrl, type CrlView } from './crl-view.js';
import { assertNoOpenRequest, createReplacementRequest } from './replacement-request.js';
import { readFileSync, existsSync } from 'node:fs';
import type { RuleBook, Actor } from '../policy/rule-book.js';
import { actorOf } from '../workflow/authorization.js';
import type { Operation } from '../../contract/state-machines.js';

/** What the lifecycle needs from the CA (LocalCa has all of it). */
export interface LifecycleCa {
  revoke(serial: string, reason: RevocationReason): Promise<void>;
  /** Takes a certificate off hold (RFC 5280 §5.3.1 removeFromCRL). */
  releaseHold(serial: string): Promise<void>;
  status(serial: string): Promise<CertificateStatus>;
  /** Issues and publishes a fresh CRL (DER). */
  crl(): Promise<Uint8Array>;
}

/** Dependencies of {@link LifecycleService}. */
export interface LifecycleDeps {
  store: StationStore;
  ca: LifecycleCa;
  keyring: Keyring;
  readers: ReaderProvider;
  config: StationConfig;
  /** Reissue creates the replacement's production job through it. */
  production?: { createJobForCard(cardId: string, readerName: string, pin?: string): JobRecord };
  /** The rule book (built once by the composition root, asked by every service). */
  rules: RuleBook;
  /** The CRL file the CA publishes (read by {@link LifecycleService.crl}); absent: a fresh CRL is issued. */
  crlFile?: string;
  /** The card profiles (built once by the composition root, shared by every service). */
  profiles: ProfileRegistry;
  now?: () => Date;
}

/** Who does a lifecycle operation: the officer's caller (the station itself for expiry). */
export type LifecycleActor = Actor;

/** A card as the lifecycle screens and CLI show it. */
export interface CardView {
  id: string;
  personId: string;
  personName: string;
  status: CardStatus;
  cardNumber: string | null;
  credentialNumber: string;
  /** The card profile id (employee, contractor, visitor): a replacement follows its PIN policy. */
  profile: string;
  /** CHUID GUID as a UUID (8-4-4-4-12). */
  guid: string;
  fascn: string;
  /** YYYY-MM-DD. */
  expirationDate: string;
  chipSerial: number | null;
  /** Why the officer terminated the card, as chosen (null unless terminated). */
  terminationReason: CardRecord['terminationReason'];
  createdAt: string;
  updatedAt: string;
}

/** A card with its certificates and what it showed it can do. */
export interface CardDetailView extends CardView {
  certificates: { slot: string; serial: string; status: string; revocationReason: string | null; notAfter: string }[];
  requestId: string | null;
  capabilities: CardCapabilities | null;
}

/** Result of a reissue: the old card is revoked, the replacement's request is in production and its job is ready to run. */
export interface ReissueResult {
  replacedCardId: string;
  cardId: string;
  jobId: string;
  /** The replacement's card request (approved, linked to the replaced card). */
  requestId: string;
}

/** Codes that mean the station refused the operation (as opposed to it failing on the way). */
const REFUSAL_CODES: readonly ErrorCode[] = ['CARD_STATE', 'CONDITIONS', 'FORBIDDEN'];

/** The audit actor of a lifecycle actor: the officer's username, or 'station'. */
const actorName = (actor: LifecycleActor): string => (actor.kind === 'station' ? 'station' : actorOf(actor));
/** The officer id recorded as the card's acting officer (null: the station). */
const officerId = (actor: LifecycleActor): string | null => (actor.kind === 'officer' ? actor.officer.id : null);

/**
 * The card by id, card number (8 digits) or GUID (UUID or 32 hex digits).
 * @throws StationError NOT_FOUND_RECORD
 */
export function resolveCard(store: StationStore, idOrNumber: string): CardRecord {
  const key = idOrNumber.trim();
  let card = store.cards.get(key);
  if (!card && /^\d{8}$/.test(key)) {
    const row = store.db.prepare('SELECT id FROM cards WHERE card_number = ?').get(key) as { id: string } | undefined;
    card = row ? store.cards.get(row.id) : undefined;
  }
  const hex = key.replace(/-/g, '');
  if (!card && /^[0-9A-Fa-f]{32}$/.test(hex)) card = store.cards.findByGuid(hex);
  if (!card) throw new StationError('NOT_FOUND_RECORD', 'There is no such card.', { card: key.slice(0, 64) });
  return card;
}

export class LifecycleService {
  private readonly rules: RuleBook;

  constructor(private readonly deps: LifecycleDeps) {
    this.rules = deps.rules;
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /** The rule book's card transition for `operation` through channel `cards.<operation>`; returns the next status. */
  private allow(card: CardRecord, operation: Operation & `${string}`, actor: LifecycleActor): CardStatus {
    return this.rules.card(operation, card, actor, `cards.${operation}` as Parameters<RuleBook['card']>[3]).to;
  }

  private view(card: CardRecord): CardView {
    const person = this.deps.store.persons.get(card.personId);
    return {
      id: card.id,
      personId: card.personId,
      personName: person ? `${person.givenName} ${person.surname}` : '',
      status: card.status,
      cardNumber: card.cardNumber,
      credentialNumber: card.credentialNumber,
      profile: card.cardProfile,
      guid: guidToUuid(card.guid),
      fascn: card.fascn,
      expirationDate: card.expirationDate,
      chipSerial: card.chipSerial,
      terminationReason: card.terminationReason,
      createdAt: card.createdAt,
      updatedAt: card.updatedAt,
    };
  }

  /**
   * Marks every produced, active or suspended card whose expiration date has
   * passed as expired. The date is the CHUID's (SP 800-73-4 Part 1 §3.1.2,
   * YYYYMMDD): the card is valid through that day, UTC, so it expires when the
   * next day begins. One transaction per card: the status, the audit event
   * (actor 'station') and the IDPRS notification `card.expired`. Its
   * certificates need no CRL entry: none outlives the card (profiles keep
   * certificate validity within card validity).
   * @returns the ids of the cards expired by this call (none twice)
   */
  expireDue(): string[] {
    const { store } = this.deps;
    const today = this.now().toISOString().slice(0, 10);
    const due = store.db
      .prepare("SELECT id FROM cards WHERE status IN ('produced', 'active', 'suspended') AND expiration_date < ? ORDER BY expiration_date, rowid")
      .all(today) as { id: string }[];
    const expired: string[] = [];
    for (const { id } of due) {
      store.transaction(() => {
        const card = store.cards.get(id);
        if (!card || card.expirationDate >= today) return; // changed meanwhile
        let to: CardStatus;
        try {
          to = this.rules.card('expire', card, { kind: 'station' }, 'station').to;
        } catch {
          return; // no longer expirable (revoked meanwhile)
        }
        store.cards.update(card.id, { status: to, suspendedFrom: null });
        this.record(card, { kind: 'station' }, 'card.expired', { expirationDate: card.expirationDate, previousStatus: card.status }, 'card.expired');
        expired.push(card.id);
      });
    }
    return expired;
  }

  /**
   * Cards, oldest first, optionally filtered.
   * @param filter.status only these statuses; filter.personId only this person's cards
   */
  list(filter: { status?: readonly CardStatus[]; personId?: string } = {}): CardView[] {
    const ids = this.deps.store.db.prepare('SELECT id FROM cards ORDER BY created_at, rowid').all() as { id: string }[];
    const out: CardView[] = [];
    for (const { id } of ids) {
      const card = this.deps.store.cards.get(id);
      if (!card) continue;
      if (filter.status && !filter.status.includes(card.status)) continue;
      if (filter.personId && card.personId !== filter.personId) continue;
      out.push(this.view(card));
    }
    return out;
  }

  /**
   * One card with its certificates. `idOrNumber` is the card id, its 8-digit card number or its GUID.
   * @throws StationError NOT_FOUND_RECORD
   */
  get(idOrNumber: string): CardDetailView {
    const card = this.resolve(idOrNumber);
    const { store } = this.deps;
    return {
      ...this.view(card),
      certificates: store.certificates.listByCard(card.id).map((c) => ({ slot: c.slot, serial: c.serial, status: c.status, revocationReason: c.revocationReason, notAfter: c.notAfter })),
      requestId: store.requests.findByCard(card.id)?.id ?? null,
      capabilities: card.capabilities,
    };
  }

  /**
   * The card by id, card number (8 digits) or GUID (UUID or 32 hex digits).
   * @throws StationError NOT_FOUND_RECORD
   */
  resolve(idOrNumber: string): CardRecord {
    return resolveCard(this.deps.store, idOrNumber);
  }

  /** One audit event plus (optionally) one notification, inside the caller's transaction. */
  private record(card: CardRecord, actor: LifecycleActor, action: string, details: Record<string, unknown>, notification?: NotificationType): void {
    const { store } = this.deps;
    store.audit.append({ actor: actorName(actor), action, outcome: 'ok', personId: card.personId, cardId: card.id, details });
    if (notification) recordNotification(store, { type: notification, personId: card.personId, cardId: card.id, data: details }, this.now());
  }

  /** Audits a refused or failed operation (the code only; never a secret), then rethrows. */
  private failed(actor: LifecycleActor, action: string, e: unknown, card?: CardRecord): never {
    const err = toStationError(e);
    try {
      this.deps.store.audit.append({
        actor: actorName(actor),
        action,
        outcome: REFUSAL_CODES.includes(err.code) ? 'refused' : 'failed',
        personId: card?.personId ?? null,
        cardId: card?.id ?? null,
        details: { code: err.code, ...(typeof err.details.rule === 'string' ? { rule: err.details.rule } : {}) },
      });
    } catch {
      // the operation's own error is the one to report
    }
    throw err;
  }

  /** Revokes every valid or held certificate of the card at the CA (idempotent); returns those it concerned. */
  private async revokeAtCa(card: CardRecord, reason: RevocationReason): Promise<CertificateRecord[]> {
    const certs = this.deps.store.certificates.listByCard(card.id).filter((c) => c.status !== 'revoked');
    for (const c of certs) await this.deps.ca.revoke(c.serial, reason);
    return certs;
  }

  /** Closes the card's request if it is still open (a produced request is already closed), as the rule book's `close` row says. */
  private closeRequest(card: CardRecord, reason: string, actor: LifecycleActor, performer: 'cards.revoke' | 'cards.recycle' | 'cards.reissue'): void {
    const { store } = this.deps;
    const request = store.requests.findByCard(card.id);
    if (!request) return;
    let to;
    try {
      to = this.rules.request('close', request, actor, performer).to;
    } catch {
      return; // already closed
    }
    store.requests.update(request.id, { state: to, decisionReason: reason, decidedAt: this.now().toISOString() });
  }

  /**
   * Terminates a card (the card may be absent): all its certificates revoked at
   * the CA with the reason's CRL code (see reasons.ts), the card revoked, its
   * request closed; notification card.revoked.
   * @throws StationError NOT_FOUND_RECORD, CARD_STATE (already revoked, not issued yet), CA_ERROR
   */
  async revoke(idOrNumber: string, reason: TerminationReason, actor: LifecycleActor): Promise<CardDetailView> {
    let card: CardRecord | undefined;
    try {
      card = this.resolve(idOrNumber);
      const to = this.allow(card, 'revoke', actor);
      await this.terminate(card, to, reason, actor, 'cards.revoke');
      return this.get(card.id);
    } catch (e) {
      this.failed(actor, 'card.revoke', e, card);
    }
  }

  /**
   * Revokes every certificate of `card` with the reason's CRL code, then moves
   * the card to `to` and closes its request (the transition was allowed by the caller).
   */
  private async terminate(card: CardRecord, to: CardStatus, reason: TerminationReason, actor: LifecycleActor, performer: 'cards.revoke' | 'cards.reissue'): Promise<void> {
    const crlReason = CRL_REASON_FOR[reason];
    if (!crlReason) throw new StationError('INVALID_INPUT', 'The reason must be lost, stolen, damaged, left or key-compromise.', { field: 'reason' });
    const certs = await this.revokeAtCa(card, crlReason);
    this.deps.store.transaction(() => {
      for (const cert of certs) this.deps.store.certificates.setStatus(cert.serial, 'revoked', crlReason);
      this.deps.store.cards.update(card.id, { status: to, suspendedFrom: null, terminationReason: reason, lifecycleBy: officerId(actor) });
      this.closeRequest(card, `card revoked: ${reason}`, actor, performer);
      this.record(card, actor, 'card.revoked', { reason, crlReason, certificates: certs.length, previousStatus: card.status }, 'card.revoked');
    });
  }

  /**
   * Suspends a card (absent or not): its valid certificates go on hold
   * (certificateHold), the card is suspended; notification card.suspended.
   * @throws StationError NOT_FOUND_RECORD, CARD_STATE (not produced/active), CA_ERROR
   */
  async suspend(idOrNumber: string, actor: LifecycleActor): Promise<CardDetailView> {
    let card: CardRecord | undefined;
    try {
      card = this.resolve(idOrNumber);
      const to = this.allow(card, 'suspend', actor);
      const certs = this.deps.store.certificates.listByCard(card.id).filter((c) => c.status === 'valid');
      for (const c of certs) await this.deps.ca.revoke(c.serial, 'certificateHold');
      const c = card;
      this.deps.store.transaction(() => {
        for (const cert of certs) this.deps.store.certificates.setStatus(cert.serial, 'hold', 'certificateHold');
        // The status the suspension interrupts: resume goes back to exactly it.
        this.deps.store.cards.update(c.id, { status: to, suspendedFrom: c.status as 'produced' | 'active', lifecycleBy: officerId(actor) });
        this.record(c, actor, 'card.suspended', { certificates: certs.length, previousStatus: c.status }, 'card.suspended');
      });
      return this.get(c.id);
    } catch (e) {
      this.failed(actor, 'card.suspend', e, card);
    }
  }

  /**
   * Resumes a suspended card: the hold is released at the CA (the certificates
   * leave the next CRL), and the card goes back to the status its suspension
   * recorded (a card awaiting collection is awaiting collection again: it is
   * activated only at the desk, with the cardholder's PIN); notification card.resumed.
   * @throws StationError NOT_FOUND_RECORD, CARD_STATE (not suspended), FORBIDDEN (one's own card), CA_ERROR
   */
  async resume(idOrNumber: string, actor: LifecycleActor): Promise<CardDetailView> {
    let card: CardRecord | undefined;
    try {
      card = this.resolve(idOrNumber);
      const to = this.allow(card, 'resume', actor);
      const certs = this.deps.store.certificates.listByCard(card.id).filter((c) => c.status === 'hold');
      for (const c of certs) {
        // A resume interrupted after the CA released some holds finds them valid already.
        if ((await this.deps.ca.status(c.serial)) === 'hold') await this.deps.ca.releaseHold(c.serial);
      }
      const c = card;
      this.deps.store.transaction(() => {
        for (const cert of certs) this.deps.store.certificates.setStatus(cert.serial, 'valid');
        this.deps.store.cards.update(c.id, { status: to, suspendedFrom: null, lifecycleBy: officerId(actor) });
        this.record(c, actor, 'card.resumed', { certificates: certs.length, status: to }, 'card.resumed');
      });
      return this.get(c.id);
    } catch (e) {
      this.failed(actor, 'card.resume', e, card);
    }
  }

  /**
   * Activation when the cardholder collects the card in person: the card in
   * `readerName` is identified by its CHUID GUID and the cardholder's PIN is
   * verified on it; the card becomes active; notification card.activated.
   * @param expectedCard the card chosen on screen (id, number or GUID): another card in the reader is refused (CARD_MISMATCH)
   * @throws StationError WRONG_PIN {retriesLeft}, PIN_BLOCKED, NOT_FOUND_RECORD (not our card), CARD_STATE (not produced), CARD_MISMATCH, transport errors
   */
  async activate(readerName: string, pin: string, actor: LifecycleActor, expectedCard?: string): Promise<CardDetailView> {
    let card: CardRecord | undefined;
    try {
      const expected = expectedCard === undefined ? undefined : this.resolve(expectedCard);
      // The cardholder verifies the PIN chosen at production: only its form is checked here, the card decides.
      assertVerifiablePin(pin);
      return await withCardAtDesk(this.deps.readers, this.deps.store, readerName, async (desk) => {
        card = desk.card;
        const to = this.allow(desk.card, 'activate', actor);
        await desk.session.verifyPin(pin);
        this.deps.store.transaction(() => {
          this.deps.store.cards.update(desk.card.id, { status: to, lifecycleBy: officerId(actor) });
          this.record(desk.card, actor, 'card.activated', { reader: readerName, pinVerified: true }, 'card.activated');
        });
        return this.get(desk.card.id);
      }, expected);
    } catch (e) {
      this.failed(actor, 'card.activate', e, card);
    }
  }

  /**
   * PIN unlock at the desk: the escrowed PUK resets the retry counter with the
   * cardholder's new PIN (RESET RETRY COUNTER, SP 800-73-4 Part 2 §3.2.3), then
   * the PUK is rotated to a fresh random one, escrowed before the card is
   * changed (puk-rotation.ts), and the new PIN is verified.
   * @param expectedCard the card chosen on screen (id, number or GUID): another card in the reader is refused (CARD_MISMATCH)
   * @throws StationError INVALID_INPUT (PIN), NOT_FOUND_RECORD, CARD_STATE (revoked…), WRONG_PUK/PUK_BLOCKED, CARD_MISMATCH, transport errors
   */
  async unlock(readerName: string, newPin: string, actor: LifecycleActor, expectedCard?: string): Promise<CardDetailView> {
    let card: CardRecord | undefined;
    try {
      const expected = expectedCard === undefined ? undefined : this.resolve(expectedCard);
      assertChosenPin(newPin);
      return await withCardAtDesk(this.deps.readers, this.deps.store, readerName, async (desk) => {
        card = desk.card;
        this.allow(desk.card, 'unlock', actor);
        // The cardholder types the new PIN at an unlock whatever the profile's PIN source; its length still follows the profile.
        assertChosenPin(newPin, this.deps.profiles.profile(desk.card.cardProfile).pinPolicy);
        const candidates = pukCandidates(this.deps, desk.card.id);
        const onCard = await this.resetWithFirstWorking(desk, candidates, newPin);
        const next = generatePuk();
        beginPukRotation(this.deps, desk.card.id, onCard, next);
        await desk.session.changePuk(onCard, next);
        finishPukRotation(this.deps, desk.card.id);
        await desk.session.verifyPin(newPin);
        this.deps.store.transaction(() => {
          this.deps.store.cards.update(desk.card.id, { lifecycleBy: officerId(actor) });
          this.record(desk.card, actor, 'card.unlocked', { reader: readerName, pukRotated: true, recoveredRotation: onCard !== candidates[0] });
        });
        return this.get(desk.card.id);
      }, expected);
    } catch (e) {
      this.failed(actor, 'card.unlock', e, card);
    }
  }

  /** RESET RETRY COUNTER with each candidate PUK in turn; returns the one the card accepted. */
  private async resetWithFirstWorking(desk: CardAtDesk, candidates: string[], newPin: string): Promise<string> {
    for (let i = 0; i < candidates.length; i++) {
      try {
        await desk.session.resetRetryCounter(candidates[i]!, newPin);
        return candidates[i]!;
      } catch (e) {
        // Only a wrong PUK makes the next candidate worth one try.
        if (!isStationError(e, 'WRONG_PUK') || i === candidates.length - 1) throw e;
      }
    }
    throw new StationError('INTERNAL', 'No PUK to try.');
  }

  /**
   * Recycles a card returned to the desk: authenticated with its derived
   * management key (never guessed: candidates from the record only), its
   * certificates revoked (cessationOfOperation), and the card returned to the
   * station's blank with standard commands (return-to-blank.ts: objects
   * deleted, PUK, PIN and management key back to their transport values; no
   * vendor RESET, so no PIN or PUK is ever blocked on purpose).
   * The card record ends revoked, with `recycled` in the audit details.
   * @param expectedCard the card chosen on screen (id, number or GUID): another card in the reader is refused (CARD_MISMATCH)
   * @throws StationError NOT_FOUND_RECORD (not our card), MGMT_KEY_UNKNOWN, CARD_STATE, CA_ERROR, CARD_MISMATCH, transport errors
   */
  async recycle(readerName: string, actor: LifecycleActor, expectedCard?: string): Promise<CardDetailView> {
    let card: CardRecord | undefined;
    try {
      const expected = expectedCard === undefined ? undefined : this.resolve(expectedCard);
      return await withCardAtDesk(this.deps.readers, this.deps.store, readerName, async (desk) => {
        card = desk.card;
        const to = this.allow(desk.card, 'recycle', actor);
        await this.authenticate(desk);
        const certs = await this.revokeAtCa(desk.card, RECYCLE_CRL_REASON);
        const blank = await returnToBlank(desk, pukCandidates(this.deps, desk.card.id));
        const c = desk.card;
        this.deps.store.transaction(() => {
          this.deps.store.cards.update(c.id, { mgmtKeyState: 'transport', mgmtKeyAlg: blank.transportKeyAlgorithm === 'factory' ? null : blank.transportKeyAlgorithm });
          for (const cert of certs) this.deps.store.certificates.setStatus(cert.serial, 'revoked', RECYCLE_CRL_REASON);
          this.deps.store.db.prepare('DELETE FROM puk_rotations WHERE card_id = ?').run(c.id);
          const wasRevoked = c.status === 'revoked';
          this.deps.store.cards.update(c.id, { status: to, suspendedFrom: null, lifecycleBy: officerId(actor) });
          this.closeRequest(c, 'card recycled', actor, 'cards.recycle');
          this.record(
            c,
            actor,
            'card.recycled',
            {
              recycled: true,
              reader: readerName,
              certificates: certs.length,
              previousStatus: c.status,
              crlReason: RECYCLE_CRL_REASON,
              deleted: blank.deleted.join(','),
              keptByCard: blank.keptByCard.join(','),
              keysDeleted: blank.keysDeleted.join(','),
              resetByCard: blank.resetByCard,
            },
            wasRevoked ? undefined : 'card.revoked',
          );
        });
        return this.get(c.id);
      }, expected);
    } catch (e) {
      this.failed(actor, 'card.recycle', e, card);
    }
  }

  /** Management-key authentication with the record's candidates, each tried once. */
  private async authenticate(desk: CardAtDesk): Promise<void> {
    const candidates = managementKeyCandidates(this.deps.keyring, desk.card, transportAlgorithmsOf(desk.identity));
    for (const c of candidates) {
      try {
        await desk.session.authenticateManagementKey(c.algorithm, c.key);
        return;
      } catch (e) {
        if (!isStationError(e, 'MGMT_KEY_REJECTED', 'SECURITY_STATUS', 'BAD_DATA')) throw e;
      }
    }
    throw new StationError('MGMT_KEY_UNKNOWN', "The station's management key for this card does not work; the card cannot be recycled here.");
  }

  /**
   * Replaces a lost, stolen or damaged card in one flow: the old card is
   * revoked (unless already revoked), a new card object is made for the same
   * person and profile with its own approved card request linked to the old
   * card (replacement-request.ts), and its production job is created on
   * `readerName` (the caller runs it with the production engine on the blank
   * card there, then reports the job's end to the request workflow).
   * @param pin the cardholder's new PIN; absent → generated by the job
   * @throws StationError NOT_FOUND_RECORD, CARD_STATE, REQUEST_STATE (another open request for the person),
   *   INVALID_INPUT (reason, PIN), CA_ERROR
   */
  async reissue(idOrNumber: string, reason: ReissueReason, readerName: string, pin: string | undefined, actor: LifecycleActor): Promise<ReissueResult> {
    let card: CardRecord | undefined;
    try {
      const { production, store } = this.deps;
      if (!production) throw new StationError('UNSUPPORTED', 'This station cannot produce cards.');
      if (!(REISSUE_REASONS as readonly string[]).includes(reason)) throw new StationError('INVALID_INPUT', 'A card is reissued when it was lost, stolen or damaged.', { field: 'reason' });
      if (pin !== undefined) assertChosenPin(pin);
      card = this.resolve(idOrNumber);
      const person = store.persons.get(card.personId);
      if (!person) throw new StationError('NOT_FOUND_RECORD', 'The cardholder of this card is not on record.');
      // The replacement re-fulfils the replaced card's request: it keeps that card's requester and approval, and the
      // reissuing officer produces it, so the rule book asks about the old card, the new card object and its production.
      const parties = this.rules.cardParties(card);
      const oldTo = this.rules.card('reissue', card, actor, 'cards.reissue').to;
      this.rules.card('reissue', null, actor, 'cards.reissue', parties);
      this.rules.request('reissue', null, actor, 'cards.reissue', parties);
      const officer = this.rules.officer(actor, 'cards.reissue');
      this.rules.assertDuties('card', 'produce', 'approved', officer, parties);
      assertNoOpenRequest(store, card);
      // Refused before the old card is revoked: the new card's profile decides whether a PIN is typed and how long it is.
      assertPinFollowsPolicy(this.deps.profiles.profile(card.cardProfile).pinPolicy, pin);
      if (card.status !== oldTo) await this.terminate(card, oldTo, reason, actor, 'cards.reissue');
      const old = card;
      const replacement = store.transaction(() => {
        const created = createCardObject(this.deps, person, old.cardProfile, this.now(), 'approval', { requestedBy: parties.requester, approvedBy: parties.approver });
        const request = createReplacementRequest(store, { old, replacement: created, reason, actor: officer.username, requestedBy: parties.requester, approvedBy: parties.approver, now: this.now() });
        store.audit.append({ actor: officer.username, action: 'card.reissued', outcome: 'ok', personId: old.personId, cardId: created.id, details: { replaces: old.id, reason, reader: readerName, requestId: request.id } });
        return { card: created, request };
      });
      const job = store.transaction(() => {
        const created = production.createJobForCard(replacement.card.id, readerName, pin);
        store.requests.update(replacement.request.id, { state: this.rules.request('produce', replacement.request, actor, 'cards.reissue').to });
        store.cards.update(replacement.card.id, { producedBy: officer.id });
        store.audit.append({ actor: officer.username, action: 'request.production', outcome: 'ok', personId: old.personId, cardId: replacement.card.id, jobId: created.id, details: { requestId: replacement.request.id, reader: readerName, resumed: false } });
        return created;
      });
      return { replacedCardId: old.id, cardId: replacement.card.id, jobId: job.id, requestId: replacement.request.id };
    } catch (e) {
      this.failed(actor, 'card.reissue', e, card);
    }
  }

  /**
   * The published CRL: the CA's file when it is there and current, else a
   * freshly issued one.
   * @returns DER and the decoded view
   */
  async crl(): Promise<{ der: Uint8Array; view: CrlView }> {
    const file = this.deps.crlFile;
    if (file && existsSync(file)) {
      const der = new Uint8Array(readFileSync(file));
      try {
        const view = describeCrl(der);
        if (!view.nextUpdate || Date.parse(view.nextUpdate) > this.now().getTime()) return { der, view };
      } catch {
        // an unreadable file is replaced by a fresh CRL below
      }
    }
    const der = await this.deps.ca.crl();
    return { der, view: describeCrl(der) };
  }
}
