/**
 * Raw ECDSA over a host-supplied hash (FIPS 186-4 §6.4), as a PIV card does
 * for GENERAL AUTHENTICATE with an EC key (SP 800-73-4 Part 2 App. A.4):
 * the card never hashes, it signs the integer the host sends.
 *
 * node:crypto has no "sign this digest" for ECDSA, so the scalar arithmetic is
 * done here with bigint and the point multiplication k·G by ECDH's public-key
 * derivation. Not constant time: this is a test card, not a secure element.
 */
import { createECDH, randomBytes } from 'node:crypto';

/** Curve parameters the card needs. */
export interface CurveParams {
  /** OpenSSL curve name for createECDH. */
  opensslName: string;
  /** Field/scalar size in bytes. */
  size: number;
  /** Group order n. */
  order: bigint;
}

/** P-256 (secp256r1) and P-384 (secp384r1), FIPS 186-4 App. D.1.2. */
export const CURVES = {
  P256: {
    opensslName: 'prime256v1',
    size: 32,
    order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  },
  P384: {
    opensslName: 'secp384r1',
    size: 48,
    order: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  },
} as const satisfies Record<string, CurveParams>;

/** Big-endian bytes → bigint. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + Buffer.from(bytes).toString('hex'));
}

/** bigint → big-endian bytes of exactly `size` bytes. */
export function bigIntToBytes(n: bigint, size: number): Uint8Array {
  const hex = n.toString(16).padStart(size * 2, '0');
  return new Uint8Array(Buffer.from(hex.slice(-size * 2), 'hex'));
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  let b = mod(base, m);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return result;
}

/** Inverse modulo a prime (Fermat). */
function modInversePrime(a: bigint, p: bigint): bigint {
  return modPow(a, p - 2n, p);
}

/**
 * The hash input as an integer: truncated to the leftmost `size` bytes when
 * longer, and (implicitly) left-padded with zeros when shorter (FIPS 186-4 §6.4).
 */
export function hashToInteger(input: Uint8Array, size: number): bigint {
  return bytesToBigInt(input.length > size ? input.subarray(0, size) : input);
}

/** DER INTEGER of a non-negative bigint. */
function derInteger(n: bigint): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.of(0), bytes]);
  return new Uint8Array(Buffer.concat([Buffer.of(0x02, bytes.length), bytes]));
}

/** DER `SEQUENCE { INTEGER r, INTEGER s }` (RFC 3279 Ecdsa-Sig-Value). */
export function derSignature(r: bigint, s: bigint): Uint8Array {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  const len = body.length < 0x80 ? Buffer.of(body.length) : Buffer.of(0x81, body.length);
  return new Uint8Array(Buffer.concat([Buffer.of(0x30), len, body]));
}

/**
 * Signs `hashInput` with private scalar `d` (big-endian, `curve.size` bytes).
 * @returns DER Ecdsa-Sig-Value
 */
export function ecdsaSignHash(curve: CurveParams, d: Uint8Array, hashInput: Uint8Array): Uint8Array {
  const n = curve.order;
  const z = hashToInteger(hashInput, curve.size);
  const dInt = bytesToBigInt(d);
  for (;;) {
    const k = mod(bytesToBigInt(randomBytes(curve.size + 8)), n - 1n) + 1n;
    const ecdh = createECDH(curve.opensslName);
    ecdh.setPrivateKey(Buffer.from(bigIntToBytes(k, curve.size)));
    const point = ecdh.getPublicKey(); // 04 ‖ X ‖ Y
    const r = mod(bytesToBigInt(point.subarray(1, 1 + curve.size)), n);
    if (r === 0n) continue;
    const s = mod(modInversePrime(k, n) * (z + r * dInt), n);
    if (s === 0n) continue;
    return derSignature(r, s);
  }
}
