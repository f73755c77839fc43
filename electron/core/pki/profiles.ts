/**
 * PIV end-entity certificate profiles (piv-reference §4 table, after GSA CCT
 * PKIX checks and the FPKI common policy; test policy OIDs 2.16.840.1.101.3.2.1.48.x).
 *
 * | slot | keyUsage (critical)                  | policy  | EKU                                          | SAN                       |
 * |------|--------------------------------------|---------|----------------------------------------------|---------------------------|
 * | 9A   | digitalSignature                     | .48.11  | clientAuth, msSmartcardLogin, pkinit         | FASC-N, urn:uuid          |
 * | 9E   | digitalSignature                     | .48.13  | id-PIV-cardAuth only, critical               | FASC-N, urn:uuid only     |
 * | 9C   | digitalSignature + nonRepudiation    | .48.9   | emailProtection, documentSigning             | rfc822Name when known     |
 * | 9D   | RSA keyEncipherment / EC keyAgreement| .48.9   | —                                            | rfc822Name when known     |
 * All: AKI, SKI, basicConstraints CA:false (critical), CRL distribution point (http).
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { GeneralName, OtherName, SubjectAlternativeName } from '@peculiar/asn1-x509';
import type { KeyAlgorithm, PivSlot } from '../piv/constants.js';
import { x509 } from './x509-setup.js';
import { buildName, type NamePart } from './names.js';
import { Oid } from './oids.js';
import type { IssueRequest } from './ca.js';

/** Default CRL location (served by the station's local HTTP endpoint). */
export const DEFAULT_CRL_URL = 'http://127.0.0.1:8780/crl/issuing.crl';
/** Subject country for every station certificate. */
export const SUBJECT_COUNTRY = 'US';

/** Inputs of a profile beyond the request itself. */
export interface ProfileContext {
  organization: string;
  crlUrl: string;
  /** DER SPKI of the subject key (for SKI). */
  subjectSpki: Uint8Array;
  /** The issuing CA certificate (for AKI). */
  issuer: InstanceType<typeof x509.X509Certificate>;
}

/** What a profile produces for the certificate generator. */
export interface ProfileOutput {
  subject: InstanceType<typeof x509.Name>;
  extensions: InstanceType<typeof x509.Extension>[];
}

const SLOT_POLICY: Record<PivSlot, string> = {
  '9A': Oid.POLICY_TEST_AUTHENTICATION,
  '9E': Oid.POLICY_TEST_CARD_AUTH,
  '9C': Oid.POLICY_TEST_HARDWARE,
  '9D': Oid.POLICY_TEST_HARDWARE,
};

function keyUsage(slot: PivSlot, alg: KeyAlgorithm): number {
  const F = x509.KeyUsageFlags;
  switch (slot) {
    case '9A':
    case '9E':
      return F.digitalSignature;
    case '9C':
      return F.digitalSignature | F.nonRepudiation;
    case '9D':
      return alg === 'RSA2048' ? F.keyEncipherment : F.keyAgreement;
  }
}

/** SAN with the FASC-N otherName (OCTET STRING, SP 800-73-4 Part 1 §3.3) and the card UUID URI (RFC 4122 §3). */
function pivIdentitySan(fascn: Uint8Array, cardUuid: string): InstanceType<typeof x509.Extension> {
  const fascnValue = AsnConvert.serialize(new OctetString(fascn));
  const san = new SubjectAlternativeName([
    new GeneralName({ otherName: new OtherName({ typeId: Oid.PIV_FASCN, value: fascnValue }) }),
    new GeneralName({ uniformResourceIdentifier: `urn:uuid:${cardUuid.toLowerCase()}` }),
  ]);
  return new x509.Extension(Oid.EXT_SUBJECT_ALT_NAME, false, AsnConvert.serialize(san));
}

function emailSan(email: string): InstanceType<typeof x509.Extension> {
  const san = new SubjectAlternativeName([new GeneralName({ rfc822Name: email })]);
  return new x509.Extension(Oid.EXT_SUBJECT_ALT_NAME, false, AsnConvert.serialize(san));
}

function holderSubject(req: IssueRequest, org: string): InstanceType<typeof x509.Name> {
  const parts: NamePart[] = [
    ['C', SUBJECT_COUNTRY],
    ['O', org],
    ['OU', req.holder.affiliation],
    ['CN', `${req.holder.givenName} ${req.holder.surname}`.trim()],
  ];
  return buildName(parts);
}

/** Extensions every station end-entity certificate carries. */
async function commonExtensions(ctx: ProfileContext): Promise<InstanceType<typeof x509.Extension>[]> {
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    await x509.AuthorityKeyIdentifierExtension.create(ctx.issuer.publicKey),
    await x509.SubjectKeyIdentifierExtension.create(new x509.PublicKey(ctx.subjectSpki)),
    new x509.CRLDistributionPointsExtension([ctx.crlUrl]),
  ];
}

/**
 * The subject and extensions of a slot's certificate.
 * @param req the issue request (slot, key algorithm, holder, FASC-N, card UUID)
 */
export async function slotProfile(req: IssueRequest, ctx: ProfileContext): Promise<ProfileOutput> {
  const { slot } = req;
  const ext: InstanceType<typeof x509.Extension>[] = [
    new x509.KeyUsagesExtension(keyUsage(slot, req.publicKey.algorithm), true),
    new x509.CertificatePolicyExtension([SLOT_POLICY[slot]], false),
    ...(await commonExtensions(ctx)),
  ];
  switch (slot) {
    case '9A':
      ext.push(
        new x509.ExtendedKeyUsageExtension([Oid.EKU_CLIENT_AUTH, Oid.EKU_MS_SMARTCARD_LOGIN, Oid.EKU_PKINIT_CLIENT], false),
        pivIdentitySan(req.fascn, req.cardUuid),
      );
      return { subject: holderSubject(req, ctx.organization), extensions: ext };
    case '9E':
      // Card Authentication: no cardholder name anywhere (SP 800-85B PKIX.28); subject is the card UUID.
      ext.push(new x509.ExtendedKeyUsageExtension([Oid.PIV_CARD_AUTH], true), pivIdentitySan(req.fascn, req.cardUuid));
      return {
        subject: buildName([['C', SUBJECT_COUNTRY], ['O', ctx.organization], ['CN', req.cardUuid.toLowerCase()]]),
        extensions: ext,
      };
    case '9C':
      ext.push(new x509.ExtendedKeyUsageExtension([Oid.EKU_EMAIL_PROTECTION, Oid.EKU_DOCUMENT_SIGNING], false));
      if (req.holder.email) ext.push(emailSan(req.holder.email));
      return { subject: holderSubject(req, ctx.organization), extensions: ext };
    case '9D':
      if (req.holder.email) ext.push(emailSan(req.holder.email));
      return { subject: holderSubject(req, ctx.organization), extensions: ext };
  }
}

/** Extensions of the CHUID / Security Object content-signing certificate (SP 800-73-4 Part 1 §3.1.2.1, CCT PKIX.4). */
export async function contentSignerExtensions(ctx: ProfileContext): Promise<InstanceType<typeof x509.Extension>[]> {
  return [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([Oid.PIV_CONTENT_SIGNING], false),
    new x509.CertificatePolicyExtension([Oid.POLICY_TEST_CONTENT_SIGNING], false),
    ...(await commonExtensions(ctx)),
  ];
}
