/**
 * Signature algorithm identifiers and key checks shared by the CSR, CA and
 * content-signer modules (RFC 5758 §3.2 for ECDSA, RFC 4055 §5 for RSA; SP 800-78-4 Table 3-2).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import type { KeyAlgorithm } from '../piv/constants.js';
import { StationError } from '../errors.js';
import type { CardPublicKey } from './types.js';

export type HashName = 'SHA-256' | 'SHA-384';

/** Signature algorithm OIDs. */
export const SigOid = {
  ECDSA_SHA256: '1.2.840.10045.4.3.2',
  ECDSA_SHA384: '1.2.840.10045.4.3.3',
  RSA_SHA256: '1.2.840.113549.1.1.11',
  RSA_SHA384: '1.2.840.113549.1.1.12',
} as const;

/** Digest algorithm OIDs (NIST hash algorithms, RFC 5754 §2). */
export const DigestOid: Record<HashName, string> = {
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
};

/** DER of ASN.1 NULL: the parameters RSA PKCS#1 v1.5 signature algorithms carry (RFC 4055 §5). */
const DER_NULL = Uint8Array.of(0x05, 0x00);

/** node:crypto digest name for a hash. */
export function nodeHash(hash: HashName): 'sha256' | 'sha384' {
  return hash === 'SHA-256' ? 'sha256' : 'sha384';
}

/** The default hash for a key: SHA-384 for P-384, SHA-256 otherwise (SP 800-78-4 Table 3-2). */
export function defaultHash(alg: KeyAlgorithm): HashName {
  return alg === 'P384' ? 'SHA-384' : 'SHA-256';
}

/** AlgorithmIdentifier of the X.509 signature made with a key of `alg` over `hash`. */
export function signatureAlgorithm(alg: KeyAlgorithm, hash: HashName): AlgorithmIdentifier {
  if (alg === 'RSA2048') {
    return new AlgorithmIdentifier({
      algorithm: hash === 'SHA-256' ? SigOid.RSA_SHA256 : SigOid.RSA_SHA384,
      parameters: DER_NULL.slice().buffer,
    });
  }
  // ECDSA identifiers carry no parameters (RFC 5758 §3.2).
  return new AlgorithmIdentifier({ algorithm: hash === 'SHA-256' ? SigOid.ECDSA_SHA256 : SigOid.ECDSA_SHA384 });
}

/** The hash named by a signature algorithm OID, or undefined when the station does not accept it. */
export function hashOfSignatureOid(oid: string): HashName | undefined {
  if (oid === SigOid.ECDSA_SHA256 || oid === SigOid.RSA_SHA256) return 'SHA-256';
  if (oid === SigOid.ECDSA_SHA384 || oid === SigOid.RSA_SHA384) return 'SHA-384';
  return undefined;
}

const RSA_2048_BITS = 2048;
const RSA_F4 = 65537n;

/**
 * Parses a card public key and checks that its SPKI really is the named algorithm
 * (RSA-2048 with e = 65537, P-256 or P-384).
 *
 * @returns the node:crypto KeyObject
 * @throws StationError CA_ERROR when the SPKI is malformed or does not match `algorithm`
 */
export function cardKeyObject(key: CardPublicKey): KeyObject {
  let ko: KeyObject;
  try {
    ko = createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' });
  } catch {
    throw new StationError('CA_ERROR', "The card's public key cannot be read.", { algorithm: key.algorithm });
  }
  const d = ko.asymmetricKeyDetails ?? {};
  const ok =
    key.algorithm === 'RSA2048'
      ? ko.asymmetricKeyType === 'rsa' && d.modulusLength === RSA_2048_BITS && d.publicExponent === RSA_F4
      : ko.asymmetricKeyType === 'ec' && d.namedCurve === (key.algorithm === 'P256' ? 'prime256v1' : 'secp384r1');
  if (!ok) throw new StationError('CA_ERROR', "The card's public key is not the expected algorithm.", { algorithm: key.algorithm });
  return ko;
}

/** Canonical DER SPKI of a key, so two encodings of the same key compare equal. */
export function canonicalSpki(ko: KeyObject): Buffer {
  return ko.export({ type: 'spki', format: 'der' });
}
