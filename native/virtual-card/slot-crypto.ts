/**
 * Asymmetric keys of the PIV key slots, all through node:crypto:
 * generation (SP 800-73-4 Part 2 §3.3.2), import from YubiKey FE components,
 * the raw private operations GENERAL AUTHENTICATE needs (App. A.3–A.5), and the
 * public key as the contents of template 7F49 (Part 1 Table 5 / §3.3.2).
 */
import {
  createECDH,
  createPrivateKey,
  generateKeyPair,
  privateDecrypt,
  constants as cryptoConstants,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import { Alg, Sw, Tag } from '../../electron/core/piv/constants.js';
import { concatBytes, encodeTlv } from '../../electron/core/piv/tlv.js';
import { fail } from './apdu.js';
import { AlgExtra, RSA_PUBLIC_EXPONENT } from './card-constants.js';
import { CURVES, bigIntToBytes, bytesToBigInt, ecdsaSignHash } from './ecdsa.js';
import type { SlotAlgorithm, SlotKeyState } from './state.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** Uncompressed point marker (SEC 1 §2.3.3). */
const UNCOMPRESSED_POINT = 0x04;

/** Mechanism byte ↔ slot algorithm. */
export const ALGORITHM_OF_MECHANISM: ReadonlyMap<number, SlotAlgorithm> = new Map<number, SlotAlgorithm>([
  [Alg.RSA_1024, 'RSA1024'],
  [Alg.RSA_2048, 'RSA2048'],
  [AlgExtra.RSA_3072, 'RSA3072'],
  [AlgExtra.RSA_4096, 'RSA4096'],
  [Alg.ECC_P256, 'P256'],
  [Alg.ECC_P384, 'P384'],
]);
export const MECHANISM_OF_ALGORITHM: Record<SlotAlgorithm, number> = {
  RSA1024: Alg.RSA_1024,
  RSA2048: Alg.RSA_2048,
  RSA3072: AlgExtra.RSA_3072,
  RSA4096: AlgExtra.RSA_4096,
  P256: Alg.ECC_P256,
  P384: Alg.ECC_P384,
};
const RSA_BITS: Partial<Record<SlotAlgorithm, number>> = { RSA1024: 1024, RSA2048: 2048, RSA3072: 3072, RSA4096: 4096 };

/** True for the EC algorithms. */
export function isEc(alg: SlotAlgorithm): alg is 'P256' | 'P384' {
  return alg === 'P256' || alg === 'P384';
}

/** RSA modulus length in bits, or undefined for EC. */
export function rsaBits(alg: SlotAlgorithm): number | undefined {
  return RSA_BITS[alg];
}

const keyCache = new Map<string, KeyObject>();

/** The KeyObject of a stored slot key (cached by its PKCS#8). */
export function privateKeyOf(slot: Pick<SlotKeyState, 'pkcs8'>): KeyObject {
  let key = keyCache.get(slot.pkcs8);
  if (!key) {
    key = createPrivateKey({ key: Buffer.from(slot.pkcs8, 'base64'), format: 'der', type: 'pkcs8' });
    keyCache.set(slot.pkcs8, key);
  }
  return key;
}

/** PKCS#8 DER (base64) of a private key, the stored form. */
export function pkcs8Of(key: KeyObject): string {
  return (key.export({ format: 'der', type: 'pkcs8' }) as Buffer).toString('base64');
}

function b64u(s: string | undefined): Uint8Array {
  return new Uint8Array(Buffer.from(s ?? '', 'base64url'));
}

/** Where a card's GENERATE gets its key pair: the private key for `alg`. */
export type KeyGenerator = (alg: SlotAlgorithm) => Promise<KeyObject>;

/** Generates a key pair for `alg` without blocking the event loop. @returns the private key */
export async function generateSlotKey(alg: SlotAlgorithm): Promise<KeyObject> {
  const bits = rsaBits(alg);
  if (bits !== undefined) {
    const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: bits, publicExponent: RSA_PUBLIC_EXPONENT });
    return privateKey;
  }
  const namedCurve = alg === 'P256' ? 'P-256' : 'P-384';
  const { privateKey } = await generateKeyPairAsync('ec', { namedCurve });
  return privateKey;
}

/** EC public point 04‖X‖Y of an EC private key. */
export function ecPublicPoint(alg: 'P256' | 'P384', key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  const size = CURVES[alg].size;
  return concatBytes(Uint8Array.of(UNCOMPRESSED_POINT), leftPad(b64u(jwk.x), size), leftPad(b64u(jwk.y), size));
}

function leftPad(bytes: Uint8Array, size: number): Uint8Array {
  if (bytes.length >= size) return bytes;
  return concatBytes(new Uint8Array(size - bytes.length), bytes);
}

/**
 * Contents of the 7F49 public key template: RSA `81 n 82 e`, EC `86 04‖X‖Y`
 * (also GET METADATA tag 04).
 */
export function publicKeyTemplateContent(alg: SlotAlgorithm, key: KeyObject): Uint8Array {
  if (isEc(alg)) return encodeTlv(Tag.EC_POINT, ecPublicPoint(alg, key));
  const jwk = key.export({ format: 'jwk' });
  return concatBytes(encodeTlv(Tag.RSA_MODULUS, b64u(jwk.n)), encodeTlv(Tag.RSA_EXPONENT, b64u(jwk.e)));
}

/**
 * RSA raw private operation m = c^d mod n on a modulus-length block the host
 * already padded (sign) or that it will unpad (decipher).
 * @throws CardStatusError 6A80 when the block has the wrong length or is ≥ n
 */
export function rsaRawPrivate(alg: SlotAlgorithm, key: KeyObject, block: Uint8Array): Uint8Array {
  const bits = rsaBits(alg)!;
  if (block.length !== bits / 8) fail(Sw.INCORRECT_DATA);
  try {
    return new Uint8Array(privateDecrypt({ key, padding: cryptoConstants.RSA_NO_PADDING }, block));
  } catch {
    return fail(Sw.INCORRECT_DATA);
  }
}

function ecPrivateScalar(alg: 'P256' | 'P384', key: KeyObject): Uint8Array {
  return leftPad(b64u(key.export({ format: 'jwk' }).d), CURVES[alg].size);
}

/** ECDSA over the host's hash input → DER SEQUENCE{r,s}. */
export function ecdsaSign(alg: 'P256' | 'P384', key: KeyObject, hashInput: Uint8Array): Uint8Array {
  return ecdsaSignHash(CURVES[alg], ecPrivateScalar(alg, key), hashInput);
}

/**
 * ECDH (SP 800-56A C(0e,1s)): the shared secret's x-coordinate.
 * @throws CardStatusError 6A80 when the peer point is malformed or not on the curve
 */
export function ecdh(alg: 'P256' | 'P384', key: KeyObject, peerPoint: Uint8Array): Uint8Array {
  const size = CURVES[alg].size;
  if (peerPoint.length !== 1 + 2 * size || peerPoint[0] !== UNCOMPRESSED_POINT) fail(Sw.INCORRECT_DATA);
  try {
    const agreement = createECDH(CURVES[alg].opensslName);
    agreement.setPrivateKey(Buffer.from(ecPrivateScalar(alg, key)));
    return new Uint8Array(agreement.computeSecret(Buffer.from(peerPoint)));
  } catch {
    return fail(Sw.INCORRECT_DATA);
  }
}

/** Private key from an EC scalar d (FE tag 06). @throws CardStatusError 6A80 */
export function importEcKey(alg: 'P256' | 'P384', d: Uint8Array): KeyObject {
  const size = CURVES[alg].size;
  if (d.length !== size) fail(Sw.INCORRECT_DATA);
  try {
    const agreement = createECDH(CURVES[alg].opensslName);
    agreement.setPrivateKey(Buffer.from(d));
    const point = agreement.getPublicKey();
    return createPrivateKey({
      key: {
        kty: 'EC',
        crv: alg === 'P256' ? 'P-256' : 'P-384',
        d: Buffer.from(d).toString('base64url'),
        x: point.subarray(1, 1 + size).toString('base64url'),
        y: point.subarray(1 + size).toString('base64url'),
      },
      format: 'jwk',
    });
  } catch {
    return fail(Sw.INCORRECT_DATA);
  }
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new RangeError('not invertible');
  return ((oldS % m) + m) % m;
}

/**
 * Private key from RSA CRT components (FE tags 01–05), public exponent 65537.
 * @throws CardStatusError 6A80 when the components do not make a key of `alg`'s size
 */
export function importRsaKey(alg: SlotAlgorithm, c: { p: Uint8Array; q: Uint8Array; dp: Uint8Array; dq: Uint8Array; qinv: Uint8Array }): KeyObject {
  const bits = rsaBits(alg);
  if (bits === undefined) fail(Sw.INCORRECT_DATA);
  const p = bytesToBigInt(c.p);
  const q = bytesToBigInt(c.q);
  const n = p * q;
  if (n.toString(2).length !== bits) fail(Sw.INCORRECT_DATA);
  const e = BigInt(RSA_PUBLIC_EXPONENT);
  try {
    const d = modInverse(e, (p - 1n) * (q - 1n));
    const enc = (x: bigint, size?: number): string =>
      Buffer.from(size ? bigIntToBytes(x, size) : bigIntToBytes(x, Math.ceil(x.toString(16).length / 2))).toString('base64url');
    const key = createPrivateKey({
      key: {
        kty: 'RSA',
        n: enc(n, bits / 8),
        e: enc(e),
        d: enc(d),
        p: enc(p),
        q: enc(q),
        dp: enc(bytesToBigInt(c.dp)),
        dq: enc(bytesToBigInt(c.dq)),
        qi: enc(bytesToBigInt(c.qinv)),
      },
      format: 'jwk',
    });
    // A wrong CRT component would make signatures wrong: check one round trip.
    const probe = bigIntToBytes(2n, bits / 8);
    const signed = bytesToBigInt(new Uint8Array(privateDecrypt({ key, padding: cryptoConstants.RSA_NO_PADDING }, probe)));
    if (modPowPublic(signed, e, n) !== 2n) fail(Sw.INCORRECT_DATA);
    return key;
  } catch (err) {
    if (err instanceof Error && err.name === 'CardStatusError') throw err;
    return fail(Sw.INCORRECT_DATA);
  }
}

function modPowPublic(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  let b = base % m;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return result;
}
