/**
 * Station errors: values with a stable `code`, one plain sentence for the
 * officer, and whether retrying the same operation can help.
 *
 * The renderer maps codes to words and never parses `message`. Messages and
 * `details` must never carry a PIN, PUK, management key or CA key: callers pass
 * only identifiers (slot, object tag, reader name, status word, retries left).
 */

/** Every error code the station can raise. Stable: the renderer and CLI key on these. */
export const ERROR_CODES = [
  // PC/SC and transport
  'PCSC_UNAVAILABLE', // pcscd not running / no service
  'NO_READER', // no reader by that name
  'READER_GONE', // reader removed while in use
  'NO_CARD', // reader present, no card inserted
  'CARD_REMOVED', // card pulled during a session
  'CARD_MUTE', // card does not answer (reset, unresponsive)
  'READER_BUSY', // sharing violation: another process holds the reader
  'TRANSPORT', // any other transport failure
  // Card application
  'NOT_PIV', // no PIV application on the card
  'WRONG_PIN', // details.retriesLeft
  'PIN_BLOCKED',
  'WRONG_PUK', // details.retriesLeft
  'PUK_BLOCKED',
  'MGMT_KEY_REJECTED', // management key authentication failed
  'MGMT_KEY_UNKNOWN', // no candidate management key works: card not ours / locked elsewhere
  'SECURITY_STATUS', // 6982: a security condition is not satisfied
  'CONDITIONS', // 6985: conditions of use not satisfied
  'NOT_FOUND', // 6A82: object or application not found
  'NO_KEY', // 6A88 on a key reference: the slot holds no key
  'UNSUPPORTED', // 6A81/6D00/6B00: card does not support the function
  'CARD_FULL', // 6A84
  'BAD_DATA', // 6A80: the card rejected the data field
  'SW', // any other status word: details.sw
  'MALFORMED_RESPONSE', // card answered something we cannot parse
  'CARD_MISMATCH', // retry on a different card than the job started on
  'CARD_INCAPABLE', // card lacks a capability the profile needs (refused before production)
  'CARD_IN_USE', // the card is issued to someone: revoke and recycle before reuse
  // Station
  'INVALID_INPUT', // bad argument (e.g. PIN not 6-8 digits)
  'NOT_FOUND_RECORD', // no such person/job/card in the store
  'JOB_STATE', // operation not allowed in the job's current state
  'VERIFY_FAILED', // post-production verification found a defect
  'CA_ERROR', // the certificate authority refused or failed
  'SECRETS_LOCKED', // the data dir's secrets cannot be opened (wrong/missing passphrase)
  'STORE', // database failure
  // Officers, sessions, workflow (issue 4)
  'NOT_AUTHENTICATED', // no officer logged in on this connection
  'SESSION_LOCKED', // the session was locked after inactivity: log in again
  'FORBIDDEN', // the officer lacks the role, or a separation-of-duties rule refuses the call
  'REQUEST_STATE', // operation not allowed in the card request's current state
  'CARD_STATE', // lifecycle operation not allowed in the card's current status: details.status, details.cardId
  // CPR intake from the IDPRS (electron/core/workflow/cpr-result.ts documents each)
  'CPR_MALFORMED', // not CMS SignedData, or its JSON does not match the CPR schema
  'CPR_SIGNATURE_INVALID', // the signature cannot be verified with the configured IDPRS certificate
  'CPR_PERSON_UNKNOWN', // no person with that external id, and the IDPRS does not manage persons
  'CPR_REQUEST_EXISTS', // an issuance request is already open for the person
  'CPR_ID_CONFLICT', // the IDPRS request id was already accepted for another document
  'CPR_STORE_FAILED', // the CPR could not be stored
  'CPR_NOT_FOUND', // no CPR with that IDPRS request id
  'CPR_DELETE_REFUSED', // the request is already in production or produced
  // Self-service kiosk (electron/core/workflow/kiosk.ts)
  'KIOSK_NOT_RECOGNIZED', // the identification matches no person (one answer for unknown and mismatching, no enumeration)
  'KIOSK_THROTTLED', // too many failed identifications on this kiosk: details.retryAfterSeconds
  // The physical card: photo, card face, printing (issue 11)
  'PHOTO_REJECTED', // the portrait fails a check (too small, too dark/bright, not portrait): details.problem
  'PHOTO_MISSING', // the person has no portrait and the card needs one
  'PRINTER_UNAVAILABLE', // the print queue is missing, stopped or not accepting jobs: details.queue
  'PRINT_FAILED', // the print job was held, aborted or cancelled: details.queue, details.printJob
  'INTERNAL',
] as const;

/** A stable station error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Non-secret context attached to an error (slot, tag, sw, retriesLeft, reader…). */
export type ErrorDetails = Record<string, string | number | boolean | undefined>;

/** Codes for which trying the same operation again (e.g. after reinserting the card) can succeed. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'PCSC_UNAVAILABLE',
  'NO_READER',
  'READER_GONE',
  'NO_CARD',
  'CARD_REMOVED',
  'CARD_MUTE',
  'READER_BUSY',
  'TRANSPORT',
  'CARD_MISMATCH',
  'CA_ERROR',
  'STORE',
  'PRINTER_UNAVAILABLE',
  'PRINT_FAILED',
]);

/**
 * The one error type the core throws.
 *
 * @param code     stable code from {@link ERROR_CODES}
 * @param message  one sentence for the officer, no secrets
 * @param details  non-secret context (e.g. `{ sw: '6982', slot: '9A' }`)
 * @param retryable overrides the code's default (see RETRYABLE)
 */
export class StationError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, retryable?: boolean) {
    super(message);
    this.name = 'StationError';
    this.code = code;
    this.details = details;
    this.retryable = retryable ?? RETRYABLE.has(code);
  }

  /** Plain serialisable form, for IPC, JSON output and the job record. */
  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails; retryable: boolean } {
    return { code: this.code, message: this.message, details: this.details, retryable: this.retryable };
  }
}

/** True when `e` is a StationError, optionally of one of `codes`. */
export function isStationError(e: unknown, ...codes: ErrorCode[]): e is StationError {
  return e instanceof StationError && (codes.length === 0 || codes.includes(e.code));
}

/**
 * Wraps anything thrown into a StationError without leaking its text when it
 * is not ours (foreign messages may quote inputs). Keeps StationErrors as they are.
 */
export function toStationError(e: unknown, fallback: ErrorCode = 'INTERNAL'): StationError {
  if (e instanceof StationError) return e;
  const name = e instanceof Error ? e.name : typeof e;
  return new StationError(fallback, `Unexpected ${name} inside the station.`, {});
}
