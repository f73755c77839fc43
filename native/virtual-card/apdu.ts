/**
 * Card-side APDU parsing (ISO/IEC 7816-4 §5.1, §5.3.2): the virtual card's own
 * reading of a C-APDU, independent of the station's client code.
 *
 * Accepted forms (piv-reference §0):
 * - case 1 `CLA INS P1 P2`, and the 5-byte `… 00` form clients send for "no data"
 * - short case 2/3/4 (`Lc` 1 byte, `Le` 1 byte, 00 = 256)
 * - extended case 2/3/4 (`00 Lc1 Lc2`, `Le` 2 bytes or `00 Le1 Le2`, 0000 = 65536)
 */
import { Sw } from '../../electron/core/piv/constants.js';

/** Size of the command header CLA INS P1 P2. */
const HEADER_LENGTH = 4;
/** Value of the first length byte that announces an extended length field. */
const EXTENDED_LENGTH_MARKER = 0x00;
/** Le value 00 in a short APDU means 256 bytes. */
export const SHORT_LE_MAX = 256;
/** Le value 0000 in an extended APDU means 65536 bytes. */
export const EXTENDED_LE_MAX = 65536;

/** One parsed command. `le` is undefined when the command carries no Le field. */
export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array;
  /** Maximum response data length the host accepts (bytes), or undefined. */
  le: number | undefined;
  /** True when the C-APDU used extended length fields (Lc `00 hh ll` or a 2/3-byte Le). */
  extended: boolean;
}

/**
 * An error status word a command handler answers instead of data
 * (e.g. `6982` security status not satisfied, `63Cx` wrong PIN).
 */
export class CardStatusError extends Error {
  constructor(readonly sw: number) {
    super(`card status ${sw.toString(16).padStart(4, '0')}`);
    this.name = 'CardStatusError';
  }
}

/** Throws the status word `sw` out of a handler. */
export function fail(sw: number): never {
  throw new CardStatusError(sw);
}

/**
 * Parses a C-APDU.
 * @throws CardStatusError 6700 (wrong length) when the length fields do not match the bytes
 */
export function parseCommandApdu(bytes: Uint8Array): CommandApdu {
  if (bytes.length < HEADER_LENGTH) fail(Sw.WRONG_LENGTH);
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  const body = bytes.subarray(HEADER_LENGTH);
  const base = { cla, ins, p1, p2, extended: false };
  const empty = new Uint8Array(0);
  if (body.length === 0) return { ...base, data: empty, le: undefined };
  if (body.length === 1) {
    // Case 2 short; a lone 00 is also how clients write "no data field".
    return { ...base, data: empty, le: body[0] === 0 ? SHORT_LE_MAX : body[0] };
  }
  if (body[0] !== EXTENDED_LENGTH_MARKER) {
    const lc = body[0]!;
    if (body.length === 1 + lc) return { ...base, data: body.subarray(1), le: undefined };
    if (body.length === 2 + lc) {
      const le = body[1 + lc]!;
      return { ...base, data: body.subarray(1, 1 + lc), le: le === 0 ? SHORT_LE_MAX : le };
    }
    fail(Sw.WRONG_LENGTH);
  }
  // Extended length: 00 followed by two bytes.
  const ext = { ...base, extended: true };
  if (body.length === 3) {
    return { ...ext, data: empty, le: extendedLe(body[1]!, body[2]!) };
  }
  if (body.length < 3) fail(Sw.WRONG_LENGTH);
  const lc = (body[1]! << 8) | body[2]!;
  const rest = body.length - 3 - lc;
  const data = body.subarray(3, 3 + lc);
  if (lc === 0 || rest < 0) fail(Sw.WRONG_LENGTH);
  if (rest === 0) return { ...ext, data, le: undefined };
  if (rest === 2) return { ...ext, data, le: extendedLe(body[3 + lc]!, body[4 + lc]!) };
  if (rest === 3 && body[3 + lc] === 0) return { ...ext, data, le: extendedLe(body[4 + lc]!, body[5 + lc]!) };
  fail(Sw.WRONG_LENGTH);
}

function extendedLe(hi: number, lo: number): number {
  const le = (hi << 8) | lo;
  return le === 0 ? EXTENDED_LE_MAX : le;
}

/** R-APDU bytes: data ‖ SW1 SW2. */
export function responseApdu(data: Uint8Array, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}
