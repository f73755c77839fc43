/**
 * CHUID signature (SP 800-73-4 Part 1 §3.1.2.1; piv-reference §3 "CHUID"): a detached
 * CMS SignedData (RFC 5652) over the CHUID's to-be-signed bytes.
 *
 * Shape: SignedData v3 · eContentType id-PIV-CHUIDSecurityObject, no eContent · exactly one
 * certificate (the signer) · one SignerInfo v1 with issuerAndSerialNumber · signed attributes
 * contentType, messageDigest, pivSigner-DN (the signer's subject Name).
 */
import { createHash, createPublicKey, sign as nodeSign, timingSafeEqual, verify as nodeVerify, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  Attribute,
  CertificateChoices,
  CertificateSet,
  ContentInfo,
  DigestAlgorithmIdentifiers,
  EncapsulatedContent,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
} from '@peculiar/asn1-cms';
import { AlgorithmIdentifier, Certificate } from '@peculiar/asn1-x509';
import { StationError } from '../errors.js';
import { encodeTlv } from '../piv/tlv.js';
import type { KeyAlgorithm } from '../piv/constants.js';
import { x509 } from './x509-setup.js';
import { DigestOid, hashOfSignatureOid, nodeHash, signatureAlgorithm, type HashName } from './algorithms.js';
import { formatDn } from './csr.js';
import { Oid } from './oids.js';

/** SignedData version when eContentType is not id-data (RFC 5652 §5.1). */
const SIGNED_DATA_V3 = 3;
/** SignerInfo version with issuerAndSerialNumber (RFC 5652 §5.3). */
const SIGNER_INFO_V1 = 1;
/** Universal SET tag: signed attributes are signed as an explicit SET OF, not as [0] (RFC 5652 §5.4). */
const DER_SET_TAG = 0x31;

/** The content signer: its certificate and private key. */
export interface ContentSigner {
  certDer: Uint8Array;
  privateKey: KeyObject;
}

const oidValue = (oid: string): ArrayBuffer => new asn1js.ObjectIdentifier({ value: oid }).toBER(false);
const toBuf = (b: ArrayBuffer | Uint8Array): Buffer => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b));

function signerAlgorithm(key: KeyObject): { alg: KeyAlgorithm; hash: HashName } {
  if (key.asymmetricKeyType === 'rsa') return { alg: 'RSA2048', hash: 'SHA-256' };
  if (key.asymmetricKeyType === 'ec') {
    const p384 = key.asymmetricKeyDetails?.namedCurve === 'secp384r1';
    return { alg: p384 ? 'P384' : 'P256', hash: p384 ? 'SHA-384' : 'SHA-256' };
  }
  throw new StationError('INVALID_INPUT', 'The content signer key must be RSA or ECDSA.');
}

/** DER SET OF with its members sorted by encoding (X.690 §11.6). */
function derSetOf(members: Uint8Array[]): Uint8Array {
  const sorted = [...members].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return encodeTlv(DER_SET_TAG, ...sorted);
}

/** What a content signature signs and how (the CMS shapes of SP 800-73-4 Part 1 §3.1.2.1 and §3.1.7). */
export interface ContentSignatureSpec {
  /** eContentType, also the value of the contentType signed attribute (RFC 5652 §11.1). */
  contentType: string;
  /** The signed content. */
  content: Uint8Array;
  /** True: the content travels inside as eContent; false: detached (the verifier has it). */
  encapsulate: boolean;
  /** True: the signer certificate goes in `certificates`; false: omitted (the verifier finds it elsewhere). */
  includeCertificate: boolean;
  /** True: add the pivSigner-DN signed attribute (the signer's subject Name). */
  pivSignerDn: boolean;
  /** More signed attributes: each an attribute type and its one value, DER. */
  attributes?: { type: string; valueDer: Uint8Array }[];
}

/**
 * Signs content as a CMS SignedData v3 with one SignerInfo v1 (issuerAndSerialNumber) whose signed
 * attributes are contentType, messageDigest and, when asked, pivSigner-DN (RFC 5652 §5).
 *
 * @returns DER ContentInfo(SignedData)
 * @throws StationError INVALID_INPUT when the key type is unsupported
 */
export async function signContent(signer: ContentSigner, spec: ContentSignatureSpec): Promise<Uint8Array> {
  const cert = AsnConvert.parse(signer.certDer, Certificate);
  const { alg, hash } = signerAlgorithm(signer.privateKey);
  const digest = createHash(nodeHash(hash)).update(spec.content).digest();
  const attributes = [
    new Attribute({ attrType: Oid.ATTR_CONTENT_TYPE, attrValues: [oidValue(spec.contentType)] }),
    new Attribute({ attrType: Oid.ATTR_MESSAGE_DIGEST, attrValues: [AsnConvert.serialize(new OctetString(digest))] }),
  ];
  if (spec.pivSignerDn) {
    attributes.push(new Attribute({ attrType: Oid.PIV_SIGNER_DN, attrValues: [AsnConvert.serialize(cert.tbsCertificate.subject)] }));
  }
  for (const a of spec.attributes ?? []) attributes.push(new Attribute({ attrType: a.type, attrValues: [Uint8Array.from(a.valueDer).buffer] }));
  const attrs = attributes
    .map((a) => ({ a, der: new Uint8Array(AsnConvert.serialize(a)) }))
    .sort((x, y) => Buffer.compare(Buffer.from(x.der), Buffer.from(y.der)));
  const signedAttrsSet = derSetOf(attrs.map((x) => x.der));
  const signature = nodeSign(nodeHash(hash), signedAttrsSet, { key: signer.privateKey, dsaEncoding: 'der' });

  const digestAlgorithm = new AlgorithmIdentifier({ algorithm: DigestOid[hash] });
  const signerInfo = new SignerInfo({
    version: SIGNER_INFO_V1,
    sid: new SignerIdentifier({
      issuerAndSerialNumber: new IssuerAndSerialNumber({
        issuer: cert.tbsCertificate.issuer,
        serialNumber: cert.tbsCertificate.serialNumber,
      }),
    }),
    digestAlgorithm,
    signedAttrs: attrs.map((x) => x.a),
    signatureAlgorithm: signatureAlgorithm(alg, hash),
    signature: new OctetString(signature),
  });
  const signedData = new SignedData({
    version: SIGNED_DATA_V3,
    digestAlgorithms: new DigestAlgorithmIdentifiers([digestAlgorithm]),
    encapContentInfo: new EncapsulatedContentInfo({
      eContentType: spec.contentType,
      eContent: spec.encapsulate ? new EncapsulatedContent({ single: new OctetString(spec.content) }) : undefined,
    }),
    certificates: spec.includeCertificate ? new CertificateSet([new CertificateChoices({ certificate: cert })]) : undefined,
    signerInfos: new SignerInfos([signerInfo]),
  });
  const contentInfo = new ContentInfo({ contentType: Oid.CMS_SIGNED_DATA, content: AsnConvert.serialize(signedData) });
  return new Uint8Array(AsnConvert.serialize(contentInfo));
}

/**
 * Signs CHUID to-be-signed bytes (every CHUID TLV except EE and 3E, keeping FE 00): detached,
 * with the signer certificate and pivSigner-DN (SP 800-73-4 Part 1 §3.1.2.1).
 *
 * @param signer   the content-signing certificate (EKU id-PIV-content-signing) and its private key
 * @param toBeSigned the CHUID TBS bytes
 * @returns DER ContentInfo(SignedData), the value of CHUID tag 3E
 * @throws StationError INVALID_INPUT when the key type is unsupported
 */
export async function signChuidContent(signer: ContentSigner, toBeSigned: Uint8Array): Promise<Uint8Array> {
  return signContent(signer, {
    contentType: Oid.PIV_CHUID_SECURITY_OBJECT,
    content: toBeSigned,
    encapsulate: false,
    includeCertificate: true,
    pivSignerDn: true,
  });
}

/**
 * Signs the DER LDS Security Object of the PIV Security Object (`BB`, SP 800-73-4 Part 1 §3.1.7):
 * encapsulated, eContentType id-icao-ldsSecurityObject, signed by the CHUID's signer with the
 * certificate omitted (it is in the CHUID).
 *
 * @returns DER ContentInfo(SignedData)
 * @throws StationError INVALID_INPUT when the key type is unsupported
 */
export async function signLdsSecurityObject(signer: ContentSigner, lds: Uint8Array): Promise<Uint8Array> {
  return signContent(signer, {
    contentType: Oid.ICAO_LDS_SECURITY_OBJECT,
    content: lds,
    encapsulate: true,
    includeCertificate: false,
    pivSignerDn: false,
  });
}

/** DER OCTET STRING of `bytes`. */
const octetString = (bytes: Uint8Array): Uint8Array => new Uint8Array(AsnConvert.serialize(new OctetString(bytes)));

/**
 * Signs a biometric object's CBEFF header and biometric data block (the CBEFF signature block,
 * SP 800-76-2 §9.2; SP 800-73-4 Part 1 §3.4): detached, eContentType id-PIV-biometricObject,
 * signed attributes contentType, messageDigest, pivSigner-DN (the certificate is omitted: the
 * signer is the CHUID's, whose signature carries it), pivFASC-N (the card's FASC-N, OCTET STRING)
 * and entryUUID (the card UUID, RFC 4530 OCTET STRING SIZE(16)).
 *
 * @param signed CBEFF header ‖ biometric data block
 * @param fascn  the CHUID's FASC-N, 25 bytes
 * @param cardUuid the CHUID's GUID, 16 bytes
 * @returns DER ContentInfo(SignedData), the CBEFF signature block
 * @throws StationError INVALID_INPUT when the key type is unsupported
 */
export async function signBiometricContent(signer: ContentSigner, signed: Uint8Array, fascn: Uint8Array, cardUuid: Uint8Array): Promise<Uint8Array> {
  return signContent(signer, {
    contentType: Oid.PIV_BIOMETRIC_OBJECT,
    content: signed,
    encapsulate: false,
    includeCertificate: false,
    pivSignerDn: true,
    attributes: [
      { type: Oid.PIV_FASCN, valueDer: octetString(fascn) },
      { type: Oid.ATTR_ENTRY_UUID, valueDer: octetString(cardUuid) },
    ],
  });
}

function fail(reason: string, message: string): StationError {
  return new StationError('VERIFY_FAILED', message, { reason });
}

/**
 * Runs a verification of bytes read from a card: the ASN.1 libraries throw their own errors on some
 * malformed values (OIDs, names, integers) even after a structure parsed, so anything not ours
 * becomes VERIFY_FAILED 'structure' (never the library's text, which may quote the input).
 */
function structural<T>(what: string, run: () => T): T {
  const asOurs = (e: unknown): StationError => (e instanceof StationError ? e : fail('structure', `The ${what} signature is not a readable CMS SignedData.`));
  try {
    const result = run();
    return (result instanceof Promise ? result.catch((e: unknown) => Promise.reject(asOurs(e))) : result) as T;
  } catch (e) {
    throw asOurs(e);
  }
}

/** ASN.1 tag class of context-specific tags in asn1js (X.690 §8.1.2.2). */
const TAG_CLASS_CONTEXT = 3;
const SIGNED_ATTRS_TAG_NUMBER = 0;

/**
 * The signed attributes exactly as received ([0] IMPLICIT SET OF Attribute of the only SignerInfo):
 * the signature covers these bytes, so they are taken from the input rather than re-encoded.
 */
function receivedSignedAttrs(cmsDer: Uint8Array): Uint8Array | undefined {
  const parsed = asn1js.fromBER(cmsDer);
  if (parsed.offset === -1) return undefined;
  const children = (b: unknown): asn1js.AsnType[] => {
    const v = (b as { valueBlock?: { value?: unknown } }).valueBlock?.value;
    return Array.isArray(v) ? (v as asn1js.AsnType[]) : [];
  };
  const contentInfo = children(parsed.result);
  const signedData = children(children(contentInfo[1])[0]);
  const signerInfos = signedData[signedData.length - 1];
  const signerInfo = children(signerInfos)[0];
  const attrs = children(signerInfo).find(
    (b) => b.idBlock.tagClass === TAG_CLASS_CONTEXT && b.idBlock.tagNumber === SIGNED_ATTRS_TAG_NUMBER,
  );
  return attrs ? new Uint8Array(attrs.valueBeforeDecodeView) : undefined;
}

function hashOfDigestOid(oid: string): HashName | undefined {
  return (Object.keys(DigestOid) as HashName[]).find((h) => DigestOid[h] === oid);
}

function attrValue(attrs: Attribute[], oid: string): Buffer | undefined {
  const found = attrs.filter((a) => a.attrType === oid);
  if (found.length !== 1 || found[0]!.attrValues.length !== 1) return undefined;
  return toBuf(found[0]!.attrValues[0]!);
}

/** Parses DER ContentInfo(SignedData). @throws StationError VERIFY_FAILED 'structure' */
function parseSignedData(cmsDer: Uint8Array, what: string): SignedData {
  try {
    const ci = AsnConvert.parse(cmsDer, ContentInfo);
    if (ci.contentType !== Oid.CMS_SIGNED_DATA) throw new Error('not SignedData');
    return AsnConvert.parse(ci.content, SignedData);
  } catch {
    throw fail('structure', `The ${what} signature is not a readable CMS SignedData.`);
  }
}

/**
 * Checks the only SignerInfo of `sd` against the signer certificate: it names the certificate
 * (issuerAndSerialNumber), its signed attributes carry `contentType` and the digest of `content`,
 * and its signature over them verifies with the certificate's key (RFC 5652 §5.4, §5.6).
 *
 * @param what the object named in error messages, e.g. "CHUID"
 * @returns the signed attributes (for further checks)
 * @throws StationError VERIFY_FAILED with `details.reason` 'structure' | 'digest' | 'signature'
 */
function verifySignerInfo(cmsDer: Uint8Array, sd: SignedData, certAsn: Certificate, contentType: string, content: Uint8Array, what: string): Attribute[] {
  if (sd.signerInfos.length !== 1) throw fail('structure', `The ${what} signature must have exactly one signer.`);
  const si = sd.signerInfos[0]!;
  const ias = si.sid.issuerAndSerialNumber;
  if (
    !ias ||
    !toBuf(AsnConvert.serialize(ias.issuer)).equals(toBuf(AsnConvert.serialize(certAsn.tbsCertificate.issuer))) ||
    !toBuf(ias.serialNumber).equals(toBuf(certAsn.tbsCertificate.serialNumber))
  ) {
    throw fail('structure', `The ${what} signer is not identified by the content-signing certificate.`);
  }
  const attrs = si.signedAttrs;
  const rawAttrs = receivedSignedAttrs(cmsDer);
  if (!attrs || !rawAttrs) throw fail('structure', `The ${what} signature has no signed attributes.`);

  const hash = hashOfDigestOid(si.digestAlgorithm.algorithm);
  const sigHash = hashOfSignatureOid(si.signatureAlgorithm.algorithm);
  if (!hash || (sigHash && sigHash !== hash)) throw fail('structure', `The ${what} signature uses an unsupported algorithm.`);
  const signedType = attrValue(attrs, Oid.ATTR_CONTENT_TYPE);
  if (!signedType || !signedType.equals(toBuf(oidValue(contentType)))) {
    throw fail('structure', `The ${what} signature does not name the ${what} content type.`);
  }
  const md = attrValue(attrs, Oid.ATTR_MESSAGE_DIGEST);
  const expected = createHash(nodeHash(hash)).update(content).digest();
  let mdValue: Buffer | undefined;
  try {
    mdValue = md ? toBuf(AsnConvert.parse(md, OctetString).buffer) : undefined;
  } catch {
    mdValue = undefined;
  }
  if (!mdValue || mdValue.length !== expected.length || !timingSafeEqual(mdValue, expected)) {
    throw fail('digest', `The ${what} does not match its signature (the signed digest differs).`);
  }

  const signed = Uint8Array.from(rawAttrs);
  signed[0] = DER_SET_TAG;
  let ok = false;
  try {
    const spki = Buffer.from(AsnConvert.serialize(certAsn.tbsCertificate.subjectPublicKeyInfo));
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    ok = nodeVerify(nodeHash(hash), signed, { key, dsaEncoding: 'der' }, toBuf(si.signature.buffer));
  } catch {
    ok = false;
  }
  if (!ok) throw fail('signature', `The ${what} signature does not verify.`);
  return attrs;
}

/**
 * The signer certificate a CHUID signature carries (DER). The Security Object omits it and is
 * verified with this one (SP 800-73-4 Part 1 §3.1.7: same signer as the CHUID).
 * @throws StationError VERIFY_FAILED 'structure' when there is not exactly one certificate
 */
export function chuidSignerCertificate(cmsDer: Uint8Array): Uint8Array {
  return structural('CHUID', () => {
    const certs = parseSignedData(cmsDer, 'CHUID').certificates ?? [];
    if (certs.length !== 1 || !certs[0]!.certificate) throw fail('structure', 'The CHUID signature must hold exactly one certificate.');
    return new Uint8Array(AsnConvert.serialize(certs[0]!.certificate));
  });
}

/**
 * Verifies an encapsulating signature (e.g. the Security Object's `BB`) made by `signerCertDer`
 * and returns the signed content. The certificate's own trust (chain, EKU) is the caller's job.
 *
 * Checks: SignedData with eContentType `contentType` and an eContent; one SignerInfo naming the
 * certificate; contentType and messageDigest signed attributes; the signature.
 *
 * @returns the eContent bytes
 * @throws StationError VERIFY_FAILED with `details.reason` 'structure' | 'digest' | 'signature'
 */
export function verifyEncapsulatedSignature(cmsDer: Uint8Array, contentType: string, signerCertDer: Uint8Array, what: string): Uint8Array {
  return structural(what, () => verifyEncapsulated(cmsDer, contentType, signerCertDer, what));
}

function verifyEncapsulated(cmsDer: Uint8Array, contentType: string, signerCertDer: Uint8Array, what: string): Uint8Array {
  const sd = parseSignedData(cmsDer, what);
  const econtent = sd.encapContentInfo.eContent?.single ?? sd.encapContentInfo.eContent?.any;
  if (sd.encapContentInfo.eContentType !== contentType || !econtent) {
    throw fail('structure', `The ${what} signature has the wrong content type or no content.`);
  }
  const content = econtent instanceof OctetString ? new Uint8Array(econtent.buffer) : new Uint8Array(econtent);
  let certAsn: Certificate;
  try {
    certAsn = AsnConvert.parse(signerCertDer, Certificate);
  } catch {
    throw fail('structure', `The ${what} signer certificate cannot be read.`);
  }
  verifySignerInfo(cmsDer, sd, certAsn, contentType, content, what);
  return content;
}

/**
 * Verifies a CHUID signature (tag 3E value) against the CHUID TBS bytes.
 *
 * Checks: CMS shape (SignedData, CHUID content type, detached, one certificate, one SignerInfo whose
 * issuerAndSerialNumber names that certificate); signed attributes contentType, messageDigest (equal to the
 * TBS digest) and pivSigner-DN (equal to the signer subject); the signature; the signer certificate chains
 * issuing → root (signatures and validity now) and carries EKU id-PIV-content-signing.
 *
 * @returns the signer certificate subject (RFC 4514 string)
 * @throws StationError VERIFY_FAILED with `details.reason` ('structure' | 'digest' | 'signature' | 'chain' | 'eku')
 */
export async function verifyChuidSignature(
  toBeSigned: Uint8Array,
  cmsDer: Uint8Array,
  trust: { root: Uint8Array; issuing: Uint8Array },
): Promise<{ signerSubject: string }> {
  return structural('CHUID', () => verifyChuid(toBeSigned, cmsDer, trust));
}

async function verifyChuid(toBeSigned: Uint8Array, cmsDer: Uint8Array, trust: { root: Uint8Array; issuing: Uint8Array }): Promise<{ signerSubject: string }> {
  const sd = parseSignedData(cmsDer, 'CHUID');
  if (sd.encapContentInfo.eContentType !== Oid.PIV_CHUID_SECURITY_OBJECT || sd.encapContentInfo.eContent) {
    throw fail('structure', 'The CHUID signature has the wrong content type or is not detached.');
  }
  const certs = sd.certificates ?? [];
  if (certs.length !== 1 || !certs[0]!.certificate || sd.signerInfos.length !== 1) {
    throw fail('structure', 'The CHUID signature must hold exactly one certificate and one signer.');
  }
  const certAsn = certs[0]!.certificate;
  const attrs = verifySignerInfo(cmsDer, sd, certAsn, Oid.PIV_CHUID_SECURITY_OBJECT, toBeSigned, 'CHUID');
  const signerDn = attrValue(attrs, Oid.PIV_SIGNER_DN);
  if (!signerDn || !signerDn.equals(toBuf(AsnConvert.serialize(certAsn.tbsCertificate.subject)))) {
    throw fail('structure', 'The CHUID signature does not carry the signer name (pivSigner-DN).');
  }
  const certDer = new Uint8Array(AsnConvert.serialize(certAsn));

  let signerCert: InstanceType<typeof x509.X509Certificate>;
  let issuing: InstanceType<typeof x509.X509Certificate>;
  let root: InstanceType<typeof x509.X509Certificate>;
  try {
    signerCert = new x509.X509Certificate(certDer);
    issuing = new x509.X509Certificate(trust.issuing);
    root = new x509.X509Certificate(trust.root);
  } catch {
    throw fail('chain', 'A certificate of the CHUID signer chain cannot be read.');
  }
  const now = new Date();
  const chainOk =
    signerCert.issuer === issuing.subject &&
    issuing.issuer === root.subject &&
    (await signerCert.verify({ publicKey: issuing.publicKey, date: now }).catch(() => false)) &&
    (await issuing.verify({ publicKey: root.publicKey, date: now }).catch(() => false)) &&
    (await root.verify({ date: now }).catch(() => false));
  if (!chainOk) throw fail('chain', 'The CHUID signer certificate does not chain to the station root.');
  const eku = signerCert.getExtension(x509.ExtendedKeyUsageExtension);
  if (!eku || !eku.usages.map(String).includes(Oid.PIV_CONTENT_SIGNING)) {
    throw fail('eku', 'The CHUID signer certificate is not a PIV content-signing certificate.');
  }
  return { signerSubject: formatDn(signerCert.subjectName.toArrayBuffer()) };
}

/**
 * Verifies a CBEFF signature block (see {@link signBiometricContent}) over `signed` with the
 * CHUID's signer certificate, and returns the card identifiers it signs.
 *
 * Checks: SignedData, eContentType id-PIV-biometricObject, detached; one SignerInfo naming the
 * certificate; contentType, messageDigest (of `signed`) and the signature; pivSigner-DN equal to the
 * certificate's subject; one pivFASC-N (25 bytes) and one entryUUID (16 bytes).
 *
 * @returns the signed FASC-N and card UUID
 * @throws StationError VERIFY_FAILED with `details.reason` 'structure' | 'digest' | 'signature'
 */
export function verifyBiometricSignature(cmsDer: Uint8Array, signed: Uint8Array, signerCertDer: Uint8Array): { fascn: Uint8Array; cardUuid: Uint8Array } {
  const what = 'facial image';
  const sd = parseSignedData(cmsDer, what);
  if (sd.encapContentInfo.eContentType !== Oid.PIV_BIOMETRIC_OBJECT || sd.encapContentInfo.eContent) {
    throw fail('structure', 'The facial image signature has the wrong content type or is not detached.');
  }
  let certAsn: Certificate;
  try {
    certAsn = AsnConvert.parse(signerCertDer, Certificate);
  } catch {
    throw fail('structure', 'The facial image signer certificate cannot be read.');
  }
  const attrs = verifySignerInfo(cmsDer, sd, certAsn, Oid.PIV_BIOMETRIC_OBJECT, signed, what);
  const signerDn = attrValue(attrs, Oid.PIV_SIGNER_DN);
  if (!signerDn || !signerDn.equals(toBuf(AsnConvert.serialize(certAsn.tbsCertificate.subject)))) {
    throw fail('structure', 'The facial image signature does not carry the signer name (pivSigner-DN).');
  }
  const octets = (oid: string, length: number, name: string): Uint8Array => {
    const v = attrValue(attrs, oid);
    let bytes: Uint8Array | undefined;
    try {
      bytes = v ? new Uint8Array(AsnConvert.parse(v, OctetString).buffer) : undefined;
    } catch {
      bytes = undefined;
    }
    if (!bytes || bytes.length !== length) throw fail('structure', `The facial image signature does not carry one ${name}.`);
    return bytes;
  };
  return { fascn: octets(Oid.PIV_FASCN, 25, 'pivFASC-N'), cardUuid: octets(Oid.ATTR_ENTRY_UUID, 16, 'entryUUID') };
}
