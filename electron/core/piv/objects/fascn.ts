/**
 * FASC-N: Federal Agency Smart Credential Number (TIG SCEPACS v2.3 §6;
 * SP 800-73-4 Part 1 §3.1.2). 40 characters of 5 bits — 4 data bits LSB
 * first, then an odd-parity bit — packed big-endian into 25 bytes:
 * SS AC(4) FS SC(4) FS CN(6) FS CS(1) FS ICI(1) FS PI(10) OC(1) OI(4) POA(1) ES LRC.
 * The LRC is the XOR of the 39 preceding characters' data bits, with parity.
 */
import { StationError } from '../../errors.js';

/** The decoded fields, each a string of decimal digits of the given length. */
export interface FascnFields {
  /** Agency code, 4 digits (9999 for non-federal issuers). */
  agencyCode: string;
  /** System code, 4 digits. */
  systemCode: string;
  /** Credential number, 6 digits. */
  credentialNumber: string;
  /** Credential series, 1 digit. */
  credentialSeries: string;
  /** Individual credential issue, 1 digit. */
  individualCredentialIssue: string;
  /** Person identifier, 10 digits. */
  personIdentifier: string;
  /** Organizational category, 1 digit (1 federal, 2 state, 3 commercial, 4 foreign). */
  organizationalCategory: string;
  /** Organizational identifier, 4 digits. */
  organizationalIdentifier: string;
  /** Person/organization association category, 1 digit. */
  personAssociation: string;
}

/** Encoded FASC-N length in bytes (40 × 5 bits). */
export const FASCN_LENGTH = 25;
const CHAR_COUNT = 40;
const BITS_PER_CHAR = 5;
/** Control characters' 4-bit values (bits read LSB first): SS 1101, FS 1011, ES 1111. */
const START_SENTINEL = 0x0b;
const FIELD_SEPARATOR = 0x0d;
const END_SENTINEL = 0x0f;
const DATA_MASK = 0x0f;
const MAX_DIGIT = 9;

/** Field names in encoding order with their lengths, and the separator emitted after each (if any). */
const LAYOUT: ReadonlyArray<{ field: keyof FascnFields; length: number; after?: number }> = [
  { field: 'agencyCode', length: 4, after: FIELD_SEPARATOR },
  { field: 'systemCode', length: 4, after: FIELD_SEPARATOR },
  { field: 'credentialNumber', length: 6, after: FIELD_SEPARATOR },
  { field: 'credentialSeries', length: 1, after: FIELD_SEPARATOR },
  { field: 'individualCredentialIssue', length: 1, after: FIELD_SEPARATOR },
  { field: 'personIdentifier', length: 10 },
  { field: 'organizationalCategory', length: 1 },
  { field: 'organizationalIdentifier', length: 4 },
  { field: 'personAssociation', length: 1, after: END_SENTINEL },
];

function oddParityBit(value4: number): number {
  let ones = 0;
  for (let v = value4; v; v >>= 1) ones += v & 1;
  return ones % 2 === 0 ? 1 : 0;
}

/** The 5-bit group of a 4-bit value: b0 b1 b2 b3 p, first bit most significant. */
function toGroup(value4: number): number {
  let g = 0;
  for (let i = 0; i < 4; i++) g = (g << 1) | ((value4 >> i) & 1);
  return (g << 1) | oddParityBit(value4);
}

/** The 4-bit value of a 5-bit group, or undefined when its parity is wrong. */
function fromGroup(group: number): number | undefined {
  let v = 0;
  for (let i = 0; i < 4; i++) v |= ((group >> (4 - i)) & 1) << i;
  return (group & 1) === oddParityBit(v) ? v : undefined;
}

/**
 * Encodes a FASC-N.
 * @returns 25 bytes
 * @throws StationError INVALID_INPUT when a field is not exactly its number of digits
 */
export function encodeFascn(f: FascnFields): Uint8Array {
  const values: number[] = [START_SENTINEL];
  for (const { field, length, after } of LAYOUT) {
    const s = f[field];
    if (typeof s !== 'string' || s.length !== length || !/^[0-9]+$/.test(s)) {
      throw new StationError('INVALID_INPUT', `The FASC-N field ${field} must be exactly ${length} digits.`, { field });
    }
    for (const ch of s) values.push(ch.charCodeAt(0) - 0x30);
    if (after !== undefined) values.push(after);
  }
  values.push(values.reduce((a, v) => a ^ v, 0));
  const out = new Uint8Array(FASCN_LENGTH);
  values.forEach((v, i) => {
    const group = toGroup(v);
    for (let b = 0; b < BITS_PER_CHAR; b++) {
      const bit = (group >> (BITS_PER_CHAR - 1 - b)) & 1;
      const pos = i * BITS_PER_CHAR + b;
      out[pos >> 3]! |= bit << (7 - (pos & 7));
    }
  });
  return out;
}

function malformed(why: string): StationError {
  return new StationError('MALFORMED_RESPONSE', `The FASC-N is not valid (${why}).`);
}

/**
 * Decodes a FASC-N, checking each character's parity, the SS/FS/ES
 * positions, digits in data positions, and the LRC.
 * @throws StationError MALFORMED_RESPONSE on any violation or a length other than 25
 */
export function decodeFascn(b: Uint8Array): FascnFields {
  if (b.length !== FASCN_LENGTH) throw malformed('length is not 25 bytes');
  const values: number[] = [];
  for (let i = 0; i < CHAR_COUNT; i++) {
    let group = 0;
    for (let k = 0; k < BITS_PER_CHAR; k++) {
      const pos = i * BITS_PER_CHAR + k;
      group = (group << 1) | ((b[pos >> 3]! >> (7 - (pos & 7))) & 1);
    }
    const v = fromGroup(group);
    if (v === undefined) throw malformed(`parity error in character ${i + 1}`);
    values.push(v);
  }
  const lrc = values.slice(0, CHAR_COUNT - 1).reduce((a, v) => a ^ v, 0) & DATA_MASK;
  if (lrc !== values[CHAR_COUNT - 1]) throw malformed('LRC mismatch');
  if (values[0] !== START_SENTINEL) throw malformed('no start sentinel');
  const fields: Partial<FascnFields> = {};
  let i = 1;
  for (const { field, length, after } of LAYOUT) {
    let s = '';
    for (let k = 0; k < length; k++, i++) {
      const v = values[i]!;
      if (v > MAX_DIGIT) throw malformed(`non-digit in ${field}`);
      s += String(v);
    }
    fields[field] = s;
    if (after !== undefined) {
      if (values[i] !== after) throw malformed(`separator missing after ${field}`);
      i++;
    }
  }
  return fields as FascnFields;
}
