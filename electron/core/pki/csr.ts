/**
 * PKCS#10 certification requests (RFC 2986) whose signature is made on the
 * card: the station builds CertificationRequestInfo, the card signs it
 * (GENERAL AUTHENTICATE, SP 800-73-4 Part 2 §3.2.4) through the `sign` callback.
 */
import { createPublicKey } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import { Name, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { StationError } from '../errors.js';
import { x509 } from './x509-setup.js';
import { cardKeyObject, canonicalSpki, defaultHash, signatureAlgorithm, type HashName } from './algorithms.js';
import type { CardPublicKey } from './types.js';

const PKCS10_VERSION_1 = 0;

/**
 * Converts an RFC 4514 DN string ("CN=Alice Smith,O=Example,C=US") to an ASN.1 Name.
 * RFC 4514 §2.1 writes the last RDN of the DER sequence first, so the order is reversed here
 * (@peculiar/x509's Name keeps string order), giving the usual DER order C, O, OU, CN.
 * @throws StationError INVALID_INPUT when the string is not a DN
 */
export function parseDn(dn: string): Name {
  let parsed: Name;
  try {
    parsed = AsnConvert.parse(new x509.Name(dn).toArrayBuffer(), Name);
  } catch {
    throw new StationError('INVALID_INPUT', 'The subject name is not a valid distinguished name.');
  }
  return new Name([...parsed].reverse());
}

/** Formats a DER Name as an RFC 4514 string (last RDN first, ", " between RDNs): the inverse of {@link parseDn}. */
export function formatDn(der: ArrayBuffer | Uint8Array): string {
  const name = AsnConvert.parse(der, Name);
  return new x509.Name(AsnConvert.serialize(new Name([...name].reverse()))).toString();
}

/**
 * Builds a PKCS#10 request signed by the card.
 *
 * @param opts.subject   RFC 4514 DN string
 * @param opts.publicKey the slot's public key (SPKI)
 * @param opts.sign      signs the DER CertificationRequestInfo; returns an X.509-style signature
 *                       (DER ECDSA-Sig-Value, or the RSA PKCS#1 v1.5 signature block)
 * @param opts.hash      SHA-256 (default for RSA-2048 and P-256) or SHA-384 (default for P-384)
 * @returns DER CertificationRequest; signatureAlgorithm ecdsa-with-SHA256/384 or sha256/384WithRSAEncryption
 * @throws StationError CA_ERROR when the key is malformed or the returned signature does not verify
 */
export async function buildCsr(opts: {
  subject: string;
  publicKey: CardPublicKey;
  sign: (toBeSigned: Uint8Array) => Promise<Uint8Array>;
  hash?: HashName;
}): Promise<Uint8Array> {
  cardKeyObject(opts.publicKey);
  const hash = opts.hash ?? defaultHash(opts.publicKey.algorithm);
  const info = new CertificationRequestInfo({
    version: PKCS10_VERSION_1,
    subject: parseDn(opts.subject),
    subjectPKInfo: AsnConvert.parse(opts.publicKey.spki, SubjectPublicKeyInfo),
  });
  const tbs = new Uint8Array(AsnConvert.serialize(info));
  const signature = await opts.sign(tbs);
  const csr = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: signatureAlgorithm(opts.publicKey.algorithm, hash),
    signature: signature.slice().buffer,
  });
  const der = new Uint8Array(AsnConvert.serialize(csr));
  // Check now: a card that signed with the wrong key or hash should fail here, not at the CA.
  await verifyCsr(der);
  return der;
}

/**
 * Verifies a PKCS#10 request's self-signature.
 *
 * @returns the request's DER SPKI and its subject as an RFC 4514 string (as @peculiar/x509 prints it: ", " between RDNs)
 * @throws StationError CA_ERROR when the request cannot be parsed or its signature does not verify
 */
export async function verifyCsr(der: Uint8Array): Promise<{ publicKeySpki: Uint8Array; subject: string }> {
  let req: InstanceType<typeof x509.Pkcs10CertificateRequest>;
  try {
    req = new x509.Pkcs10CertificateRequest(der);
  } catch {
    throw new StationError('CA_ERROR', 'The certificate request cannot be read.');
  }
  let ok = false;
  try {
    ok = await req.verify();
  } catch {
    ok = false;
  }
  if (!ok) throw new StationError('CA_ERROR', "The certificate request's signature does not verify.");
  try {
    const spki = canonicalSpki(createPublicKey({ key: Buffer.from(req.publicKey.rawData), format: 'der', type: 'spki' }));
    return { publicKeySpki: new Uint8Array(spki), subject: formatDn(req.subjectName.toArrayBuffer()) };
  } catch {
    throw new StationError('CA_ERROR', 'The certificate request cannot be read.');
  }
}
