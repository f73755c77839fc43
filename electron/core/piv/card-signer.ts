/**
 * Signing with a card key: the host hashes and pads, the card does only the
 * private-key operation (SP 800-73-4 Part 2 App. A.3/A.4: the card receives
 * the padded RSA block or the ECDSA hash). Output is what node:crypto.verify
 * and X.509/CMS encoders expect: RSASSA-PKCS1-v1_5 signature bytes, or a DER
 * ECDSA-Sig-Value.
 */
import { createHash } from 'node:crypto';
import { StationError } from '../errors.js';
import type { PivSlot } from './constants.js';
import { publicKeyObject, type CardPublicKey } from './public-key.js';
import type { PivSession } from './session.js';
import { concatBytes, fromHex } from './tlv.js';

/** Hashes the station signs with. */
export type SignHash = 'SHA256' | 'SHA384';

/** DER DigestInfo prefixes (RFC 8017 §9.2, note 1): AlgorithmIdentifier with NULL params, then OCTET STRING header. */
const DIGEST_INFO_PREFIX: Record<SignHash, Uint8Array> = {
  SHA256: fromHex('3031300d060960864801650304020105000420'),
  SHA384: fromHex('3041300d060960864801650304020205000430'),
};
const NODE_HASH: Record<SignHash, string> = { SHA256: 'sha256', SHA384: 'sha384' };
/** EMSA-PKCS1-v1_5 framing bytes (RFC 8017 §9.2 step 5): 00 01 FF… 00 T. */
const EMSA_LEADING = Uint8Array.of(0x00, 0x01);
const EMSA_PAD = 0xff;
const EMSA_SEPARATOR = Uint8Array.of(0x00);
/** At least 8 bytes of FF padding (RFC 8017 §9.2 step 3). */
const EMSA_MIN_PAD = 8;
/** ECDSA field size in bytes per curve: the card takes at most this many hash bytes. */
const EC_FIELD_BYTES = { P256: 32, P384: 48 } as const;
const EC_DEFAULT_HASH: Record<'P256' | 'P384', SignHash> = { P256: 'SHA256', P384: 'SHA384' };

/**
 * EMSA-PKCS1-v1_5 encoding of a digest (RFC 8017 §9.2).
 * @param digest the hash value @param hash its algorithm @param emLength modulus length in bytes
 * @throws StationError INVALID_INPUT when the modulus is too short
 */
export function emsaPkcs1v15(digest: Uint8Array, hash: SignHash, emLength: number): Uint8Array {
  const t = concatBytes(DIGEST_INFO_PREFIX[hash], digest);
  const padLength = emLength - t.length - EMSA_LEADING.length - EMSA_SEPARATOR.length;
  if (padLength < EMSA_MIN_PAD) throw new StationError('INVALID_INPUT', 'The RSA key is too short for this hash.');
  return concatBytes(EMSA_LEADING, new Uint8Array(padLength).fill(EMSA_PAD), EMSA_SEPARATOR, t);
}

/**
 * Signs `data` with the private key in `slot`. The PIN must already be
 * verified where the slot needs it (9C: immediately before each signature).
 * @param key the slot's public key (gives algorithm and RSA modulus size)
 * @param hash RSA: SHA256 (default) or SHA384; EC: defaults to SHA-256 for P-256
 *             and SHA-384 for P-384; a longer hash is truncated to the field size (FIPS 186-4 §6.4)
 * @returns RSA signature (modulus-length bytes) or DER ECDSA signature
 * @throws StationError SECURITY_STATUS (PIN), NO_KEY, MALFORMED_RESPONSE, transport errors
 */
export async function signWithCard(
  session: PivSession,
  slot: PivSlot,
  key: CardPublicKey,
  data: Uint8Array,
  hash?: SignHash,
): Promise<Uint8Array> {
  if (key.algorithm === 'RSA2048') {
    const h = hash ?? 'SHA256';
    const modulusBits = publicKeyObject(key).asymmetricKeyDetails?.modulusLength ?? 2048;
    const digest = new Uint8Array(createHash(NODE_HASH[h]).update(data).digest());
    return session.authenticateSign(slot, key.algorithm, emsaPkcs1v15(digest, h, modulusBits / 8));
  }
  const h = hash ?? EC_DEFAULT_HASH[key.algorithm];
  const digest = new Uint8Array(createHash(NODE_HASH[h]).update(data).digest());
  return session.authenticateSign(slot, key.algorithm, digest.subarray(0, EC_FIELD_BYTES[key.algorithm]));
}
