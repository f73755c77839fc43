/**
 * ISO/IEC 7816-4 command and response APDUs as SP 800-73-4 Part 2 §3 and
 * Table 2 use them. Commands are short: long data is split by command
 * chaining (CLA bit 5, `Cla.CHAIN`) instead, which every PIV card must accept
 * (piv-reference §0 "Command chaining"). The extended form (ISO 7816-4 §5.1)
 * carries the probe that asks a card whether it takes it
 * (PivSession.supportsExtendedLength; SP 800-73-4 does not require it) and,
 * on a card that does, GET DATA's Le of 65 536 and long command data in one APDU.
 */
import { StationError } from '../errors.js';
import { Cla } from './constants.js';

/** Longest data field (Lc) and longest expected response (Le) of a short APDU. */
export const SHORT_MAX_DATA = 255;
/** Le value meaning "up to 256 bytes"; encoded as the byte 00. */
export const SHORT_MAX_LE = 256;
/** Length of the status word trailer SW1 SW2. */
const SW_LENGTH = 2;

/**
 * One command APDU.
 * - `cla` defaults to `Cla.PLAIN` (00).
 * - `data` absent or empty ⇒ no Lc / data field.
 * - `le`: undefined ⇒ no Le field; 0 or 256 ⇒ Le byte 00 ("up to 256"); 1–255 ⇒ that byte.
 */
export interface CommandApdu {
  cla?: number;
  ins: number;
  p1: number;
  p2: number;
  data?: Uint8Array;
  le?: number;
  /** Extended Lc/Le fields (up to 65535 data bytes, Le up to 65536): only for a card that takes them. */
  extended?: boolean;
}

/** Longest data field and expected response of an extended APDU (ISO 7816-4 §5.1). */
const EXTENDED_MAX_DATA = 0xffff;
export const EXTENDED_MAX_LE = 0x10000;

function checkByte(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) {
    throw new StationError('INVALID_INPUT', `The APDU field ${name} is not a byte.`, { field: name });
  }
}

/**
 * Encodes a short command APDU: `CLA INS P1 P2 [Lc data] [Le]` (ISO 7816-4 §5.1, cases 1–4).
 * @returns 4 to 261 bytes
 * @throws StationError INVALID_INPUT when a header field is not a byte, data exceeds
 *         255 bytes (split it first with {@link splitForChaining}) or Le is outside 0–256
 */
export function encodeCommandApdu(c: CommandApdu): Uint8Array {
  const cla = c.cla ?? Cla.PLAIN;
  checkByte('CLA', cla);
  checkByte('INS', c.ins);
  checkByte('P1', c.p1);
  checkByte('P2', c.p2);
  const data = c.data ?? new Uint8Array(0);
  if (c.extended) return encodeExtended(cla, c, data);
  if (data.length > SHORT_MAX_DATA) {
    throw new StationError('INVALID_INPUT', 'The command data is too long for one short APDU.', { length: data.length });
  }
  if (c.le !== undefined && (!Number.isInteger(c.le) || c.le < 0 || c.le > SHORT_MAX_LE)) {
    throw new StationError('INVALID_INPUT', 'The expected response length is outside 0 to 256.', { le: c.le });
  }
  const lcField = data.length > 0 ? 1 + data.length : 0;
  const leField = c.le !== undefined ? 1 : 0;
  const out = new Uint8Array(4 + lcField + leField);
  out.set([cla, c.ins, c.p1, c.p2], 0);
  let i = 4;
  if (data.length > 0) {
    out[i++] = data.length;
    out.set(data, i);
    i += data.length;
  }
  // 256 is encoded as 00, like 0 (ISO 7816-4 §5.1: Le byte 00 means 256).
  if (c.le !== undefined) out[i] = c.le & 0xff;
  return out;
}

/**
 * The extended form: `CLA INS P1 P2 [00 Lc1 Lc2 data] [Le1 Le2]`, or
 * `00 Le1 Le2` without data (ISO 7816-4 §5.1, cases 2E–4E); Le 65536 is `00 00`.
 */
function encodeExtended(cla: number, c: CommandApdu, data: Uint8Array): Uint8Array {
  if (data.length > EXTENDED_MAX_DATA) {
    throw new StationError('INVALID_INPUT', 'The command data is too long for one extended APDU.', { length: data.length });
  }
  if (c.le !== undefined && (!Number.isInteger(c.le) || c.le < 0 || c.le > EXTENDED_MAX_LE)) {
    throw new StationError('INVALID_INPUT', 'The expected response length is outside 0 to 65536.', { le: c.le });
  }
  const header = [cla, c.ins, c.p1, c.p2];
  const lc = data.length > 0 ? [0x00, data.length >> 8, data.length & 0xff, ...data] : [];
  const le = c.le === undefined ? [] : [...(data.length > 0 ? [] : [0x00]), (c.le >> 8) & 0xff, c.le & 0xff];
  return Uint8Array.from([...header, ...lc, ...le]);
}

/**
 * Splits a command whose data exceeds `blockSize` into a command chain
 * (SP 800-73-4 Part 2 Table 2 note; ISO 7816-4 §5.1.1.1): every block but the
 * last carries `CLA | Cla.CHAIN` and no Le; the last keeps the original CLA and Le.
 * Clients use 255-byte blocks (piv-reference §0).
 * @param blockSize data bytes per block, 1–255
 * @returns one command when no split is needed, else the chain in order
 * @throws StationError INVALID_INPUT on a block size outside 1–255
 */
export function splitForChaining(c: CommandApdu, blockSize = SHORT_MAX_DATA): CommandApdu[] {
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > SHORT_MAX_DATA) {
    throw new StationError('INVALID_INPUT', 'The chaining block size must be 1 to 255 bytes.', { blockSize });
  }
  const data = c.data;
  if (data === undefined || data.length <= blockSize) return [c];
  const cla = c.cla ?? Cla.PLAIN;
  const blocks: CommandApdu[] = [];
  for (let off = 0; off < data.length; off += blockSize) {
    const last = off + blockSize >= data.length;
    const block: CommandApdu = {
      cla: last ? cla : cla | Cla.CHAIN,
      ins: c.ins,
      p1: c.p1,
      p2: c.p2,
      data: data.subarray(off, off + blockSize),
    };
    if (last && c.le !== undefined) block.le = c.le;
    blocks.push(block);
  }
  return blocks;
}

/**
 * Splits an R-APDU into its data and status word (ISO 7816-4 §5.1).
 * @returns `data` (a view, possibly empty) and `sw` as a number (e.g. 0x9000)
 * @throws StationError MALFORMED_RESPONSE when shorter than 2 bytes
 */
export function parseResponseApdu(r: Uint8Array): { data: Uint8Array; sw: number } {
  if (r.length < SW_LENGTH) {
    throw new StationError('MALFORMED_RESPONSE', 'The card sent a response without a status word.', { length: r.length });
  }
  const n = r.length - SW_LENGTH;
  return { data: r.subarray(0, n), sw: (r[n]! << 8) | r[n + 1]! };
}
