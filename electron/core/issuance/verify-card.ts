/**
 * Post-production verification of a PIV card, as a report (DESIGN.md table,
 * row "verify"): read back every object, check the CHUID signature and that
 * the certificates carry the CHUID's FASC-N and UUID, verify the PIN, and have
 * every slot key prove itself against its certificate.
 *
 * Used as the last step of a production job (every check must pass) and by
 * `station verify` on any card (checks needing a PIN are skipped without one).
 */
import { AsnConvert, OctetString as OctetStringHolder } from '@peculiar/asn1-schema';
import { SubjectAlternativeName, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import { KeyRef, ObjectTag, PIN_PROTECTED_OBJECTS, PIV_SLOTS, SLOT_CERT_OBJECT, type PivSlot } from '../piv/constants.js';
import type { PivSession } from '../piv/session.js';
import { decodeChuid, chuidSignedBytes, type Chuid } from '../piv/objects/chuid.js';
import { decodeCertContainer } from '../piv/objects/cert-container.js';
import { publicKeyFromSpki } from './spki.js';
import { proveKeyByUse, slotNeedsPin } from './key-possession.js';
import { bytesEqual, toHex } from '../piv/tlv.js';
import { chuidSignerCertificate, verifyChuidSignature, verifyEncapsulatedSignature } from '../pki/content-signer.js';
import { Oid } from '../pki/oids.js';
import { CONTAINER_OBJECT_TAG, dataGroupHash, decodeLdsSecurityObject, decodeSecurityObject } from '../piv/objects/security-object.js';
import { x509 } from '../pki/x509-setup.js';
import { isStationError, StationError } from '../errors.js';
import { uuidText } from './card-numbering.js';
import { MANDATORY_SLOTS } from '../../contract/card-profile.js';
import { CbeffValue, decodeFaceRecord, facialImageCbeff, IMAGE_DATA_TYPE_JPEG, splitCbeff } from '../piv/objects/facial-image.js';
import { verifyBiometricSignature } from '../pki/content-signer.js';
import { decodePrintedInformation, type PrintedInformation } from '../piv/objects/printed-information.js';
import { decodeFascn } from '../piv/objects/fascn.js';
import { printedInformationOf, type PrintedCard } from '../physical/printed-card.js';
import { chuidDate } from './card-numbering.js';

/** OID of the pivFASC-N otherName (SP 800-73-4 Part 1 §3.3.2 note; FIPS 201-3 §4.3). */
const OID_PIV_FASCN = '2.16.840.1.101.3.6.6';

/** One line of the report. `skipped` checks count neither as passed nor failed. */
export interface VerificationCheck {
  name: string;
  ok: boolean;
  skipped?: boolean;
  detail: string;
}

/** The report: card identity as read, and every check. */
export interface VerificationReport {
  ok: boolean;
  guid?: string;
  fascn?: string;
  expiration?: string;
  certificates: { slot: PivSlot; serial: string; subject: string; notAfter: string }[];
  checks: VerificationCheck[];
}

/** What the record says the card should hold (absent when verifying an unknown card). */
export interface ExpectedCard {
  chuid?: Uint8Array;
  certificates?: Partial<Record<PivSlot, Uint8Array>>;
  objects?: { tag: number; name: string; content: Uint8Array; pinToRead?: boolean }[];
  /** What the card profile does not write: reported as skipped, not checked and never failed. */
  notWritten?: { slots: PivSlot[]; objects: string[] };
  /** True when the card must hold a signed Cardholder Facial Image (the profile writes one). */
  facialImage?: boolean;
  /** What the card face prints (the job's snapshot): checked against the chip's CHUID and Printed Information. */
  printed?: PrintedCard;
}

/** Inputs of a verification. */
export interface VerifyInput {
  session: PivSession;
  trust: { root: Uint8Array; issuing: Uint8Array };
  /** Verifies the PIN on the card; absent when no PIN is available. */
  verifyPin?: () => Promise<void>;
  expected?: ExpectedCard;
  /** Whether the card reports GET METADATA (to check the 9B key is not the default). */
  supportsMetadata?: boolean;
  /** Certificate status lookup (e.g. the store); 'valid' expected. */
  certificateStatus?: (serial: string) => string | undefined;
}

/** FASC-N bytes and UUID URIs in a certificate's subjectAltName. */
export function certificateCardIdentifiers(der: Uint8Array): { fascn?: Uint8Array; uuids: string[] } {
  const cert = new x509.X509Certificate(der);
  const ext = cert.extensions.find((e) => e.type === id_ce_subjectAltName);
  if (!ext) return { uuids: [] };
  const names = AsnConvert.parse(ext.value, SubjectAlternativeName);
  let fascn: Uint8Array | undefined;
  const uuids: string[] = [];
  for (const n of names) {
    if (n.otherName?.typeId === OID_PIV_FASCN) {
      // value is [0] EXPLICIT OCTET STRING: strip the OCTET STRING header.
      const inner = new Uint8Array(n.otherName.value);
      const octets = AsnConvert.parse(inner, OctetStringHolder);
      fascn = new Uint8Array(octets.buffer);
    }
    if (n.uniformResourceIdentifier?.startsWith('urn:uuid:')) uuids.push(n.uniformResourceIdentifier.slice(9).toLowerCase());
  }
  return { fascn, uuids };
}

/** Runs a check, turning an exception into a failed line (never leaking foreign text). */
async function check(checks: VerificationCheck[], name: string, fn: () => Promise<string | { skipped: string }>): Promise<boolean> {
  try {
    const result = await fn();
    if (typeof result === 'object') {
      checks.push({ name, ok: true, skipped: true, detail: result.skipped });
      return true;
    }
    checks.push({ name, ok: true, detail: result });
    return true;
  } catch (e) {
    if (isStationError(e, 'CARD_REMOVED', 'READER_GONE', 'CARD_MUTE', 'PCSC_UNAVAILABLE')) throw e;
    const detail = e instanceof StationError ? e.message : e instanceof Error ? e.message : String(e);
    checks.push({ name, ok: false, detail });
    return false;
  }
}

function fail(why: string): never {
  throw new StationError('VERIFY_FAILED', why);
}

/** Proves the slot's key against its certificate's public key (sign, or ECDH for key-agreement keys). */
async function proveSlotKey(session: PivSession, slot: PivSlot, certDer: Uint8Array, verifyPin?: () => Promise<void>): Promise<string> {
  const key = publicKeyFromSpki(new Uint8Array(new x509.X509Certificate(certDer).publicKey.rawData));
  if (slotNeedsPin(slot)) {
    if (!verifyPin) return 'skipped';
    await verifyPin();
  }
  const proof = await proveKeyByUse(session, slot, key);
  if (!proof) fail(`The ${slot} key on the card does not match its certificate.`);
  return proof === 'key-agreement' ? 'ECDH with an ephemeral key matches the certificate' : 'a fresh challenge signed on card verifies with the certificate';
}

/**
 * Checks the Security Object (SP 800-73-4 Part 1 §3.1.7): its LDS Security Object is signed by the
 * CHUID's signer (whose chain and EKU the CHUID check proves), maps exactly the data groups it
 * hashes, and every mapped object on the card has the recorded SHA-256 hash.
 * @returns the check's detail line, or skipped when a mapped object needs a PIN not given
 * @throws StationError VERIFY_FAILED on any mismatch
 */
async function checkSecurityObject(session: PivSession, chuid: Chuid, verifyPin?: () => Promise<void>): Promise<string | { skipped: string }> {
  const content = await session.getData(ObjectTag.SECURITY_OBJECT);
  if (!content) fail('The card has no Security Object.');
  const so = decodeSecurityObject(content);
  const lds = verifyEncapsulatedSignature(so.signature, Oid.ICAO_LDS_SECURITY_OBJECT, chuidSignerCertificate(chuid.signature), 'Security Object');
  const hashes = decodeLdsSecurityObject(lds);
  const mapped = new Set(so.mapping.map((m) => m.number));
  if (hashes.length !== so.mapping.length || mapped.size !== so.mapping.length || !hashes.every((h) => mapped.has(h.number))) {
    fail('The Security Object mapping and its hashes name different data groups.');
  }
  const names: string[] = [];
  for (const { number, containerId } of so.mapping) {
    const tag = CONTAINER_OBJECT_TAG.get(containerId);
    if (tag === undefined) fail(`The Security Object maps an unknown container ${containerId.toString(16)}.`);
    if (PIN_PROTECTED_OBJECTS.has(tag)) {
      if (!verifyPin) return { skipped: 'a covered object needs the PIN' };
      await verifyPin();
    }
    const object = await session.getData(tag);
    const want = hashes.find((h) => h.number === number)!.hash;
    if (!object || !bytesEqual(dataGroupHash(object), want)) {
      fail(`Container ${containerId.toString(16).padStart(4, '0')} on the card does not match its Security Object hash.`);
    }
    names.push(containerId.toString(16).padStart(4, '0'));
  }
  return `signed by the CHUID signer; hashes match containers ${names.join(', ')}`;
}

/**
 * Checks the Cardholder Facial Image (SP 800-73-4 Part 1 Table 13; SP 800-76-2 §9): a PIV CBEFF
 * structure whose header names a facial image and the CHUID's FASC-N, holding one JPEG face
 * record, signed by the CHUID's signer over header ‖ data block with the CHUID's FASC-N and UUID.
 * @throws StationError VERIFY_FAILED on any mismatch
 */
async function checkFacialImage(session: PivSession, chuid: Chuid, verifyPin: () => Promise<void>, required: boolean): Promise<string | { skipped: string }> {
  await verifyPin();
  const content = await session.getData(ObjectTag.FACIAL_IMAGE);
  if (!content) {
    if (required) fail('The card has no facial image.');
    return { skipped: 'no facial image on this card' };
  }
  const parts = splitCbeff(facialImageCbeff(content));
  const h = parts.header;
  if (h.patronHeaderVersion !== CbeffValue.PATRON_HEADER_VERSION || h.formatOwner !== CbeffValue.BDB_FORMAT_OWNER || h.formatType !== CbeffValue.BDB_FORMAT_TYPE_FACE || h.biometricType !== CbeffValue.BIOMETRIC_TYPE_FACE) {
    fail('The facial image header does not describe a PIV facial image (SP 800-76-2 Table 7).');
  }
  if (!bytesEqual(h.fascn, chuid.fascn)) fail("The facial image header does not carry the CHUID's FASC-N.");
  const record = decodeFaceRecord(parts.dataBlock);
  if (record.imageDataType !== IMAGE_DATA_TYPE_JPEG || record.image[0] !== 0xff || record.image[1] !== 0xd8) fail('The facial image record does not hold a JPEG image.');
  const signed = new Uint8Array([...parts.headerBytes, ...parts.dataBlock]);
  const ids = verifyBiometricSignature(parts.signatureBlock, signed, chuidSignerCertificate(chuid.signature));
  if (!bytesEqual(ids.fascn, chuid.fascn) || !bytesEqual(ids.cardUuid, chuid.guid)) fail("The facial image signature does not name the CHUID's FASC-N and card UUID.");
  return `${record.width} × ${record.height} JPEG, ${content.length} bytes, signed by the CHUID signer for this card`;
}

/**
 * Checks that the printed card and the chip say the same (issue 11): the CHUID's expiration and
 * FASC-N credential number, and every field of the Printed Information, against what the card face
 * prints (FIPS 201-3 §4.1.4: 14F expiration, 1B agency card serial, 2F name, 8F, 10F, 2B).
 * @throws StationError VERIFY_FAILED naming the first field that differs
 */
async function checkPrintedAgrees(session: PivSession, chuid: Chuid, printed: PrintedCard, readsPrinted: boolean, verifyPin?: () => Promise<void>): Promise<string | { skipped: string }> {
  if (chuid.expiration !== chuidDate(printed.expirationDate)) fail(`The card face prints expiration ${printed.expirationDate}, the CHUID says ${chuid.expiration}.`);
  if (decodeFascn(chuid.fascn).credentialNumber !== printed.agencyCardSerial) fail("The card face's agency card serial number differs from the CHUID's FASC-N credential number.");
  if (!readsPrinted) return 'expiration and card serial agree with the CHUID (no Printed Information on this card)';
  if (!verifyPin) return { skipped: 'the Printed Information needs the PIN' };
  await verifyPin();
  const content = await session.getData(ObjectTag.PRINTED_INFORMATION);
  if (!content) fail('The card has no Printed Information.');
  const onChip = decodePrintedInformation(content);
  const want = printedInformationOf(printed);
  for (const field of Object.keys(want) as (keyof PrintedInformation)[]) {
    if (onChip[field] !== want[field]) fail(`The Printed Information ${field} on the chip differs from the card face.`);
  }
  return 'name, affiliation, agency, expiration, card serial and issuer agree with the chip';
}

/**
 * Verifies the card in `session` (PIV application already selected).
 * Card-transport errors (removed, reader gone) are thrown, not reported.
 */
export async function verifyCard(input: VerifyInput): Promise<VerificationReport> {
  const { session, expected } = input;
  const checks: VerificationCheck[] = [];
  const report: VerificationReport = { ok: false, certificates: [], checks };
  let chuid: Chuid | undefined;

  await check(checks, 'CHUID present and well formed', async () => {
    const content = await session.getData(ObjectTag.CHUID);
    if (!content) fail('The card has no CHUID.');
    chuid = decodeChuid(content);
    if (chuid.fascn.length !== 25 || chuid.guid.length !== 16) fail('The CHUID FASC-N or GUID has the wrong length.');
    report.guid = uuidText(chuid.guid);
    report.fascn = toHex(chuid.fascn);
    report.expiration = chuid.expiration;
    if (expected?.chuid && !bytesEqual(content, expected.chuid)) fail('The CHUID on the card differs from the one the station wrote.');
    return `GUID ${report.guid}, FASC-N ${report.fascn}, expires ${chuid.expiration}`;
  });

  if (chuid) {
    const c = chuid;
    await check(checks, 'CHUID signature', async () => {
      const { signerSubject } = await verifyChuidSignature(chuidSignedBytes(c), c.signature, input.trust);
      return `valid, signed by ${signerSubject}`;
    });
  }

  for (const slot of PIV_SLOTS) {
    if (expected?.notWritten?.slots.includes(slot)) {
      checks.push({ name: `${slot} certificate`, ok: true, skipped: true, detail: 'not in the card profile' });
      continue;
    }
    let certDer: Uint8Array | undefined;
    const present = await check(checks, `${slot} certificate`, async () => {
      const content = await session.getData(SLOT_CERT_OBJECT[slot]);
      if (!content) {
        if (expected?.certificates && !expected.certificates[slot]) return { skipped: 'no certificate expected' };
        // 9C and 9D are optional (SP 800-73-4 Part 1 Table 3): a card made with a profile without them is complete.
        if (!expected?.certificates && !MANDATORY_SLOTS.includes(slot)) return { skipped: 'optional slot, not on this card' };
        fail(`The card has no ${slot} certificate.`);
      }
      certDer = decodeCertContainer(content);
      const want = expected?.certificates?.[slot];
      if (want && !bytesEqual(certDer, want)) fail(`The ${slot} certificate differs from the one the CA issued for this card.`);
      const cert = new x509.X509Certificate(certDer);
      const serial = cert.serialNumber.toUpperCase();
      report.certificates.push({ slot, serial, subject: cert.subject, notAfter: cert.notAfter.toISOString() });
      const status = input.certificateStatus?.(serial);
      if (status && status !== 'valid') fail(`The ${slot} certificate is ${status}.`);
      if (chuid) {
        const ids = certificateCardIdentifiers(certDer);
        if ((slot === '9A' || slot === '9E') && (!ids.fascn || !bytesEqual(ids.fascn, chuid.fascn))) fail(`The ${slot} certificate does not carry the CHUID's FASC-N.`);
        if ((slot === '9A' || slot === '9E') && !ids.uuids.includes(uuidText(chuid.guid))) fail(`The ${slot} certificate does not carry the card UUID.`);
      }
      return `serial ${serial}, ${cert.subject}`;
    });
    if (present && certDer) {
      const der = certDer;
      await check(checks, `${slot} key matches its certificate`, async () => {
        const r = await proveSlotKey(session, slot, der, input.verifyPin);
        return r === 'skipped' ? { skipped: 'needs the PIN' } : r;
      });
    }
  }

  await check(checks, 'PIN verifies', async () => {
    if (!input.verifyPin) return { skipped: 'no PIN given' };
    await input.verifyPin();
    return 'the PIN is accepted';
  });

  for (const obj of expected?.objects ?? []) {
    await check(checks, `${obj.name} read back`, async () => {
      if (obj.pinToRead) {
        if (!input.verifyPin) return { skipped: 'needs the PIN' };
        await input.verifyPin();
      }
      const got = await session.getData(obj.tag);
      if (!got || !bytesEqual(got, obj.content)) fail(`${obj.name} on the card differs from what was written.`);
      return 'equal to what was written';
    });
  }

  if (chuid) {
    const c = chuid;
    await check(checks, 'Security Object', () => checkSecurityObject(session, c, input.verifyPin));
    const verifyPin = input.verifyPin;
    if (expected?.facialImage) {
      await check(checks, 'Facial image', async () => (verifyPin ? checkFacialImage(session, c, verifyPin, true) : { skipped: 'needs the PIN' }));
    } else if (!expected && verifyPin) {
      // Any card: its facial image is checked when it has one (most cards made elsewhere do).
      const lines: VerificationCheck[] = [];
      await check(lines, 'Facial image', () => checkFacialImage(session, c, verifyPin, false));
      checks.push(...lines.filter((l) => !l.skipped));
    }
    const printed = expected?.printed;
    if (printed) {
      const readsPrinted = !expected?.notWritten?.objects.includes('Printed Information');
      await check(checks, 'Printed card agrees with the chip', () => checkPrintedAgrees(session, c, printed, readsPrinted, verifyPin));
    }
  }

  for (const name of expected?.notWritten?.objects ?? []) {
    checks.push({ name: `${name} read back`, ok: true, skipped: true, detail: 'not in the card profile' });
  }

  if (input.supportsMetadata) {
    await check(checks, 'Management key is not the default', async () => {
      const meta = await session.getMetadata(KeyRef.MANAGEMENT);
      if (meta?.isDefault !== false) fail('The card still has its default management key.');
      return 'locked to a per-card key';
    });
  }

  report.ok = checks.every((c) => c.ok);
  return report;
}
