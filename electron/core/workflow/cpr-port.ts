/**
 * What the CPR intake needs from the rest of the workflow: persons by their
 * IDPRS id, and card requests. Kept narrow so the intake's rules read on
 * their own; the station's adapter (cpr-station.ts) binds it to the store and
 * the RequestService. Every method is synchronous so the intake can run a
 * whole acceptance in one SQLite transaction.
 */
import type { CprPerson } from './cpr-document.js';
import type { CardRequest } from './types.js';

/** Request states in which a request still counts as open (no new CPR may be accepted for the person): the request state machine's. */
export { OPEN_REQUEST_STATES } from '../../contract/state-machines.js';

/** Persons and requests, as the intake sees them. Errors are StationErrors. */
export interface CprRequestPort {
  /** The id of the person with this IDPRS person id, if any. */
  findPersonByExternalId(externalId: string): string | undefined;
  /** Creates a person from the CPR (with its external id); returns the person id. */
  createPerson(person: CprPerson): string;
  /** Replaces the person's stored attributes (names, e-mail, employee id, affiliation) with the CPR's. */
  replacePersonAttributes(personId: string, person: CprPerson): void;
  /** The person's open request (state in OPEN_REQUEST_STATES), if any. */
  openRequestFor(personId: string): CardRequest | undefined;
  /**
   * Creates the card request for the CPR: source 'idprs', caller the IDPRS
   * (audited with actor 'idprs'), state per the profile's approval rule.
   */
  createRequest(personId: string, profile: CardRequest['profile'], cprId: string): RequestRef;
  getRequest(requestId: string): CardRequest | undefined;
  /**
   * Stores the CPR's checked portrait as the person's current photo (source 'idprs'), as the rule
   * book allows (RuleBook.photo); calls `audited` with its version before any effect is applied.
   * @returns its version
   * @throws StationError REQUEST_STATE (a card of the person is in production), the store's errors
   */
  storePhoto(personId: string, portrait: { jpeg: Uint8Array; width: number; height: number }, audited: (version: number) => void): number;
  /**
   * The IDPRS delete-request on the request made from that IDPRS request:
   * cancels it (and its card object; a failed production job is cancelled,
   * revoking its certificates).
   * @throws StationError REQUEST_STATE when it is in production or produced; NOT_FOUND_RECORD
   */
  deleteForIdprs(idprsRequestId: string): Promise<RequestRef>;
}

/** The parts of a card request the intake answers with. */
export type RequestRef = Pick<CardRequest, 'id' | 'number' | 'state' | 'personId'>;
