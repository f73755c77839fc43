/**
 * A test IDPRS: makes a signing certificate and key (ECDSA P-256 or RSA 2048,
 * self-signed with @peculiar/x509) and signs CPR documents as CMS SignedData
 * with attached content (RFC 5652), the way the real IDPRS does, plus the
 * faults the station must refuse (another key, tampered content, detached).
 */
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { x509 } from '../../electron/core/pki/x509-setup.js';
import type { CprDocument } from '../../electron/core/workflow/cpr-document.js';

const OID_DATA = '1.2.840.113549.1.7.1';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';

/** An IDPRS signing identity. */
export interface IdprsIdentity {
  certDer: Uint8Array;
  certPem: string;
  keys: webcrypto.CryptoKeyPair;
  algorithm: 'P256' | 'RSA2048';
}

let serial = 1;

/** Makes a self-signed IDPRS signing certificate valid from yesterday for `days`. */
export async function makeIdprsIdentity(opts: { algorithm?: 'P256' | 'RSA2048'; name?: string; days?: number; notBefore?: Date } = {}): Promise<IdprsIdentity> {
  const algorithm = opts.algorithm ?? 'P256';
  const alg =
    algorithm === 'P256'
      ? { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
      : { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const notBefore = opts.notBefore ?? new Date(Date.now() - 86_400_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    name: `CN=${opts.name ?? 'Test IDPRS signer'}, O=PIV Station Tests`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + (opts.days ?? 30) * 86_400_000),
    keys,
    signingAlgorithm: alg,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  return { certDer: new Uint8Array(cert.rawData), certPem: cert.toString('pem'), keys, algorithm };
}

/** The last default submission time handed out (ms): each new document is submitted strictly later. */
let lastSubmittedMs = 0;

/**
 * A CPR document with sensible defaults. Its default `submittedAt` is now,
 * and strictly after every earlier default one: the station refuses a CPR not
 * newer than the last one accepted for the person (issue 10, finding 4).
 */
export function cprDocument(overrides: Partial<Omit<CprDocument, 'person'>> & { person?: Partial<CprDocument['person']> } = {}): CprDocument {
  const { person, ...rest } = overrides;
  lastSubmittedMs = Math.max(Date.now(), lastSubmittedMs + 1);
  return {
    idprsRequestId: `REQ-${Math.random().toString(36).slice(2, 10)}`,
    profile: 'employee',
    submittedAt: new Date(lastSubmittedMs).toISOString(),
    ...rest,
    person: { externalId: 'P-000001', givenName: 'Dana', surname: 'Tester', affiliation: 'employee', ...person },
  };
}

/** Signing options, including deliberate faults. */
export interface SignOptions {
  /** Sign with this identity's key but name `claimAs`'s certificate as signer (wrong key). */
  claimAs?: IdprsIdentity;
  /** Replace the content after signing (tampering). */
  tamper?: (json: string) => string;
  /** Content type of the encapsulated content (default id-data). */
  contentType?: string;
  /** Leave out the certificate from the message (the station uses its configured one). */
  omitCertificate?: boolean;
}

/**
 * Signs `doc` (or raw bytes) as DER ContentInfo(SignedData), attached content,
 * signed attributes contentType, messageDigest and signingTime.
 */
export async function signCpr(identity: IdprsIdentity, doc: CprDocument | Uint8Array, opts: SignOptions = {}): Promise<Uint8Array> {
  const crypto = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as never });
  const content = doc instanceof Uint8Array ? doc : new TextEncoder().encode(JSON.stringify(doc));
  const named = pkijs.Certificate.fromBER((opts.claimAs ?? identity).certDer);
  const contentType = opts.contentType ?? OID_DATA;
  const digest = await webcrypto.subtle.digest('SHA-256', content);
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: contentType, eContent: new asn1js.OctetString({ valueHex: content }) }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: named.issuer, serialNumber: named.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({ type: OID_CONTENT_TYPE, values: [new asn1js.ObjectIdentifier({ value: contentType })] }),
            new pkijs.Attribute({ type: OID_MESSAGE_DIGEST, values: [new asn1js.OctetString({ valueHex: digest })] }),
            new pkijs.Attribute({ type: OID_SIGNING_TIME, values: [new asn1js.UTCTime({ valueDate: new Date() })] }),
          ],
        }),
      }),
    ],
    certificates: opts.omitCertificate ? undefined : [named],
  });
  await signedData.sign(identity.keys.privateKey, 0, 'SHA-256', undefined, crypto);
  if (opts.tamper) {
    const tampered = new TextEncoder().encode(opts.tamper(new TextDecoder().decode(content)));
    signedData.encapContentInfo.eContent = new asn1js.OctetString({ valueHex: tampered });
  }
  const info = new pkijs.ContentInfo({ contentType: OID_SIGNED_DATA, content: signedData.toSchema(true) });
  return new Uint8Array(info.toSchema().toBER(false));
}
