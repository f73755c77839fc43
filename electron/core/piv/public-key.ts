/**
 * Public keys as the card returns them (the content of template 7F49,
 * SP 800-73-4 Part 2 §3.3.2 and Part 1 Table 5: `81` modulus and `82`
 * exponent for RSA, `86` uncompressed point for EC) and as the station keeps
 * them (DER SubjectPublicKeyInfo, RFC 5280 §4.1.2.7). Conversion goes through
 * node:crypto JWK import, which also checks that an EC point is on its curve.
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { StationError } from '../errors.js';
import { Tag, type KeyAlgorithm } from './constants.js';
import { bytesEqual, concatBytes, decodeTlvs, encodeTlv, findTlv } from './tlv.js';

/** A public key read from (or expected on) a card. */
export interface CardPublicKey {
  algorithm: KeyAlgorithm;
  /** DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
}

/** Uncompressed EC point prefix (SEC 1 §2.3.3). */
const EC_POINT_UNCOMPRESSED = 0x04;
/** Coordinate size in bytes and JWK curve name per EC algorithm. */
const EC_CURVES: Record<'P256' | 'P384', { size: number; crv: string }> = {
  P256: { size: 32, crv: 'P-256' },
  P384: { size: 48, crv: 'P-384' },
};
/** RSA-2048 modulus length in bytes. */
const RSA2048_MODULUS_BYTES = 256;

function malformed(why: string): StationError {
  return new StationError('MALFORMED_RESPONSE', `The card returned an unusable public key (${why}).`);
}

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

function stripLeadingZeros(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

function leftPad(b: Uint8Array, size: number): Uint8Array {
  if (b.length >= size) return b;
  const out = new Uint8Array(size);
  out.set(b, size - b.length);
  return out;
}

function jwkToSpki(jwk: JsonWebKey, why: string): Uint8Array {
  try {
    return new Uint8Array(createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' }));
  } catch {
    throw malformed(why);
  }
}

/**
 * Builds a CardPublicKey from the content of a 7F49 template (GENERATE
 * response, or GET METADATA tag 04).
 * @param alg the algorithm the key was generated with
 * @param template7F49Content TLVs `81 n 82 e` (RSA) or `86 04‖X‖Y` (EC)
 * @throws StationError MALFORMED_RESPONSE when tags are missing, sizes are wrong or the point is not on the curve
 */
export function publicKeyFromTemplate(alg: KeyAlgorithm, template7F49Content: Uint8Array): CardPublicKey {
  const tlvs = decodeTlvs(template7F49Content);
  if (alg === 'RSA2048') {
    const n = findTlv(tlvs, Tag.RSA_MODULUS);
    const e = findTlv(tlvs, Tag.RSA_EXPONENT);
    if (!n || !e) throw malformed('RSA modulus or exponent missing');
    const modulus = stripLeadingZeros(n);
    if (modulus.length !== RSA2048_MODULUS_BYTES) throw malformed('RSA modulus is not 2048 bits');
    const spki = jwkToSpki({ kty: 'RSA', n: b64url(modulus), e: b64url(stripLeadingZeros(e)) }, 'RSA key rejected');
    return { algorithm: alg, spki };
  }
  const { size, crv } = EC_CURVES[alg];
  const point = findTlv(tlvs, Tag.EC_POINT);
  if (!point) throw malformed('EC point missing');
  if (point.length !== 1 + 2 * size || point[0] !== EC_POINT_UNCOMPRESSED) throw malformed('EC point has the wrong size');
  const x = point.subarray(1, 1 + size);
  const y = point.subarray(1 + size);
  const spki = jwkToSpki({ kty: 'EC', crv, x: b64url(x), y: b64url(y) }, 'EC point not on the curve');
  return { algorithm: alg, spki };
}

/** node:crypto KeyObject of a card public key. @throws StationError MALFORMED_RESPONSE on a bad SPKI */
export function publicKeyObject(key: CardPublicKey): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' });
  } catch {
    throw malformed('not a valid SubjectPublicKeyInfo');
  }
}

/**
 * The 7F49 content for a key, as the card reports it (`81 n 82 e` or
 * `86 04‖X‖Y`, coordinates left-padded to the curve size). Used to compare a
 * recorded key with GET METADATA tag 04.
 * @throws StationError MALFORMED_RESPONSE when the SPKI does not hold a key of `key.algorithm`
 */
export function publicKeyToTemplate(key: CardPublicKey): Uint8Array {
  const jwk = publicKeyObject(key).export({ format: 'jwk' });
  if (key.algorithm === 'RSA2048') {
    if (jwk.kty !== 'RSA' || !jwk.n || !jwk.e) throw malformed('SPKI is not an RSA key');
    return concatBytes(
      encodeTlv(Tag.RSA_MODULUS, Buffer.from(jwk.n, 'base64url')),
      encodeTlv(Tag.RSA_EXPONENT, Buffer.from(jwk.e, 'base64url')),
    );
  }
  const { size, crv } = EC_CURVES[key.algorithm];
  if (jwk.kty !== 'EC' || jwk.crv !== crv || !jwk.x || !jwk.y) throw malformed(`SPKI is not a ${crv} key`);
  const x = leftPad(Buffer.from(jwk.x, 'base64url'), size);
  const y = leftPad(Buffer.from(jwk.y, 'base64url'), size);
  return encodeTlv(Tag.EC_POINT, Uint8Array.of(EC_POINT_UNCOMPRESSED), x, y);
}

/** True when both keys have the same algorithm and the same SPKI bytes. */
export function publicKeysEqual(a: CardPublicKey, b: CardPublicKey): boolean {
  return a.algorithm === b.algorithm && bytesEqual(a.spki, b.spki);
}
