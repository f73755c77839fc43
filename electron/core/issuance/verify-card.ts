/**
 * Post-production verification of a PIV card, as a report (DESIGN.md table,
 * row "verify"): read back every object, check the CHUID signature and that
 * the certificates carry the CHUID's FASC-N and UUID, verify the PIN, and have
 * every slot key prove itself against its certificate.
 *
 * Used as the last step of a production job (every check must pass) and by
 * `station verify` on any card. It does not mislead and does not harm
 * (issue 9 §5): a blank card, or one whose CHUID is a factory placeholder
 * (all-zero FASC-N, unsigned), is reported as not issued by this station and
 * its PIN is never tried; the PIN is verified at most once per run, only when
 * given, only after reading the tries left without spending one, never when a
 * single try is left, and a wrong PIN ends every check that needs it.
 *
 * Each object and certificate is read from the card once per run (issue 14):
 * the Security Object check hashes the bytes the other checks read, and an
 * object this card session already read from the card (production reads an
 * object before writing it; one it did not rewrite is proven by that read) is
 * not read again. GET DATA asks for the largest Le the card takes
 * (PivSession.getData).
 */
import { AsnConvert, OctetString as OctetStringHolder } from '@peculiar/asn1-schema';
import { SubjectAlternativeName, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import { KeyRef, ObjectTag, PIN_PROTECTED_OBJECTS, PIV_SLOTS, SLOT_CERT_OBJECT, type PivSlot } from '../piv/constants.js';
import type { PivSession } from '../piv/session.js';
import { decodeChuid, chuidSignedBytes, type Chuid } from '../piv/objects/chuid.js';
import { decodeCertContainer } from '../piv/objects/cert-container.js';
import { publicKeyFromSpki } from './spki.js';
import { pinAlways, proveKeyByUse, slotNeedsPin } from './key-possession.js';
import { bytesEqual, toHex } from '../piv/tlv.js';
import { chuidSignerCertificate, verifyChuidSignature, verifyEncapsulatedSignature } from '../pki/content-signer.js';
import { Oid } from '../pki/oids.js';
import { CONTAINER_OBJECT_TAG, dataGroupHash, decodeLdsSecurityObject, decodeSecurityObject } from '../piv/objects/security-object.js';
import { readCertificate } from '../pki/certificate.js';
import { isStationError, StationError } from '../errors.js';
import { uuidText } from './card-numbering.js';
import { MANDATORY_SLOTS } from '../../contract/card-profile.js';
import { CbeffValue, decodeFaceRecord, facialImageCbeff, IMAGE_DATA_TYPE_JPEG, splitCbeff } from '../piv/objects/facial-image.js';
import { verifyBiometricSignature } from '../pki/content-signer.js';
import { decodePrintedInformation, type PrintedInformation } from '../piv/objects/printed-information.js';
import { decodeFascn } from '../piv/objects/fascn.js';
import { printedInformationOf, type PrintedCard } from '../physical/printed-card.js';
import { chuidDate } from './card-numbering.js';
import type { CardCapabilities } from '../../contract/card-capabilities.js';
import type { CardIdentity } from '../piv/session.js';
import { transportCandidate } from './management-keys.js';
import { transportAlgorithmsOf } from './transport-key.js';

/** OID of the pivFASC-N otherName (SP 800-73-4 Part 1 §3.3.2 note; FIPS 201-3 §4.3). */
const OID_PIV_FASCN = '2.16.840.1.101.3.6.6';

/** One line of the report. `skipped` checks count neither as passed nor failed. */
export interface VerificationCheck {
  name: string;
  ok: boolean;
  skipped?: boolean;
  detail: string;
}

/** The report: card identity as read, what the card can do, and every check. */
export interface VerificationReport {
  ok: boolean;
  guid?: string;
  fascn?: string;
  expiration?: string;
  /** True when the card has no CHUID or a factory placeholder one: it was not issued by this station. */
  factoryState?: boolean;
  /** What the card showed it can do (PivSession.identify), when identified. */
  capabilities?: CardCapabilities;
  certificates: { slot: PivSlot; serial: string; subject: string; notAfter: string }[];
  checks: VerificationCheck[];
}

/** What the record says the card should hold (absent when verifying an unknown card). */
export interface ExpectedCard {
  chuid?: Uint8Array;
  certificates?: Partial<Record<PivSlot, Uint8Array>>;
  objects?: { tag: number; name: string; content: Uint8Array; pinToRead?: boolean; cardDefined?: boolean }[];
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
  /**
   * Sends the one VERIFY of the run with the PIN to check (called at most
   * once); absent when no PIN was given: then no PIN try is ever spent.
   */
  verifyPin?: () => Promise<void>;
  expected?: ExpectedCard;
  /** What identify found (capabilities for the report, 9B metadata for the management key check). */
  identity?: CardIdentity;
  /** Certificate status lookup (e.g. the store); 'valid' expected. */
  certificateStatus?: (serial: string) => string | undefined;
  /**
   * Objects this card session already read from the card and has not written
   * since, by tag: their bytes are the card's, so they are not read again.
   */
  readInSession?: ReadonlyMap<number, Uint8Array>;
  /**
   * Set (to the report's detail line) when the caller proved in this card
   * session that 9B is not the factory key: the card accepted another key. The
   * check then sends no factory-key authentication, which on a card that counts
   * 9B tries would spend one (issue 13: at most one refused 9B authentication
   * per card per job, and a job may run its verification more than once).
   */
  managementKeyProven?: string;
  /**
   * True when the caller's VERIFY of the same PIN `verifyPin` sends was accepted
   * earlier in this card session (the production's PIN step): that acceptance
   * is the "PIN verifies" proof, and the card's PIN status it set stands for
   * the checks that need the PIN, so no VERIFY is sent (issue 14: the PIN is
   * proven once per card session). Should the card answer a PIN-protected
   * command 6982 all the same (a card that dropped the status), the one VERIFY
   * is sent then — its tries need no reading: the acceptance reset them to
   * their maximum and nothing has spent one since — and the command once more.
   */
  pinAcceptedInSession?: boolean;
  /**
   * Slot keys that signed or agreed earlier in this card session, by the
   * public key (SPKI DER) their answer was checked against (the production's
   * CSR proof-of-possession signatures). A slot whose certificate, read back
   * in this session, carries that same key is proven to hold the certificate's
   * key without another signature (issue 14: every slot key signs or agrees
   * once per card session). Absent or another key: the slot proves itself now.
   */
  keysProvenInSession?: ReadonlyMap<PivSlot, Uint8Array>;
}

/**
 * The card's objects as this run sees them: each read from the card at most
 * once (GET DATA), or taken from what the session read before.
 */
class ObjectReads {
  private readonly seen = new Map<number, Uint8Array | null>();

  constructor(
    private readonly session: PivSession,
    readInSession: ReadonlyMap<number, Uint8Array> | undefined,
  ) {
    for (const [tag, content] of readInSession ?? []) this.seen.set(tag, content);
  }

  /** True when the object's bytes are known without an APDU (no PIN needed to know them). */
  known(tag: number): boolean {
    return this.seen.has(tag);
  }

  /** The object's content (null: absent). @throws StationError from GET DATA */
  async get(tag: number): Promise<Uint8Array | null> {
    if (this.seen.has(tag)) return this.seen.get(tag)!;
    const content = await this.session.getData(tag);
    this.seen.set(tag, content);
    return content;
  }
}

/**
 * FASC-N bytes and UUID URIs in a certificate's subjectAltName.
 * @throws StationError MALFORMED_RESPONSE when the certificate or its subjectAltName cannot be read
 */
export function certificateCardIdentifiers(der: Uint8Array): { fascn?: Uint8Array; uuids: string[] } {
  const cert = readCertificate(der, 'certificate');
  const ext = cert.extensions.find((e) => e.type === id_ce_subjectAltName);
  if (!ext) return { uuids: [] };
  try {
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
  } catch {
    throw new StationError('MALFORMED_RESPONSE', "The certificate's subject alternative name cannot be read.");
  }
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
    // A foreign exception's text may quote what the card sent: only our own sentences are shown.
    const detail = e instanceof StationError ? e.message : 'The check could not be completed with what the card sent.';
    checks.push({ name, ok: false, detail });
    return false;
  }
}

function fail(why: string): never {
  throw new StationError('VERIFY_FAILED', why);
}

/** Refusals of an optional GET METADATA: the card does not say, which is "unknown". */
const METADATA_REFUSED = ['UNSUPPORTED', 'BAD_DATA', 'SW', 'MALFORMED_RESPONSE', 'SECURITY_STATUS', 'CONDITIONS', 'NO_KEY', 'NOT_FOUND'] as const;

/** Tries left at or below which the station does not spend a PIN try. */
const LAST_PIN_TRY = 1;

/**
 * The PIN of one verification run: at most one VERIFY carrying the PIN.
 * Before it, the tries left are read without spending one (GET METADATA 80
 * where the card has it, else VERIFY without data); a blocked PIN or a single
 * try left means no VERIFY at all. After a wrong PIN nothing is tried again.
 * `use()` resolves when the PIN is verified, or gives the reason it is not.
 */
class PinGate {
  private outcome: Promise<string | undefined> | undefined;

  constructor(
    private readonly session: PivSession,
    private readonly verifyPin: (() => Promise<void>) | undefined,
    private readonly identity: CardIdentity | undefined,
    private readonly factoryState: () => boolean,
    private readonly acceptedInSession = false,
  ) {}

  /** True once the one VERIFY was sent (the PIN is verified or was refused). */
  sent = false;

  /** @returns undefined when the PIN is verified, else why it is not (the check is skipped or fails with it) */
  use(): Promise<string | undefined> {
    // The caller's VERIFY of this PIN was accepted earlier in this card session: verified, no APDU (issue 14).
    this.outcome ??= this.acceptedInSession && this.verifyPin && !this.factoryState() ? Promise.resolve(undefined) : this.verifyOnce();
    return this.outcome;
  }

  /**
   * The PIN verified right before a "PIN Always" key's use (9C): the one
   * VERIFY now when the PIN was taken as verified from this session's earlier
   * acceptance, which another command may have followed.
   */
  async fresh(): Promise<string | undefined> {
    const reason = await this.use();
    if (reason !== undefined || this.sent || !this.acceptedInSession) return reason;
    return this.verifyOnce();
  }

  /** How the PIN was proven, for the report. */
  get how(): string {
    return this.acceptedInSession && !this.sent ? 'the PIN is accepted (the card accepted it in this card session)' : 'the PIN is accepted';
  }

  /**
   * Runs a command that needs the PIN (after {@link use} said it is verified).
   * When the PIN was taken as verified from this session's earlier acceptance
   * and the card answers 6982 all the same, the one VERIFY is sent now and
   * the command runs once more.
   */
  async retrying<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (!isStationError(e, 'SECURITY_STATUS') || !this.acceptedInSession || this.sent) throw e;
      const reason = await this.verifyOnce();
      if (reason !== undefined) throw e;
      return fn();
    }
  }

  private async verifyOnce(): Promise<string | undefined> {
    if (!this.verifyPin) return 'no PIN given';
    if (this.factoryState()) return 'the card is in its factory state: the PIN was not tried';
    const left = this.acceptedInSession ? undefined : await this.triesLeft();
    if (left === 0) return 'the PIN is blocked: it was not tried';
    if (left !== undefined && left <= LAST_PIN_TRY) return 'only one PIN try is left: the station does not spend it';
    this.sent = true;
    try {
      await this.verifyPin();
      return undefined;
    } catch (e) {
      if (isStationError(e, 'WRONG_PIN', 'PIN_BLOCKED')) throw new PinRefused(e.message);
      throw e;
    }
  }

  /** Tries left without spending one; undefined when the card does not say. */
  private async triesLeft(): Promise<number | undefined> {
    if (this.identity?.capabilities.extensions.getMetadata === 'yes') {
      try {
        const remaining = (await this.session.getMetadata(KeyRef.PIN))?.retries?.remaining;
        if (remaining !== undefined) return remaining;
      } catch (e) {
        if (!isStationError(e, ...METADATA_REFUSED)) throw e;
      }
    }
    const status = await this.session.pinStatus();
    if (status.blocked) return 0;
    return status.retriesLeft >= 0 ? status.retriesLeft : undefined;
  }
}

/** The one VERIFY of the run was refused: every check needing the PIN fails with this, no further VERIFY is sent. */
class PinRefused extends StationError {
  constructor(message: string) {
    super('WRONG_PIN', `${message.replace(/\.$/, '')}; no further VERIFY was sent.`);
  }
}

/**
 * Runs `fn` once the PIN is verified (`fresh`: right before, for a "PIN Always" key); a reason it is not makes the
 * check skipped, a refused PIN makes it fail.
 */
async function withPin(pin: PinGate, fn: () => Promise<string>, fresh = false): Promise<string | { skipped: string }> {
  const reason = fresh ? await pin.fresh() : await pin.use();
  return reason === undefined ? pin.retrying(fn) : { skipped: reason };
}

/** The certificate's public key (SPKI DER). @throws StationError MALFORMED_RESPONSE */
function certificateSpki(slot: PivSlot, certDer: Uint8Array): Uint8Array {
  return new Uint8Array(readCertificate(certDer, `${slot} certificate`).publicKey.rawData);
}

/** Proves the slot's key against its certificate's public key (sign, or ECDH for key-agreement keys); the caller verified the PIN where needed. */
async function proveSlotKey(session: PivSession, slot: PivSlot, certDer: Uint8Array): Promise<string> {
  const key = publicKeyFromSpki(certificateSpki(slot, certDer));
  const proof = await proveKeyByUse(session, slot, key);
  if (!proof) fail(`The ${slot} key on the card does not match its certificate.`);
  return proof === 'key-agreement' ? 'ECDH with an ephemeral key matches the certificate' : 'a fresh challenge signed on card verifies with the certificate';
}

/** All-zero bytes: the FASC-N of a factory placeholder CHUID. */
function allZero(b: Uint8Array): boolean {
  return b.every((x) => x === 0);
}

/** GET METADATA 9B now (the key may have changed since identify), where the card has it. */
async function managementKeyMetadata(session: PivSession, identity: CardIdentity | undefined): Promise<CardIdentity['managementKey']> {
  if (identity?.capabilities.extensions.getMetadata !== 'yes') return {};
  try {
    const md = await session.getMetadata(KeyRef.MANAGEMENT);
    const out: CardIdentity['managementKey'] = {};
    if (md?.isDefault !== undefined) out.isDefault = md.isDefault;
    if (md?.algorithm === 'TDEA' || md?.algorithm === 'AES128' || md?.algorithm === 'AES192' || md?.algorithm === 'AES256') out.algorithm = md.algorithm;
    return out;
  } catch (e) {
    if (isStationError(e, ...METADATA_REFUSED)) return {};
    throw e;
  }
}

/**
 * Whether the management key (9B) is no longer the factory key. The caller's
 * proof from this session (`proven`: the card accepted a per-card key) decides
 * first. A metadata "default" flag that is set fails the check at once (the card
 * says so). A cleared flag is no proof (issue 9 §1): an independent card was
 * observed to keep it cleared once its factory key was set back
 * (docs/card-compatibility.md). So, without a proof, one authentication with the
 * factory key per algorithm the card may hold it with decides (a wrong algorithm
 * is refused before any comparison). Absent metadata means unknown, never "default".
 */
async function checkManagementKey(session: PivSession, identity: CardIdentity | undefined, proven: string | undefined): Promise<string> {
  // One 9B key at a time: a card that accepted another key in this session holds no factory key (and its
  // metadata, read after that, could say nothing more: issue 14).
  if (proven) return proven;
  const now = await managementKeyMetadata(session, identity);
  if (now.isDefault === true) fail('The card still has its default management key (its metadata says so).');
  const algorithms = transportAlgorithmsOf({ managementKey: now, advertisedAlgorithmIds: identity?.advertisedAlgorithmIds ?? [] });
  for (const algorithm of algorithms) {
    try {
      await session.authenticateManagementKey(algorithm, transportCandidate(algorithm).key);
    } catch (e) {
      if (isStationError(e, 'MGMT_KEY_REJECTED')) continue;
      throw e;
    }
    fail(`The card still accepts the factory management key (${algorithm}).`);
  }
  return 'the factory management key is refused';
}

/**
 * Checks the Security Object (SP 800-73-4 Part 1 §3.1.7): its LDS Security Object is signed by the
 * CHUID's signer (whose chain and EKU the CHUID check proves), maps exactly the data groups it
 * hashes, and every mapped object on the card has the recorded SHA-256 hash.
 * @returns the check's detail line, or skipped when a mapped object needs a PIN not given
 * @throws StationError VERIFY_FAILED on any mismatch
 */
async function checkSecurityObject(reads: ObjectReads, chuid: Chuid, pin: PinGate): Promise<string | { skipped: string }> {
  const content = await reads.get(ObjectTag.SECURITY_OBJECT);
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
    if (PIN_PROTECTED_OBJECTS.has(tag) && !reads.known(tag)) {
      const reason = await pin.use();
      if (reason !== undefined) return { skipped: `a covered object needs the PIN (${reason})` };
    }
    const object = PIN_PROTECTED_OBJECTS.has(tag) ? await pin.retrying(() => reads.get(tag)) : await reads.get(tag);
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
async function checkFacialImage(reads: ObjectReads, chuid: Chuid, pin: PinGate, required: boolean): Promise<string | { skipped: string }> {
  const reason = await pin.use();
  if (reason !== undefined) return { skipped: `the facial image needs the PIN (${reason})` };
  const content = await pin.retrying(() => reads.get(ObjectTag.FACIAL_IMAGE));
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
async function checkPrintedAgrees(reads: ObjectReads, chuid: Chuid, printed: PrintedCard, readsPrinted: boolean, pin: PinGate): Promise<string | { skipped: string }> {
  if (chuid.expiration !== chuidDate(printed.expirationDate)) fail(`The card face prints expiration ${printed.expirationDate}, the CHUID says ${chuid.expiration}.`);
  if (decodeFascn(chuid.fascn).credentialNumber !== printed.agencyCardSerial) fail("The card face's agency card serial number differs from the CHUID's FASC-N credential number.");
  if (!readsPrinted) return 'expiration and card serial agree with the CHUID (no Printed Information on this card)';
  const reason = await pin.use();
  if (reason !== undefined) return { skipped: `the Printed Information needs the PIN (${reason})` };
  const content = await pin.retrying(() => reads.get(ObjectTag.PRINTED_INFORMATION));
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
 * Checks run in an order that needs the PIN once: everything without it
 * first, then the one VERIFY, the Digital Signature key (9C, PIN before each
 * use) right after it, then the other checks that need the PIN.
 */
export async function verifyCard(input: VerifyInput): Promise<VerificationReport> {
  const { session, expected } = input;
  const checks: VerificationCheck[] = [];
  const report: VerificationReport = { ok: false, certificates: [], checks };
  if (input.identity) report.capabilities = input.identity.capabilities;
  let chuid: Chuid | undefined;
  const pin = new PinGate(session, input.verifyPin, input.identity, () => report.factoryState === true, input.pinAcceptedInSession === true);
  const reads = new ObjectReads(session, input.readInSession);

  await check(checks, 'CHUID present and well formed', async () => {
    const content = await reads.get(ObjectTag.CHUID);
    if (!content || content.length === 0) {
      report.factoryState = true;
      fail('The card has no CHUID: it is blank, not issued by this station.');
    }
    const decoded = decodeChuid(content);
    report.guid = uuidText(decoded.guid);
    report.fascn = toHex(decoded.fascn);
    report.expiration = decoded.expiration;
    if (allZero(decoded.fascn) || decoded.signature.length === 0) {
      report.factoryState = true;
      fail(`The CHUID is a factory placeholder (${allZero(decoded.fascn) ? 'all-zero FASC-N' : 'unsigned'}): this card was not issued by this station.`);
    }
    chuid = decoded;
    if (expected?.chuid && !bytesEqual(content, expected.chuid)) fail('The CHUID on the card differs from the one the station wrote.');
    return `GUID ${report.guid}, FASC-N ${report.fascn}, expires ${decoded.expiration}`;
  });

  if (chuid) {
    const c = chuid;
    await check(checks, 'CHUID signature', async () => {
      const { signerSubject } = await verifyChuidSignature(chuidSignedBytes(c), c.signature, input.trust);
      return `valid, signed by ${signerSubject}`;
    });
  }

  const certificates: Partial<Record<PivSlot, Uint8Array>> = {};
  for (const slot of PIV_SLOTS) {
    if (expected?.notWritten?.slots.includes(slot)) {
      checks.push({ name: `${slot} certificate`, ok: true, skipped: true, detail: 'not in the card profile' });
      continue;
    }
    await check(checks, `${slot} certificate`, async () => {
      const content = await reads.get(SLOT_CERT_OBJECT[slot]);
      if (!content) {
        if (expected?.certificates && !expected.certificates[slot]) return { skipped: 'no certificate expected' };
        // 9C and 9D are optional (SP 800-73-4 Part 1 Table 3): a card made with a profile without them is complete.
        if (!expected?.certificates && !MANDATORY_SLOTS.includes(slot)) return { skipped: 'optional slot, not on this card' };
        fail(`The card has no ${slot} certificate.`);
      }
      const certDer = decodeCertContainer(content);
      const want = expected?.certificates?.[slot];
      if (want && !bytesEqual(certDer, want)) fail(`The ${slot} certificate differs from the one the CA issued for this card.`);
      const cert = readCertificate(certDer, `${slot} certificate`);
      const serial = cert.serialNumber.toUpperCase();
      report.certificates.push({ slot, serial, subject: cert.subject, notAfter: cert.notAfter.toISOString() });
      const status = input.certificateStatus?.(serial);
      if (status && status !== 'valid') fail(`The ${slot} certificate is ${status}.`);
      if (chuid) {
        const ids = certificateCardIdentifiers(certDer);
        if ((slot === '9A' || slot === '9E') && (!ids.fascn || !bytesEqual(ids.fascn, chuid.fascn))) fail(`The ${slot} certificate does not carry the CHUID's FASC-N.`);
        if ((slot === '9A' || slot === '9E') && !ids.uuids.includes(uuidText(chuid.guid))) fail(`The ${slot} certificate does not carry the card UUID.`);
      }
      certificates[slot] = certDer;
      return `serial ${serial}, ${cert.subject}`;
    });
  }

  // Keys without the PIN first, then the one VERIFY and the Digital Signature key right after it.
  const keyOrder: PivSlot[] = [...PIV_SLOTS.filter((s) => !slotNeedsPin(s)), '9C', ...PIV_SLOTS.filter((s) => slotNeedsPin(s) && s !== '9C')];
  const allKeyChecks: { slot: PivSlot; certDer: Uint8Array }[] = keyOrder.flatMap((slot) => (certificates[slot] ? [{ slot, certDer: certificates[slot]! }] : []));
  // A slot whose key signed in this card session, checked against the key this certificate (read back above) carries,
  // is proven without signing again: the session is exclusive, so nothing else changed the slot since (issue 14).
  const provenInSession = (k: { slot: PivSlot; certDer: Uint8Array }): boolean => {
    const proven = input.keysProvenInSession?.get(k.slot);
    return proven !== undefined && bytesEqual(certificateSpki(k.slot, k.certDer), proven);
  };
  for (const { slot } of allKeyChecks.filter(provenInSession)) {
    checks.push({ name: `${slot} key matches its certificate`, ok: true, detail: "signed on card in this card session (its CSR), verified with the certificate's public key" });
  }
  const keyChecks = allKeyChecks.filter((k) => !provenInSession(k));
  for (const { slot, certDer } of keyChecks.filter((k) => !slotNeedsPin(k.slot))) {
    await check(checks, `${slot} key matches its certificate`, () => proveSlotKey(session, slot, certDer));
  }

  await check(checks, 'PIN verifies', async () => {
    const reason = await pin.use();
    return reason === undefined ? pin.how : { skipped: reason };
  });

  for (const { slot, certDer } of keyChecks.filter((k) => slotNeedsPin(k.slot))) {
    await check(checks, `${slot} key matches its certificate`, () => withPin(pin, () => proveSlotKey(session, slot, certDer), pinAlways(slot)));
  }

  for (const obj of expected?.objects ?? []) {
    await check(checks, `${obj.name} read back`, async () => {
      const read = async () => {
        const got = await reads.get(obj.tag);
        if (!got || !bytesEqual(got, obj.content)) fail(`${obj.name} on the card differs from what was written.`);
        return obj.cardDefined ? "the card's own (card-defined), as recorded" : 'equal to what was written';
      };
      return obj.pinToRead && !reads.known(obj.tag) ? withPin(pin, read) : read();
    });
  }

  if (chuid) {
    const c = chuid;
    await check(checks, 'Security Object', () => checkSecurityObject(reads, c, pin));
    if (expected?.facialImage) {
      await check(checks, 'Facial image', () => checkFacialImage(reads, c, pin, true));
    } else if (!expected && input.verifyPin) {
      // Any card: its facial image is checked when it has one (most cards made elsewhere do).
      const lines: VerificationCheck[] = [];
      await check(lines, 'Facial image', () => checkFacialImage(reads, c, pin, false));
      checks.push(...lines.filter((l) => !l.skipped));
    }
    const printed = expected?.printed;
    if (printed) {
      const readsPrinted = !expected?.notWritten?.objects.includes('Printed Information');
      await check(checks, 'Printed card agrees with the chip', () => checkPrintedAgrees(reads, c, printed, readsPrinted, pin));
    }
  }

  for (const name of expected?.notWritten?.objects ?? []) {
    checks.push({ name: `${name} read back`, ok: true, skipped: true, detail: 'not in the card profile' });
  }

  await check(checks, 'Management key is not the default', () => checkManagementKey(session, input.identity, input.managementKeyProven));

  report.ok = checks.every((c) => c.ok);
  return report;
}
