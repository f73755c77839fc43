/**
 * The rule book (issue 10 "One rule book"): the one place the core decides
 * whether an operation that can lead to a credential, a secret or a state
 * change may happen. Every path asks it — direct issue, request production,
 * batch, retry, reissue, unlock, activate, resume, recycle, the one-time
 * secrets, the PIN mailer, the cardholder's photo (desk and CPR) and card
 * reprints — so a new path cannot forget a rule.
 *
 * It reads the state machines and the separation-of-duties predicates from
 * the contract (electron/contract/state-machines.ts, duties.ts: data and pure
 * functions the screens share) and the channel roles from CHANNEL_ROLES, and
 * enforces them with the store's view of the card: its cardholder, requester
 * and approver (recorded on the card, migration 12) and the status a
 * suspension interrupted.
 *
 * Refusals are StationErrors: CARD_STATE / REQUEST_STATE (no row from this
 * state, details.status/state), FORBIDDEN (role: details.roles; duty:
 * details.rule), NOT_AUTHENTICATED. The rule book writes nothing: the caller
 * audits the refusal and, on success, records the transition it was given.
 */
import { mayCall } from '../../contract/access.js';
import { rolesPhrase } from '../../contract/officer-rules.js';
import { CHANNEL_ROLES, type Channel } from '../../contract/station-api.js';
import {
  CARD_TRANSITIONS,
  REQUEST_TRANSITIONS,
  transitionsFrom,
  type CardStatus,
  type Operation,
  type Performer,
  type RequestState,
  type Transition,
} from '../../contract/state-machines.js';
import {
  DEFAULT_DUTY_SETTINGS,
  approvalReason,
  directIssueBlock,
  dutyConflict,
  dutyRefusal,
  rejectionStands,
  type ApprovalReason,
  type CardParties,
  type DutySettings,
  type RequestSource,
} from '../../contract/duties.js';
import { StationError } from '../errors.js';
import type { StationConfig } from '../config/station-config.js';
import type { StationStore } from '../store/store.js';
import type { CardRecord } from '../store/records.js';
import type { CardRequest, Caller, Officer } from '../workflow/types.js';
import type { ProfileRegistry } from '../workflow/profile-registry.js';

/** Who acts: a caller of the StationApi, or the station itself (a job's end, a date). */
export type Actor = Caller | { kind: 'station' };

/** Who stores a person's photo: the desk's channel (also the CLI's), or the IDPRS with a CPR. */
export type PhotoPerformer = 'persons.setPhoto' | 'idprs';

/** What a new photo of a person undoes (RuleBook.photo), for the caller to apply with the photo. */
export interface PhotoEffects {
  /** Each approval the photo voids: the request, the state its photo row leaves it in, and its card object's (null: none to change). */
  voids: { request: CardRequest; to: RequestState; card: { id: string; to: CardStatus } | null }[];
}

/** Words for an operation in "it cannot be …" sentences. */
const DONE_WORDS: Record<Operation, string> = {
  request: 'requested',
  approve: 'approved',
  reject: 'rejected',
  produce: 'produced',
  finish: 'finished',
  fail: 'failed',
  cancel: 'cancelled',
  delete: 'deleted',
  close: 'closed',
  activate: 'activated',
  suspend: 'suspended',
  resume: 'resumed',
  revoke: 'revoked',
  expire: 'expired',
  reissue: 'reissued',
  recycle: 'recycled',
  unlock: 'unlocked',
  takeSecrets: 'given its one-time secrets',
  pinMailer: 'given a PIN mailer',
  photo: 'given another photo',
  reprint: 'printed again',
};

const said = (s: string) => s.replace('_', ' ');

/** Dependencies of the rule book. */
export interface RuleBookDeps {
  store: StationStore;
  config: Pick<StationConfig, 'profiles'> & { separationOfDuties?: DutySettings };
  /** The station's profile registry (built once by the composition root). */
  profiles: ProfileRegistry;
}

/** The rule book. One per station; cheap to make. */
export class RuleBook {
  private readonly profiles: ProfileRegistry;

  constructor(private readonly deps: RuleBookDeps) {
    this.profiles = deps.profiles;
  }

  /** The agency's separation-of-duties settings (config `separationOfDuties`). */
  get settings(): DutySettings {
    return this.deps.config.separationOfDuties ?? DEFAULT_DUTY_SETTINGS;
  }

  /**
   * The officer calling through `channel`: logged in and holding one of the
   * channel's roles (CHANNEL_ROLES), for services called outside dispatch too.
   * @throws StationError NOT_AUTHENTICATED, FORBIDDEN (details.roles)
   */
  officer(caller: Actor, channel: Channel): Officer {
    if (caller.kind !== 'officer') throw new StationError('NOT_AUTHENTICATED', 'Log in as an officer first.');
    if (!mayCall(caller.officer, channel)) {
      const need = CHANNEL_ROLES[channel];
      const roles = Array.isArray(need) ? need : [];
      throw new StationError('FORBIDDEN', `This needs ${rolesPhrase(roles)}.`, { channel, roles: roles.join(',') });
    }
    return caller.officer;
  }

  /** The parties of a card: its cardholder, and the requester and approver recorded on it (else on its request). */
  cardParties(card: CardRecord): CardParties {
    const request = card.requestedBy === null && card.approvedBy === null ? this.deps.store.requests.findByCard(card.id) : undefined;
    return {
      cardholder: card.personId,
      requester: card.requestedBy ?? request?.requestedBy ?? null,
      approver: card.approvedBy ?? (request && request.state !== 'rejected' ? request.decidedBy : null),
    };
  }

  /** The parties of a request. */
  requestParties(r: Pick<CardRequest, 'personId' | 'requestedBy' | 'decidedBy' | 'state'>): CardParties {
    return { cardholder: r.personId, requester: r.requestedBy, approver: r.state === 'rejected' ? null : r.decidedBy };
  }

  /**
   * May `actor` do `operation` on `card` (null: the card object is being
   * made, `parties` say for whom) through `performer`? Only the rows that
   * `performer` carries count: from any other status the card's state refuses.
   * @returns the row that applies: its `to` is the card's next status
   * @throws StationError CARD_STATE, FORBIDDEN, NOT_AUTHENTICATED
   */
  card(operation: Operation, card: CardRecord | null, actor: Actor, performer: Performer, parties?: CardParties): Transition<CardStatus> {
    const from = card?.status ?? null;
    const rows = transitionsFrom(CARD_TRANSITIONS, operation, from).filter((t) => t.by.includes(performer) && (!t.restoresRecorded || t.to === card?.suspendedFrom));
    if (rows.length === 0) {
      throw new StationError('CARD_STATE', `This card is ${said(from ?? 'not made yet')}; it cannot be ${DONE_WORDS[operation]}.`, { cardId: card?.id, status: from ?? undefined });
    }
    return this.decide(rows, operation, actor, performer, parties ?? this.cardParties(card!));
  }

  /**
   * May `actor` do `operation` on `request` (null: the request is being made,
   * `parties` say for whom) through `performer`?
   * @returns the row that applies: its `to` is the request's next state
   * @throws StationError REQUEST_STATE, FORBIDDEN, NOT_AUTHENTICATED
   */
  request(operation: Operation, request: CardRequest | null, actor: Actor, performer: Performer, parties?: CardParties): Transition<RequestState> {
    const from = request?.state ?? null;
    const rows = transitionsFrom(REQUEST_TRANSITIONS, operation, from).filter((t) => t.by.includes(performer));
    if (rows.length === 0) {
      throw new StationError('REQUEST_STATE', `This request is ${said(from ?? 'not made yet')}; it cannot be ${DONE_WORDS[operation]}.`, { requestId: request?.id, state: from ?? undefined });
    }
    return this.decide(rows, operation, actor, performer, parties ?? this.requestParties(request!));
  }

  /**
   * Separation of duties for an officer, on its own: whether `officer` may do
   * `operation` for a card with these parties (no state involved). Used where
   * the state was checked already or is the card's job's (one-time secrets).
   * @throws StationError FORBIDDEN (details.rule)
   */
  assertDuties(table: 'card' | 'request', operation: Operation, from: string | null, officer: Officer, parties: CardParties): void {
    const rows = transitionsFrom<string>(table === 'card' ? CARD_TRANSITIONS : REQUEST_TRANSITIONS, operation, from);
    for (const row of rows) this.assertRowDuties(row, operation, officer, parties);
  }

  /**
   * May `actor` take the one-time secrets (PUK, generated PIN) of `card`'s
   * production? The secrets exist once its job is done; never for one's own card.
   * @throws StationError FORBIDDEN (details.rule takeSecretsForSelf), NOT_AUTHENTICATED
   */
  takeSecrets(card: CardRecord, actor: Actor): void {
    this.assertDuties('card', 'takeSecrets', 'produced', this.officer(actor, 'jobs.takeSecrets'), this.cardParties(card));
  }

  /**
   * May `actor` have the PIN mailer of `card` made (it carries the generated
   * PIN)? The card table's pinMailer row: never for one's own card.
   * @throws StationError FORBIDDEN (details.rule), NOT_AUTHENTICATED
   */
  pinMailer(card: CardRecord, actor: Actor): void {
    this.assertDuties('card', 'pinMailer', card.status, this.officer(actor, 'jobs.pinMailer'), this.cardParties(card));
  }

  /**
   * May `actor` store a new photo of the person `personId`, through `performer` (persons.setPhoto at
   * the desk and in the CLI, 'idprs' for a CPR's photo), and what does it undo? The photo rows of
   * the state machines decide (issue 11): nobody stores their own photo; every open request of the
   * person needs a photo row from its state, so a card in production (in_production,
   * production_failed: its chip may already hold the old face) refuses the photo; a replacement
   * (the person had a photo) voids each approval it meets, the request and its card object going
   * where the rows say. The rule book writes nothing: the caller stores the photo and applies
   * {@link PhotoEffects} in one transaction (workflow/person-photo.ts storePersonPhoto).
   * @returns what the new photo undoes
   * @throws StationError FORBIDDEN (details.rule photoForSelf), REQUEST_STATE (details.rule
   *   photoDuringProduction, requestId, state), NOT_AUTHENTICATED
   */
  photo(personId: string, actor: Actor, performer: PhotoPerformer): PhotoEffects {
    const parties: CardParties = { cardholder: personId, requester: null, approver: null };
    if (performer === 'idprs') {
      if (actor.kind !== 'idprs') throw new StationError('FORBIDDEN', 'Only the IDPRS delivers photos with a CPR.', { operation: 'photo', performer });
    } else {
      this.assertDuties('request', 'photo', 'approved', this.officer(actor, performer), parties);
    }
    const { store } = this.deps;
    const hadPhoto = store.photos.currentInfo([personId]).has(personId);
    const voids: PhotoEffects['voids'] = [];
    for (const request of store.requests.openForPerson(personId)) {
      const row = transitionsFrom(REQUEST_TRANSITIONS, 'photo', request.state).find((t) => t.by.includes(performer));
      if (!row) {
        throw new StationError('REQUEST_STATE', 'A card of this person is in production: finish or cancel that production before replacing the photo.', {
          requestId: request.id,
          state: request.state,
          rule: 'photoDuringProduction',
        });
      }
      // A first photo voids nothing: no approver compared another face with the identity.
      if (!hadPhoto || row.to === request.state) continue;
      const card = request.cardId ? store.cards.get(request.cardId) : undefined;
      const cardRow = card ? transitionsFrom(CARD_TRANSITIONS, 'photo', card.status).find((t) => t.by.includes(performer)) : undefined;
      voids.push({ request, to: row.to, card: card && cardRow ? { id: card.id, to: cardRow.to } : null });
    }
    return { voids };
  }

  /**
   * May `actor` print the face of `card` again (cards.reprint)? The card table's reprint rows:
   * a card the cardholder holds or will collect, never one's own.
   * @throws StationError CARD_STATE, FORBIDDEN (details.rule reprintForSelf), NOT_AUTHENTICATED
   */
  reprint(card: CardRecord, actor: Actor): void {
    this.card('reprint', card, actor, 'cards.reprint');
  }

  /**
   * Whether a card of `profileId` for `person` needs an approver's decision,
   * from a request made at `source`: the profile says so, the profile does not
   * serve the person's affiliation, a kiosk asked, or the person's last
   * decided request for this profile was rejected.
   * @returns why (null: no approver needed)
   */
  approvalNeeded(person: { id: string; affiliation: string }, profileId: string, source: RequestSource): ApprovalReason | null {
    const profile = this.profiles.profile(profileId);
    const history = this.deps.store.requests.list({ personId: person.id });
    return approvalReason({ profile, affiliation: person.affiliation, source, rejectionStands: rejectionStands(history, profile.id) });
  }

  /**
   * May `officer` issue a `profileId` card to `person` directly (request and
   * production in one call)? The contract's directIssueBlock decides, with the
   * person's request history and the agency's settings: the screens ask it too.
   * @throws StationError FORBIDDEN (details.rule, details.reason for an approval)
   */
  assertDirectIssue(officer: Officer, person: { id: string; affiliation: string }, profileId: string): void {
    const profile = this.profiles.profile(profileId);
    const history = this.deps.store.requests.list({ personId: person.id });
    const block = directIssueBlock({ officer, person, profile, history, settings: this.settings });
    if (block) throw new StationError('FORBIDDEN', block.sentence, { rule: block.rule, reason: block.reason, profile: profile.id });
  }

  /** The first of `rows` (each carried by `performer`), once the actor may perform it and its duties allow them. */
  private decide<S extends string>(rows: Transition<S>[], operation: Operation, actor: Actor, performer: Performer, parties: CardParties): Transition<S> {
    const row = rows[0]!;
    if (performer === 'station' || performer === 'idprs') {
      if (actor.kind !== performer) throw new StationError('FORBIDDEN', 'Only the station itself does this.', { operation, performer });
      return row;
    }
    if (actor.kind === 'kiosk') {
      if (performer !== 'kiosk.request') throw new StationError('FORBIDDEN', 'This window is a self-service kiosk.', { operation, rule: 'kioskOnly' });
      return row;
    }
    this.assertRowDuties(row, operation, this.officer(actor, performer), parties);
    return row;
  }

  private assertRowDuties(row: Pick<Transition<string>, 'distinct' | 'distinctBySetting'>, operation: Operation, officer: Officer, parties: CardParties): void {
    const party = dutyConflict(row, officer, parties, this.settings);
    if (!party) return;
    const { rule, sentence } = dutyRefusal(operation, party);
    throw new StationError('FORBIDDEN', sentence, { rule, operation });
  }
}
