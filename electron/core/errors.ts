/**
 * Station errors: values with a stable `code`, one plain sentence for the
 * officer, and whether retrying the same operation can help.
 *
 * The renderer maps codes to words and never parses `message`. Messages and
 * `details` must never carry a PIN, PUK, management key or CA key: callers pass
 * only identifiers (slot, object tag, reader name, status word, retries left).
 * The codes and the details each carries are the contract's
 * (electron/contract/errors.ts), so every face keys on the same enum.
 */
import type { ErrorCode, ErrorDetailsOf, ErrorDetailValue } from '../contract/errors.js';

// Types only: the contract's zod schemas stay out of whatever loads this class
// (the CLI's --help loads it through the virtual card's personalities, issue 14).
export type { ErrorCode, ErrorDetailsOf } from '../contract/errors.js';

/** Non-secret context attached to an error of any code (slot, tag, sw, retriesLeft, reader…). */
export type ErrorDetails = { [key: string]: ErrorDetailValue };

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
  'LOGIN_THROTTLED',
]);

/**
 * The one error type the core throws.
 *
 * @param code     stable code from the contract's ErrorCode enum
 * @param message  one sentence for the officer, no secrets
 * @param details  non-secret context, typed per code (contract ErrorDetailFields; e.g. `{ sw: '6982', keyRef: '9A' }`)
 * @param retryable overrides the code's default (see RETRYABLE)
 */
export class StationError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly details: ErrorDetailsOf<C>;
  readonly retryable: boolean;

  constructor(code: C, message: string, details: ErrorDetailsOf<C> = {} as ErrorDetailsOf<C>, retryable?: boolean) {
    super(message);
    this.name = 'StationError';
    this.code = code;
    this.details = details;
    this.retryable = retryable ?? RETRYABLE.has(code);
  }

  /** Plain serialisable form, for IPC, JSON output and the job record. */
  toJSON(): { code: C; message: string; details: ErrorDetails; retryable: boolean } {
    return { code: this.code, message: this.message, details: this.details, retryable: this.retryable };
  }
}

/** True when `e` is a StationError, optionally of one of `codes`. */
export function isStationError<C extends ErrorCode = ErrorCode>(e: unknown, ...codes: C[]): e is StationError<C> {
  return e instanceof StationError && (codes.length === 0 || (codes as ErrorCode[]).includes(e.code));
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
