/**
 * Card public keys from certificate SubjectPublicKeyInfo bytes: which PIV
 * algorithm (SP 800-73-4 Part 1 Table 5) a certificate's key is.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { CardPublicKey } from '../piv/public-key.js';
import { StationError } from '../errors.js';

/**
 * @param spki DER SubjectPublicKeyInfo
 * @throws StationError VERIFY_FAILED for a key type PIV cards do not hold, or bytes that are no public key
 */
export function publicKeyFromSpki(spki: Uint8Array): CardPublicKey {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    throw new StationError('VERIFY_FAILED', 'The certificate holds a public key that cannot be read.');
  }
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' && details.modulusLength === 2048) return { algorithm: 'RSA2048', spki };
  if (key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1') return { algorithm: 'P256', spki };
  if (key.asymmetricKeyType === 'ec' && details.namedCurve === 'secp384r1') return { algorithm: 'P384', spki };
  throw new StationError('VERIFY_FAILED', 'The certificate holds a key type a PIV card does not use.');
}
