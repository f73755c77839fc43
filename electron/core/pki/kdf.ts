/**
 * Key derivation for per-card management keys (DESIGN.md "Lock and secrets").
 *
 * NIST SP 800-108r1 §4.1, KDF in counter mode, PRF = HMAC-SHA-256, r = 32:
 *   K(i) = PRF(KI, [i]_32 ‖ FixedInput),  i = 1 … n,  output = leftmost L bits of K(1) ‖ … ‖ K(n)
 * with FixedInput = Label ‖ 0x00 ‖ Context ‖ [L]_32 (L in bits), the layout OpenSSL's
 * KBKDF uses with its defaults (use-separator=1, use-l=1; salt = Label, info = Context).
 */
import { createHmac } from 'node:crypto';
import type { ManagementKeyAlgorithm } from '../piv/constants.js';
import { MGMT_KEY_LENGTH } from '../piv/constants.js';
import { StationError } from '../errors.js';

const HMAC_SHA256_OUTPUT_BYTES = 32;
/** Label/Context separator of SP 800-108r1 §4 ("0x00"). */
const SEPARATOR = 0x00;
const COUNTER_BYTES = 4;
const MAX_COUNTER = 0xffffffff;
/** Label prefix; the management key algorithm name follows, e.g. "PIV-9B-AES192". */
const MGMT_LABEL_PREFIX = 'PIV-9B-';
/** A card GUID (CHUID tag 34) is 16 bytes (SP 800-73-4 Part 1 §3.4). */
const GUID_BYTES = 16;
/** How many alternative derivations to try if a TDEA key is weak (chance per try ~2^-50). */
const MAX_TDEA_ATTEMPTS = 8;
const DES_KEY_BYTES = 8;

function u32be(n: number): Uint8Array {
  const out = new Uint8Array(COUNTER_BYTES);
  new DataView(out.buffer).setUint32(0, n >>> 0, false);
  return out;
}

/**
 * SP 800-108r1 counter-mode KDF with HMAC-SHA-256 over caller-built fixed input
 * (the form NIST CAVP vectors use: KO = PRF(KI, [i]_32 ‖ FixedInputData)).
 *
 * @param key         KI, any length
 * @param fixedInput  FixedInputData, bytes
 * @param lengthBytes output length in bytes (1 … 2^32−1 blocks)
 * @throws StationError INVALID_INPUT for a non-positive length
 */
export function kbkdfCounterHmacSha256(key: Uint8Array, fixedInput: Uint8Array, lengthBytes: number): Uint8Array {
  if (!Number.isInteger(lengthBytes) || lengthBytes <= 0) {
    throw new StationError('INVALID_INPUT', 'The derived key length must be a positive number of bytes.', { lengthBytes });
  }
  const blocks = Math.ceil(lengthBytes / HMAC_SHA256_OUTPUT_BYTES);
  if (blocks > MAX_COUNTER) {
    throw new StationError('INVALID_INPUT', 'The derived key length is too large.', { lengthBytes });
  }
  const out = new Uint8Array(blocks * HMAC_SHA256_OUTPUT_BYTES);
  for (let i = 1; i <= blocks; i++) {
    const block = createHmac('sha256', key).update(u32be(i)).update(fixedInput).digest();
    out.set(block, (i - 1) * HMAC_SHA256_OUTPUT_BYTES);
  }
  return out.slice(0, lengthBytes);
}

/**
 * SP 800-108r1 §4.1 counter-mode KBKDF, HMAC-SHA-256:
 * K(i) = PRF(KI, [i]_32 ‖ Label ‖ 0x00 ‖ Context ‖ [L]_32), L = 8 × lengthBytes.
 *
 * @returns `lengthBytes` bytes of derived keying material
 * @throws StationError INVALID_INPUT for a non-positive length
 */
export function kbkdfHmacSha256(key: Uint8Array, label: Uint8Array, context: Uint8Array, lengthBytes: number): Uint8Array {
  const fixed = new Uint8Array(label.length + 1 + context.length + COUNTER_BYTES);
  fixed.set(label, 0);
  fixed[label.length] = SEPARATOR;
  fixed.set(context, label.length + 1);
  fixed.set(u32be(lengthBytes * 8), label.length + 1 + context.length);
  return kbkdfCounterHmacSha256(key, fixed, lengthBytes);
}

/** Sets each byte's least significant bit so the byte has odd parity (FIPS 46-3 key format). */
export function fixDesParity(key: Uint8Array): Uint8Array {
  const out = Uint8Array.from(key);
  for (let i = 0; i < out.length; i++) {
    const high7 = out[i]! & 0xfe;
    let ones = 0;
    for (let b = high7; b; b >>= 1) ones += b & 1;
    out[i] = high7 | (ones % 2 === 0 ? 1 : 0);
  }
  return out;
}

/** DES weak and semi-weak keys (odd parity form), NIST SP 800-67r2 §3.3.2. */
const DES_WEAK_KEYS: readonly string[] = [
  '0101010101010101', 'fefefefefefefefe', 'e0e0e0e0f1f1f1f1', '1f1f1f1f0e0e0e0e',
  '011f011f010e010e', '1f011f010e010e01', '01e001e001f101f1', 'e001e001f101f101',
  '01fe01fe01fe01fe', 'fe01fe01fe01fe01', '1fe01fe00ef10ef1', 'e01fe01ff10ef10e',
  '1ffe1ffe0efe0efe', 'fe1ffe1ffe0efe0e', 'e0fee0fef1fef1fe', 'fee0fee0fef1fef1',
];

/**
 * True when a 24-byte TDEA key (parity already fixed) is unusable: a weak or
 * semi-weak DES component, or K1 = K2, K2 = K3 or K1 = K3 (SP 800-67r2 §3.3: three distinct keys).
 */
export function isWeakTdeaKey(key: Uint8Array): boolean {
  const parts = [0, 1, 2].map((i) => Buffer.from(key.subarray(i * DES_KEY_BYTES, (i + 1) * DES_KEY_BYTES)).toString('hex'));
  if (parts.some((p) => DES_WEAK_KEYS.includes(p))) return true;
  return parts[0] === parts[1] || parts[1] === parts[2] || parts[0] === parts[2];
}

/**
 * Derives a card's management key (9B) from the station master key.
 *
 * Label = ASCII "PIV-9B-<alg>" (e.g. "PIV-9B-AES192"); Context = GUID (16 bytes) ‖ [keyVersion]_32;
 * length = the algorithm's key length (TDEA 24, AES-128 16, AES-192 24, AES-256 32).
 * TDEA keys get odd parity; if the result is weak (probability ~2^-50), the derivation is repeated with
 * Context ‖ [attempt]_32 for attempt = 1, 2, … so the result stays deterministic.
 *
 * @param masterKey  station master key (32 bytes)
 * @param cardGuid   the card's CHUID GUID, 16 bytes
 * @param keyVersion master key version (non-negative integer), recorded with the card
 * @throws StationError INVALID_INPUT for a bad GUID length or key version
 */
export function deriveCardManagementKey(
  masterKey: Uint8Array,
  cardGuid: Uint8Array,
  keyVersion: number,
  alg: ManagementKeyAlgorithm,
): Uint8Array {
  if (cardGuid.length !== GUID_BYTES) {
    throw new StationError('INVALID_INPUT', 'The card GUID must be 16 bytes.', { length: cardGuid.length });
  }
  if (!Number.isInteger(keyVersion) || keyVersion < 0 || keyVersion > MAX_COUNTER) {
    throw new StationError('INVALID_INPUT', 'The key version must be a non-negative integer.', { keyVersion });
  }
  const length = MGMT_KEY_LENGTH[alg];
  const label = new TextEncoder().encode(MGMT_LABEL_PREFIX + alg);
  const context = new Uint8Array([...cardGuid, ...u32be(keyVersion)]);
  if (alg !== 'TDEA') return kbkdfHmacSha256(masterKey, label, context, length);
  for (let attempt = 0; attempt < MAX_TDEA_ATTEMPTS; attempt++) {
    const ctx = attempt === 0 ? context : new Uint8Array([...context, ...u32be(attempt)]);
    const key = fixDesParity(kbkdfHmacSha256(masterKey, label, ctx, length));
    if (!isWeakTdeaKey(key)) return key;
  }
  throw new StationError('INTERNAL', 'No usable TDEA management key could be derived for this card.');
}
