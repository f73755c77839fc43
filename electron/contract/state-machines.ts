/**
 * The card and card-request state machines as tables: each row says from
 * which state an operation may start, the state it leaves the record in, who
 * may do it (the StationApi channels that carry it, so their roles in
 * CHANNEL_ROLES; 'station' for what the station does by itself at a job's end
 * or a date; 'idprs' for the CPR door) and which parties of the card the
 * acting officer must not be (separation of duties, FIPS 201-3 §2.1 and §2.7:
 * no single person issues a credential alone).
 *
 * The rows are data, written once: the core's rule book
 * (electron/core/policy/) enforces them on every path, the Cards screen offers
 * an action exactly where a row allows it, and the tests are generated from
 * them. Imports nothing runtime-specific.
 */
import type { Channel, CardView, CardRequestView } from './station-api.js';

export type CardStatus = CardView['status'];
export type RequestState = CardRequestView['state'];

/**
 * The parties of a card an officer may have to differ from:
 * - `cardholder`: the officer's own person record holds (or will hold) the card;
 * - `requester`: the officer who requested it;
 * - `approver`: the officer who approved its request.
 */
export type DutyParty = 'cardholder' | 'requester' | 'approver';

/** Who carries out an operation: a channel (its roles apply), the station itself, or the IDPRS (CPR intake). */
export type Performer = Channel | 'station' | 'idprs';

/**
 * The statuses of a card that is issued and in use: such a card is never
 * blank, so production refuses it and the readers panel names it.
 */
export const ISSUED_CARD_STATUSES: ReadonlySet<string> = new Set<CardStatus>(['produced', 'active', 'suspended']);

/** True when a card of status `status` is issued and in use (see {@link ISSUED_CARD_STATUSES}). */
export function isIssuedCardStatus(status: string): status is 'produced' | 'active' | 'suspended' {
  return ISSUED_CARD_STATUSES.has(status);
}

/** Operations on a card or a card request. */
export const OPERATIONS = [
  'request',
  'approve',
  'reject',
  'produce',
  'finish',
  'fail',
  'cancel',
  'delete',
  'close',
  'activate',
  'suspend',
  'resume',
  'revoke',
  'expire',
  'reissue',
  'recycle',
  'unlock',
  'takeSecrets',
  'pinMailer',
  'photo',
  'reprint',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** One row of a state machine. */
export interface Transition<S extends string> {
  /** The state the operation starts from; null: the operation creates the record. */
  from: S | null;
  operation: Operation;
  /** The state it leaves the record in (equal to `from` for operations that change no state: unlock, takeSecrets, pinMailer). */
  to: S;
  /** Who may: the channels that carry it, 'station' or 'idprs'. */
  by: readonly Performer[];
  /** Parties the acting officer must not be. */
  distinct?: readonly DutyParty[];
  /**
   * Parties the acting officer must not be where the agency's policy says so
   * (config `separationOfDuties.producerDiffersFromRequester`, default on).
   */
  distinctBySetting?: readonly DutyParty[];
  /**
   * The row applies only when the state recorded before the card was
   * suspended equals `to` (resume goes back to where suspend left off).
   */
  restoresRecorded?: true;
}

/** Where a card is "in use" until terminated: its certificates can be revoked. */
const REVOCABLE: readonly CardStatus[] = ['produced', 'active', 'suspended', 'production_failed', 'expired'];
/** A card the cardholder holds and uses. */
const HELD: readonly CardStatus[] = ['produced', 'active', 'suspended'];

/** Producing a card: never for oneself, never the approver of its request, and not its requester where the policy says so. */
const PRODUCER_DUTIES = { distinct: ['cardholder', 'approver'], distinctBySetting: ['requester'] } as const;
/** Every channel that runs a production of an approved card. */
const PRODUCE_BY: readonly Performer[] = ['requests.produce', 'production.start', 'batches.start', 'cards.reissue'];
/** Every channel that runs a failed production again. */
const RETRY_BY: readonly Performer[] = ['requests.produce', 'jobs.retry', 'batches.start', 'batches.retryItem'];
/**
 * Who stores a person's photo: an officer at the desk, or the IDPRS with a CPR (issue 11). A
 * production under way has no photo row: its chip may already hold the old face.
 */
const PHOTO_BY: readonly Performer[] = ['persons.setPhoto', 'idprs'];
/** Cancelling a production that is not running. */
const CANCEL_BY: readonly Performer[] = ['jobs.cancel', 'batches.cancelItem', 'idprs'];

const rows = <S extends string>(froms: readonly S[], row: Omit<Transition<S>, 'from' | 'to'> & { to?: S }): Transition<S>[] =>
  froms.map((from) => ({ ...row, from, to: row.to ?? from }));

/**
 * The card (the card object made when its request is approved, SP 800-73-4
 * Part 1 §3.1.2 CHUID identity) from approval to its end.
 */
export const CARD_TRANSITIONS: readonly Transition<CardStatus>[] = [
  // The card object is made by the approval (an approver, or the station for a profile that needs none).
  { from: null, operation: 'approve', to: 'approved', by: ['requests.approve', 'station'], distinct: ['cardholder', 'requester'] },
  // A replacement card object is made by a reissue (it keeps the replaced card's request and approval).
  { from: null, operation: 'reissue', to: 'approved', by: ['cards.reissue'], distinct: ['cardholder'] },
  { from: 'approved', operation: 'produce', to: 'in_production', by: PRODUCE_BY, ...PRODUCER_DUTIES },
  // A failed production runs again: the card stays "production failed" until the run finishes (the IDPRS hears of the failure once).
  { from: 'production_failed', operation: 'produce', to: 'production_failed', by: RETRY_BY, ...PRODUCER_DUTIES },
  // A production the station stopped in the middle (a crash) runs again.
  { from: 'in_production', operation: 'produce', to: 'in_production', by: ['jobs.retry'], ...PRODUCER_DUTIES },
  ...rows<CardStatus>(['in_production', 'production_failed'], { operation: 'finish', to: 'produced', by: ['station'] }),
  ...rows<CardStatus>(['in_production', 'production_failed'], { operation: 'fail', to: 'production_failed', by: ['station'] }),
  ...rows<CardStatus>(['in_production', 'production_failed'], { operation: 'cancel', to: 'cancelled', by: CANCEL_BY }),
  { from: 'approved', operation: 'delete', to: 'cancelled', by: ['idprs'] },
  { from: 'produced', operation: 'activate', to: 'active', by: ['cards.activate'], distinct: ['cardholder'] },
  // Ending or pausing a credential is protective: an officer may report their own card lost.
  ...rows<CardStatus>(['produced', 'active'], { operation: 'suspend', to: 'suspended', by: ['cards.suspend'] }),
  { from: 'suspended', operation: 'resume', to: 'produced', by: ['cards.resume'], distinct: ['cardholder'], restoresRecorded: true },
  { from: 'suspended', operation: 'resume', to: 'active', by: ['cards.resume'], distinct: ['cardholder'], restoresRecorded: true },
  ...rows<CardStatus>(REVOCABLE, { operation: 'revoke', to: 'revoked', by: ['cards.revoke'] }),
  ...rows<CardStatus>(HELD, { operation: 'expire', to: 'expired', by: ['station'] }),
  // The replaced card is revoked; its replacement is a new card object (row above) produced at once.
  ...rows<CardStatus>([...REVOCABLE, 'revoked'], { operation: 'reissue', to: 'revoked', by: ['cards.reissue'], distinct: ['cardholder'] }),
  ...rows<CardStatus>([...REVOCABLE, 'revoked', 'cancelled'], { operation: 'recycle', to: 'revoked', by: ['cards.recycle'] }),
  ...rows<CardStatus>(HELD, { operation: 'unlock', by: ['cards.unlock'], distinct: ['cardholder'] }),
  { from: 'produced', operation: 'takeSecrets', to: 'produced', by: ['jobs.takeSecrets'], distinct: ['cardholder'] },
  { from: 'produced', operation: 'pinMailer', to: 'produced', by: ['station'], distinct: ['cardholder'] },
  // A new photo voids an approval (the approver compared the old photo with the identity): the card object made on approval goes with it (issue 11).
  { from: 'approved', operation: 'photo', to: 'cancelled', by: PHOTO_BY, distinct: ['cardholder'] },
  // The face of a card the cardholder holds or will collect printed again (issue 11), never of one's own card.
  ...rows<CardStatus>(['produced', 'active', 'suspended'], { operation: 'reprint', by: ['cards.reprint'], distinct: ['cardholder'] }),
];

/** Request states in which a request is still open (one open request per person). */
export const OPEN_REQUEST_STATES: readonly RequestState[] = ['requested', 'approved', 'in_production', 'production_failed'];

/** The card request from its creation to its card's production (after which the request follows its card). */
export const REQUEST_TRANSITIONS: readonly Transition<RequestState>[] = [
  { from: null, operation: 'request', to: 'requested', by: ['requests.create', 'production.start', 'kiosk.request', 'idprs'], distinct: ['cardholder'] },
  // A reissue makes the replacement's request already approved: the replaced card's approval carries over.
  { from: null, operation: 'reissue', to: 'approved', by: ['cards.reissue'], distinct: ['cardholder'] },
  { from: 'requested', operation: 'approve', to: 'approved', by: ['requests.approve', 'station'], distinct: ['cardholder', 'requester'] },
  { from: 'requested', operation: 'reject', to: 'rejected', by: ['requests.reject'] },
  { from: 'approved', operation: 'produce', to: 'in_production', by: PRODUCE_BY, ...PRODUCER_DUTIES },
  { from: 'production_failed', operation: 'produce', to: 'in_production', by: RETRY_BY, ...PRODUCER_DUTIES },
  { from: 'in_production', operation: 'produce', to: 'in_production', by: ['jobs.retry'], ...PRODUCER_DUTIES },
  { from: 'in_production', operation: 'finish', to: 'produced', by: ['station'] },
  { from: 'in_production', operation: 'fail', to: 'production_failed', by: ['station'] },
  ...rows<RequestState>(['in_production', 'production_failed'], { operation: 'cancel', to: 'cancelled', by: CANCEL_BY }),
  ...rows<RequestState>(['requested', 'approved', 'production_failed'], { operation: 'delete', to: 'cancelled', by: ['idprs'] }),
  // The card of an open request was revoked or recycled: the request closes with it.
  ...rows<RequestState>(OPEN_REQUEST_STATES, { operation: 'close', to: 'cancelled', by: ['cards.revoke', 'cards.recycle', 'cards.reissue'] }),
  // A new photo voids the approval: the request waits for an approver again (issue 11); nobody stores their own photo.
  // A waiting request keeps waiting; from 'in_production' and 'production_failed' there is no photo row (PHOTO_BY).
  { from: 'requested', operation: 'photo', to: 'requested', by: PHOTO_BY, distinct: ['cardholder'] },
  { from: 'approved', operation: 'photo', to: 'requested', by: PHOTO_BY, distinct: ['cardholder'] },
];

/** The rows of `table` for `operation` from `from`. */
export function transitionsFrom<S extends string>(table: readonly Transition<S>[], operation: Operation, from: S | null): Transition<S>[] {
  return table.filter((t) => t.operation === operation && t.from === from);
}

/** Whether some row of `table` lets `operation` start from `from`. */
export function allowedFrom<S extends string>(table: readonly Transition<S>[], operation: Operation, from: S | null): boolean {
  return table.some((t) => t.operation === operation && t.from === from);
}

/** Whether some row of `table` lets `performer` do `operation` from `from`. */
export function allowedVia<S extends string>(table: readonly Transition<S>[], operation: Operation, from: S | null, performer: Performer): boolean {
  return table.some((t) => t.operation === operation && t.from === from && t.by.includes(performer));
}

/** Whether `(from → to)` is a row of `table` (for any operation): the record moved along the machine. */
export function isTransition<S extends string>(table: readonly Transition<S>[], from: S | null, to: S): boolean {
  return table.some((t) => t.from === from && t.to === to);
}
