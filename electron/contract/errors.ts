/**
 * The station's error codes, as the StationApi carries them: one enum every
 * face keys on (the renderer maps codes to words, the CLI to exit codes), and
 * the details each code carries, typed. The core throws them as StationErrors
 * (electron/core/errors.ts, which also says whether a retry can help).
 * Details are non-secret context only (slot, object tag, reader name, status
 * word, retries left): never a PIN, PUK, management key or CA key.
 * Imports nothing runtime-specific.
 */
import { z } from 'zod';

/** Every error code the station can raise. Stable: the renderer and the CLI key on these. */
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
  // Officers, sessions, workflow
  'NOT_AUTHENTICATED', // no officer logged in on this connection
  'SESSION_LOCKED', // the session was locked after inactivity: log in again
  'LOGIN_THROTTLED', // too many failed logins (or one already in flight on this connection): details.retryAfterSeconds
  'ACCOUNT_LOCKED', // too many failed logins: an administrator must unlock the account (details.retryAfterSeconds when it lifts by itself)
  'FORBIDDEN', // the officer lacks the role, or a separation-of-duties rule refuses the call
  'REQUEST_STATE', // operation not allowed in the card request's current state
  'CARD_STATE', // lifecycle operation not allowed in the card's current status: details.status, details.cardId
  // CPR intake from the IDPRS (electron/core/workflow/cpr-result.ts documents each)
  'CPR_MALFORMED', // not CMS SignedData, or its JSON does not match the CPR schema
  'CPR_SIGNATURE_INVALID', // the signature cannot be verified with the configured IDPRS certificate
  'CPR_PERSON_UNKNOWN', // no person with that external id, and the IDPRS does not manage persons
  'CPR_REQUEST_EXISTS', // an issuance request is already open for the person
  'CPR_ID_CONFLICT', // the IDPRS request id was used before (accepted, refused or deleted) for another document
  'CPR_REPLAYED', // the same signed CPR was received before and deleted: never taken twice
  'CPR_STALE', // submitted not after the last CPR accepted for the person
  'CPR_FUTURE_DATED', // submittedAt is ahead of the station's clock by more than the allowed skew
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

/** The error code enum: `ErrorCode.enum.WRONG_PIN`, `ErrorCode.safeParse(x)`. */
export const ErrorCode = z.enum(ERROR_CODES);
/** A stable station error code. */
export type ErrorCode = z.infer<typeof ErrorCode>;

/** One value of an error's details: plain, non-secret. */
export type ErrorDetailValue = string | number | boolean | null | undefined;

/** Details a card answer carries (electron/core/piv/status-words.ts): the status word and command, the key reference or object (hex). */
interface CardStatusDetails {
  sw: string;
  command: string;
  keyRef: string;
  object: string;
}
/** A reader the error happened in. */
interface ReaderDetails {
  reader: string;
}

/**
 * The details each code is known to carry, with their types. Every field is
 * optional (a code raised in several places need not carry all of them) and
 * an error may add other plain values; a field named here always has this type.
 */
export interface ErrorDetailFields {
  NO_READER: ReaderDetails;
  READER_GONE: ReaderDetails;
  NO_CARD: ReaderDetails;
  CARD_REMOVED: ReaderDetails;
  CARD_MUTE: ReaderDetails;
  READER_BUSY: ReaderDetails;
  TRANSPORT: ReaderDetails & { port: number };
  NOT_PIV: CardStatusDetails;
  WRONG_PIN: CardStatusDetails & { retriesLeft: number };
  PIN_BLOCKED: CardStatusDetails;
  WRONG_PUK: CardStatusDetails & { retriesLeft: number };
  PUK_BLOCKED: CardStatusDetails;
  MGMT_KEY_REJECTED: CardStatusDetails & { retriesLeft: number };
  SECURITY_STATUS: CardStatusDetails;
  CONDITIONS: CardStatusDetails;
  NOT_FOUND: CardStatusDetails;
  NO_KEY: CardStatusDetails;
  UNSUPPORTED: CardStatusDetails;
  CARD_FULL: CardStatusDetails;
  BAD_DATA: CardStatusDetails;
  SW: CardStatusDetails & { retriesLeft: number };
  CARD_MISMATCH: ReaderDetails & { cardId: string; expectedCardId: string };
  /** `channel`: the StationApi channel; `field`: the offending input field; `option`: the CLI option. */
  INVALID_INPUT: { channel: string; field: string; option: string };
  NOT_FOUND_RECORD: { record: string; id: string };
  /** `rule`: the separation-of-duties or kiosk rule that refused; `roles`: the roles the channel needs (comma-separated). */
  FORBIDDEN: { rule: string; channel: string; roles: string };
  REQUEST_STATE: { requestId: string; state: string; rule: string; batchId: string };
  CARD_STATE: { cardId: string; status: string };
  VERIFY_FAILED: { check: string; reason: string };
  KIOSK_THROTTLED: { retryAfterSeconds: number };
  /** `problem`: the first failed photo check (electron/core/physical/portrait.ts PortraitProblem) or 'unreadable'. */
  PHOTO_REJECTED: { problem: string };
  PHOTO_MISSING: { personId: string };
  PRINTER_UNAVAILABLE: { queue: string };
  PRINT_FAILED: { queue: string; printJob: number };
  /** `rule`: oneAtATime (a login is in flight on this connection), connection or username (failures there). */
  LOGIN_THROTTLED: { retryAfterSeconds: number; rule: string };
  ACCOUNT_LOCKED: { retryAfterSeconds: number };
}

/**
 * The details of an error with code `C`: the typed fields of
 * {@link ErrorDetailFields} (each optional), plus any other plain value.
 */
export type ErrorDetailsOf<C extends ErrorCode> = (C extends keyof ErrorDetailFields ? Partial<ErrorDetailFields[C]> : unknown) & { [key: string]: ErrorDetailValue };

/** An error as it crosses IPC, the bridge and the CLI's JSON output: code, the officer's sentence, details, whether a retry can help. */
export const ErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]).optional()).default({}),
  retryable: z.boolean(),
});
export type ApiError = z.infer<typeof ErrorShape>;

/** Narrows an error (a StationError or an ApiError) to one code, so its details read with their types. */
export function hasErrorCode<C extends ErrorCode>(e: { code: string; details?: unknown } | undefined | null, code: C): e is { code: C; details: ErrorDetailsOf<C> } {
  return !!e && e.code === code;
}
