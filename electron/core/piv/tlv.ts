/**
 * BER-TLV as SP 800-73-4 uses it (Part 2 §3, Part 1 Appendix A; ISO/IEC 7816-4 §5.2):
 * tags of 1–3 bytes (low 5 bits all set ⇒ more tag bytes; bit 8 of a following
 * byte set ⇒ still more), definite lengths only: `0x00–0x7F`, `81 xx`, `82 xxxx`, `83 xxxxxx`.
 *
 * Tags are numbers holding the tag bytes big-endian (e.g. `0x5FC102`, `0x7F49`, `0x53`).
 */
import { StationError } from '../errors.js';

/** One decoded TLV: `tag` as a number (bytes big-endian), `value` a view into the input. */
export interface Tlv {
  tag: number;
  value: Uint8Array;
}

function malformed(why: string): StationError {
  return new StationError('MALFORMED_RESPONSE', `The card sent malformed TLV data (${why}).`);
}

/** Encodes a tag number into its 1–3 bytes. */
export function encodeTag(tag: number): Uint8Array {
  if (tag < 0 || tag > 0xffffff || !Number.isInteger(tag)) throw new RangeError(`bad tag ${tag}`);
  if (tag <= 0xff) return Uint8Array.of(tag);
  if (tag <= 0xffff) return Uint8Array.of(tag >> 8, tag & 0xff);
  return Uint8Array.of(tag >> 16, (tag >> 8) & 0xff, tag & 0xff);
}

/** Encodes a definite BER length (short form below 128, else 81/82/83 long form). */
export function encodeLength(length: number): Uint8Array {
  if (length < 0 || !Number.isInteger(length) || length > 0xffffff) throw new RangeError(`bad length ${length}`);
  if (length < 0x80) return Uint8Array.of(length);
  if (length <= 0xff) return Uint8Array.of(0x81, length);
  if (length <= 0xffff) return Uint8Array.of(0x82, length >> 8, length & 0xff);
  return Uint8Array.of(0x83, length >> 16, (length >> 8) & 0xff, length & 0xff);
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Encodes one TLV. `value` may be several already-encoded TLVs (a constructed value). */
export function encodeTlv(tag: number, ...value: Uint8Array[]): Uint8Array {
  const v = concatBytes(...value);
  return concatBytes(encodeTag(tag), encodeLength(v.length), v);
}

/**
 * Reads one TLV at `offset`.
 * @returns the TLV and the offset just past it
 * @throws StationError MALFORMED_RESPONSE on truncation or an indefinite/oversized length
 */
export function readTlv(bytes: Uint8Array, offset = 0): { tlv: Tlv; next: number } {
  let i = offset;
  if (i >= bytes.length) throw malformed('missing tag');
  let tag = bytes[i++]!;
  if ((tag & 0x1f) === 0x1f) {
    // Multi-byte tag: continue while bit 8 is set, at most 3 bytes in all.
    let count = 1;
    let b: number;
    do {
      if (i >= bytes.length) throw malformed('truncated tag');
      b = bytes[i++]!;
      tag = (tag << 8) | b;
      count++;
      if (count > 3) throw malformed('tag longer than 3 bytes');
    } while (b & 0x80);
  }
  if (i >= bytes.length) throw malformed('missing length');
  let length = bytes[i++]!;
  if (length === 0x80) throw malformed('indefinite length');
  if (length > 0x80) {
    const n = length & 0x7f;
    if (n > 3) throw malformed('length field too long');
    if (i + n > bytes.length) throw malformed('truncated length');
    length = 0;
    for (let k = 0; k < n; k++) length = (length << 8) | bytes[i++]!;
  }
  if (i + length > bytes.length) throw malformed('value shorter than its length');
  return { tlv: { tag: tag >>> 0, value: bytes.subarray(i, i + length) }, next: i + length };
}

/**
 * Decodes a sequence of TLVs filling `bytes` exactly.
 * Trailing `00`/`FF` padding bytes are not accepted: SP 800-73-4 objects have none.
 * @throws StationError MALFORMED_RESPONSE
 */
export function decodeTlvs(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const { tlv, next } = readTlv(bytes, offset);
    out.push(tlv);
    offset = next;
  }
  return out;
}

/** First TLV with `tag` in a decoded list, or undefined. */
export function findTlv(tlvs: Tlv[], tag: number): Uint8Array | undefined {
  return tlvs.find((t) => t.tag === tag)?.value;
}

/**
 * Decodes `bytes` as exactly one TLV of `tag` and returns its value.
 * @throws StationError MALFORMED_RESPONSE if the tag differs or bytes remain
 */
export function unwrapTlv(bytes: Uint8Array, tag: number): Uint8Array {
  const { tlv, next } = readTlv(bytes, 0);
  if (tlv.tag !== tag) throw malformed(`expected tag ${tag.toString(16)}, got ${tlv.tag.toString(16)}`);
  if (next !== bytes.length) throw malformed(`trailing bytes after tag ${tag.toString(16)}`);
  return tlv.value;
}

/** Uppercase hex of bytes, no separators. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

/** Bytes from hex (spaces allowed). @throws RangeError on odd length or non-hex */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new RangeError('not a hex string');
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

/** Constant-time-independent byte equality (for record comparisons, not secrets). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
