/**
 * Verifies a signed CPR: a CMS ContentInfo(SignedData) with attached content
 * (RFC 5652 §5), signed by the IDPRS signing certificate configured in the
 * station.
 *
 * Trust model (pinned, deliberately narrower than chaining): the one
 * SignerInfo must name the configured certificate (issuerAndSerialNumber or
 * subjectKeyIdentifier, RFC 5652 §5.3) and its signature must verify with that
 * certificate's public key. Certificates embedded in the message are ignored,
 * so a certificate issued by the same CA to someone else is never accepted.
 * The configured certificate must be within its validity period.
 *
 * Also required: eContentType id-data, content present, and when signed
 * attributes are present their content-type attribute must be id-data and the
 * message digest must match (pkijs checks the digest).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { StationError } from '../errors.js';
import { Oid } from '../pki/oids.js';

/** id-data (RFC 5652 §4): the CPR JSON is plain data. */
export const OID_CMS_DATA = '1.2.840.113549.1.7.1';

/** asn1js tag class of universal tags, and the OCTET STRING tag number (X.690 §8.7). */
const TAG_CLASS_UNIVERSAL = 1;
const OCTET_STRING_TAG_NUMBER = 4;

/** What a successful verification yields. */
export interface VerifiedCpr {
  /** The signed content (the CPR JSON bytes). */
  content: Uint8Array;
  /** The signing time signed attribute, when present (informational only). */
  signingTime: Date | null;
}

/** id-signingTime (RFC 5652 §11.3). */
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';

/**
 * Verifies `der` against the IDPRS certificate.
 *
 * @param der        DER ContentInfo (see cpr-envelope.ts for the transfer forms)
 * @param trustedDer DER X.509 certificate of the IDPRS signer, from the station configuration
 * @param now        time against which the certificate's validity is checked
 * @throws StationError CPR_MALFORMED (not a ContentInfo(SignedData), wrong content type,
 *   no content, not exactly one signer); CPR_SIGNATURE_INVALID (signer is not the
 *   configured certificate, signature or digest does not verify, certificate not valid at `now`)
 */
export async function verifyCprSignature(der: Uint8Array, trustedDer: Uint8Array, now: Date): Promise<VerifiedCpr> {
  try {
    return await verifySignedCpr(der, trustedDer, now);
  } catch (e) {
    // asn1js/pkijs throw their own errors on some malformed values even after the structure parsed: never let their text out.
    if (e instanceof StationError) throw e;
    throw malformed('The CPR is not a CMS SignedData message.', 'cms');
  }
}

async function verifySignedCpr(der: Uint8Array, trustedDer: Uint8Array, now: Date): Promise<VerifiedCpr> {
  const signedData = parseSignedData(der);
  const trusted = parseCertificate(trustedDer);
  if (now < trusted.notBefore.value || now > trusted.notAfter.value) {
    throw invalid('The configured IDPRS signing certificate is not valid at this time.', 'certificate-validity');
  }
  if (signedData.encapContentInfo.eContentType !== OID_CMS_DATA) throw malformed('The CPR content type is not data.', 'content-type');
  const eContent = signedData.encapContentInfo.eContent;
  if (!eContent) throw malformed('The CPR carries no content (a detached signature is not accepted).', 'content');
  if (signedData.signerInfos.length !== 1) throw malformed('The CPR must have exactly one signer.', 'signer-count');
  const signerInfo = signedData.signerInfos[0]!;
  checkContentTypeAttribute(signerInfo);

  // Pinning: only the configured certificate is offered to the verifier.
  signedData.certificates = [trusted];
  let verified = false;
  try {
    const result = await signedData.verify({ signer: 0, checkChain: false, extendedMode: true, checkDate: now });
    verified = result.signatureVerified === true;
  } catch {
    verified = false;
  }
  if (!verified) throw invalid('The CPR signature cannot be verified with the configured IDPRS certificate.', 'signature');

  const content = eContent.idBlock.tagClass === TAG_CLASS_UNIVERSAL && eContent.idBlock.tagNumber === OCTET_STRING_TAG_NUMBER ? eContent.getValue() : null;
  if (!content) throw malformed('The CPR content is not an OCTET STRING.', 'content');
  return { content: new Uint8Array(content), signingTime: signingTime(signerInfo) };
}

function parseSignedData(der: Uint8Array): pkijs.SignedData {
  try {
    const asn1 = asn1js.fromBER(der);
    if (asn1.offset === -1) throw new Error('BER');
    const info = new pkijs.ContentInfo({ schema: asn1.result });
    if (info.contentType !== Oid.CMS_SIGNED_DATA) throw new Error('type');
    return new pkijs.SignedData({ schema: info.content });
  } catch {
    throw malformed('The CPR is not a CMS SignedData message.', 'cms');
  }
}

function parseCertificate(der: Uint8Array): pkijs.Certificate {
  try {
    return pkijs.Certificate.fromBER(der);
  } catch {
    // A configuration fault, not the IDPRS's: still no CPR can be verified.
    throw invalid('The configured IDPRS signing certificate cannot be read.', 'certificate');
  }
}

/** RFC 5652 §11.1: the content-type attribute must equal eContentType (pkijs only checks presence). */
function checkContentTypeAttribute(signerInfo: pkijs.SignerInfo): void {
  const attrs = signerInfo.signedAttrs?.attributes;
  if (!attrs) return;
  const ct = attrs.find((a) => a.type === Oid.ATTR_CONTENT_TYPE);
  const value = ct?.values[0];
  if (!(value instanceof asn1js.ObjectIdentifier) || value.valueBlock.toString() !== OID_CMS_DATA) {
    throw invalid('The CPR signed content-type attribute is not data.', 'content-type-attribute');
  }
}

function signingTime(signerInfo: pkijs.SignerInfo): Date | null {
  const attr = signerInfo.signedAttrs?.attributes.find((a) => a.type === OID_SIGNING_TIME);
  const v = attr?.values[0];
  if (v instanceof asn1js.UTCTime || v instanceof asn1js.GeneralizedTime) return v.toDate();
  return null;
}

function malformed(sentence: string, reason: string): StationError {
  return new StationError('CPR_MALFORMED', `${sentence} Delete the CPR and submit it again.`, { reason });
}

function invalid(sentence: string, reason: string): StationError {
  return new StationError('CPR_SIGNATURE_INVALID', `${sentence} Delete the CPR and submit it again, signed with the IDPRS signing certificate.`, { reason });
}

/**
 * The encapsulated content of a CMS message WITHOUT verifying anything, so a
 * rejected CPR can still be recorded under the IDPRS request id it claims
 * (for the IDPRS's status and delete-request calls). Never use it to decide.
 * @returns the content bytes, or null when there are none to read
 */
export function peekUnverifiedContent(der: Uint8Array): Uint8Array | null {
  try {
    const eContent = parseSignedData(der).encapContentInfo.eContent;
    if (!eContent || eContent.idBlock.tagClass !== TAG_CLASS_UNIVERSAL || eContent.idBlock.tagNumber !== OCTET_STRING_TAG_NUMBER) return null;
    return new Uint8Array(eContent.getValue());
  } catch {
    return null;
  }
}
