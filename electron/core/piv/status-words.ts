/**
 * Status words → StationErrors, in one place (SP 800-73-4 Part 1 Table 6;
 * YubiKey additions 6985/6B00/6D00 per yubikit `SW`). Callers pass the
 * command and, where relevant, the key reference or object tag, so that a
 * `63Cx` after VERIFY reads "wrong PIN" and after a 9B authentication reads
 * "management key rejected". Details hold identifiers and counters only,
 * never command data.
 */
import { StationError, type ErrorDetails } from '../errors.js';
import { KeyRef, Sw } from './constants.js';

/** Names of the card commands, as used in error details and for status mapping. */
export const PivCommand = {
  SELECT: 'SELECT',
  GET_DATA: 'GET DATA',
  PUT_DATA: 'PUT DATA',
  VERIFY: 'VERIFY',
  CHANGE_REFERENCE_DATA: 'CHANGE REFERENCE DATA',
  RESET_RETRY_COUNTER: 'RESET RETRY COUNTER',
  GENERAL_AUTHENTICATE: 'GENERAL AUTHENTICATE',
  GENERATE_ASYMMETRIC_KEY_PAIR: 'GENERATE ASYMMETRIC KEY PAIR',
  GET_RESPONSE: 'GET RESPONSE',
  GET_VERSION: 'GET VERSION',
  GET_SERIAL: 'GET SERIAL',
  GET_METADATA: 'GET METADATA',
  SET_MANAGEMENT_KEY: 'SET MANAGEMENT KEY',
  SET_PIN_RETRIES: 'SET PIN RETRIES',
  RESET: 'RESET',
  MOVE_KEY: 'MOVE KEY',
  ATTEST: 'ATTEST',
} as const;

/** Context of the command that received the status word. */
export interface StatusContext {
  /** Command name, preferably from {@link PivCommand}. */
  command: string;
  /** Key reference involved (80 PIN, 81 PUK, 9B management key, 9A… slot). */
  keyRef?: number;
  /** Data object tag involved (e.g. 0x5FC102). */
  object?: number;
}

/** SW1 of "verification failed, x tries left" (63Cx) and the mask of the counter nibble. */
const SW1_WARNING = 0x63;
const SW2_COUNTER_FLAG = 0xc0;
const SW2_COUNTER_MASK = 0x0f;

/** Uppercase 4-digit hex of a status word, e.g. "6A82". */
export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

function hexByte(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

/** Retries left announced by `63Cx`, or undefined for any other status word. */
export function retriesFromSw(sw: number): number | undefined {
  if (sw >> 8 !== SW1_WARNING) return undefined;
  const sw2 = sw & 0xff;
  if ((sw2 & 0xf0) !== SW2_COUNTER_FLAG) return undefined;
  return sw2 & SW2_COUNTER_MASK;
}

function isPuk(keyRef: number | undefined): boolean {
  return keyRef === KeyRef.PUK;
}

function isManagementKey(keyRef: number | undefined): boolean {
  return keyRef === KeyRef.MANAGEMENT;
}

/**
 * Maps a non-success status word to the StationError an officer sees.
 *
 * | SW | code |
 * |---|---|
 * | 63Cx / 6300 | WRONG_PIN (80, 00), WRONG_PUK (81), MGMT_KEY_REJECTED (9B); `retriesLeft` = x |
 * | 6983 | PIN_BLOCKED, PUK_BLOCKED (81), MGMT_KEY_REJECTED (9B) |
 * | 6982 | SECURITY_STATUS; MGMT_KEY_REJECTED in a 9B GENERAL AUTHENTICATE |
 * | 6A82 | NOT_FOUND; NOT_PIV for SELECT |
 * | 6A88 | NO_KEY |
 * | 6A81, 6D00, 6B00 | UNSUPPORTED |
 * | 6A84 | CARD_FULL |
 * | 6A80 | BAD_DATA |
 * | 6985 | CONDITIONS |
 * | other | SW |
 *
 * Every error carries `details.sw` (e.g. "6982") and `details.command`, plus
 * `keyRef`/`object` as hex when given. Never command or response data.
 */
export function statusToError(sw: number, context: StatusContext): StationError {
  const details: ErrorDetails = { sw: swHex(sw), command: context.command };
  if (context.keyRef !== undefined) details.keyRef = hexByte(context.keyRef);
  if (context.object !== undefined) details.object = context.object.toString(16).toUpperCase();
  const { keyRef } = context;

  const retries = retriesFromSw(sw);
  if (retries !== undefined || sw === Sw.WARNING_VERIFY_FAILED) {
    if (retries !== undefined) details.retriesLeft = retries;
    if (isManagementKey(keyRef)) {
      return new StationError('MGMT_KEY_REJECTED', 'The card rejected the management key.', details);
    }
    if (isPuk(keyRef)) {
      return new StationError('WRONG_PUK', pluralTries('The PUK is wrong', retries), details);
    }
    if (keyRef === KeyRef.PIN || keyRef === KeyRef.GLOBAL_PIN) {
      return new StationError('WRONG_PIN', pluralTries('The PIN is wrong', retries), details);
    }
    return new StationError('SW', 'The card refused the verification.', details);
  }

  switch (sw) {
    case Sw.AUTH_METHOD_BLOCKED:
      if (isManagementKey(keyRef)) {
        return new StationError('MGMT_KEY_REJECTED', 'The card has blocked its management key.', details);
      }
      if (isPuk(keyRef)) return new StationError('PUK_BLOCKED', 'The PUK is blocked on this card.', details);
      return new StationError('PIN_BLOCKED', 'The PIN is blocked on this card; unblock it with the PUK.', details);
    case Sw.SECURITY_STATUS_NOT_SATISFIED:
      if (context.command === PivCommand.GENERAL_AUTHENTICATE && isManagementKey(keyRef)) {
        return new StationError('MGMT_KEY_REJECTED', 'The card rejected the management key.', details);
      }
      return new StationError(
        'SECURITY_STATUS',
        `The card requires a PIN or management key authentication before ${context.command}.`,
        details,
      );
    case Sw.FILE_NOT_FOUND:
      if (context.command === PivCommand.SELECT) {
        return new StationError('NOT_PIV', 'This card has no PIV application.', details);
      }
      return new StationError('NOT_FOUND', 'The card does not hold the requested object.', details);
    case Sw.REFERENCE_NOT_FOUND:
      return new StationError('NO_KEY', 'The card holds no key or data under that reference.', details);
    case Sw.FUNCTION_NOT_SUPPORTED:
    case Sw.INS_NOT_SUPPORTED:
    case Sw.WRONG_P1P2:
      return new StationError('UNSUPPORTED', `This card does not support ${context.command} as requested.`, details);
    case Sw.NOT_ENOUGH_MEMORY:
      return new StationError('CARD_FULL', 'The card has no room left for this data.', details);
    case Sw.INCORRECT_DATA:
      return new StationError('BAD_DATA', `The card rejected the data sent with ${context.command}.`, details);
    case Sw.CONDITIONS_NOT_SATISFIED:
      return new StationError('CONDITIONS', `The card's conditions for ${context.command} are not met.`, details);
    default:
      return new StationError('SW', `The card answered ${context.command} with status ${swHex(sw)}.`, details);
  }
}

function pluralTries(prefix: string, retries: number | undefined): string {
  if (retries === undefined) return `${prefix}.`;
  return `${prefix}; ${retries} ${retries === 1 ? 'try' : 'tries'} left.`;
}
