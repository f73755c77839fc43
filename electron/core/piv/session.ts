/**
 * PivSession: the PIV client. One method per card command (SP 800-73-4
 * Part 2 §3, Table 2; YubiKey extensions FD/F8/F7/FF/FA/FB as in
 * yubikit/piv.py), typed results, StationErrors for every failure.
 *
 * Transport details live in exactly one place, {@link PivSession.transceive}:
 * command chaining for data over 255 bytes, `61xx` (GET RESPONSE with the
 * announced length) and `6Cxx` (resend with the right Le). Callers never see
 * those status words. Commands are short (SP 800-73-4 requires no more of a
 * card) until {@link PivSession.identify} found the card takes extended
 * length (ISO 7816-4 §5.1; {@link PivSession.supportsExtendedLength}): then
 * GET DATA asks for Le 65 536 in one extended APDU (else Le 256 with GET
 * RESPONSE for the rest), and long command data (PUT DATA of a certificate)
 * goes in one extended APDU instead of a chain, with chaining as the fallback
 * when the card refuses the length (issue 14: a certificate in one APDU each
 * way instead of four).
 *
 * What a card can do beyond SP 800-73-4 is probed once, by {@link
 * PivSession.identify}, never read from an ATR, label or version string
 * (issue 9; capabilities.ts).
 */
import { randomBytes } from 'node:crypto';
import { StationError, isStationError, type ErrorCode } from '../errors.js';
import { encodeCommandApdu, EXTENDED_MAX_LE, parseResponseApdu, SHORT_MAX_DATA, splitForChaining, SHORT_MAX_LE, type CommandApdu } from './apdu.js';
import {
  Ins,
  KEY_ALG_ID,
  KeyRef,
  MGMT_ALG_ID,
  ObjectTag,
  PIV_AID,
  SLOT_KEY_REF,
  Sw,
  Tag,
  type KeyAlgorithm,
  type ManagementKeyAlgorithm,
  type PivSlot,
} from './constants.js';
import {
  checkManagementKey,
  decryptManagementBlock,
  encryptManagementBlock,
  MGMT_BLOCK_SIZE,
} from './management-key.js';
import { parseKeyMetadata, type KeyMetadata } from './metadata.js';
import { parseApplicationProperties, type ApplicationProperties } from './application-property-template.js';
import { extendedLengthDeclared } from './atr.js';
import { algorithmName, RECOGNITION_PROBES, recognitionState, type CapabilityState, type CardCapabilities } from './capabilities.js';
import { publicKeyFromTemplate, type CardPublicKey } from './public-key.js';
import { PivCommand, retriesFromSw, statusToError, swHex, type StatusContext } from './status-words.js';
import { bytesEqual, concatBytes, decodeTlvs, encodeTag, encodeTlv, findTlv, unwrapTlv } from './tlv.js';
import type { CardTransport } from './transport.js';

/** The optional extensions identify probes (the others it reads: GET SERIAL, GET METADATA). */
export type ProbedExtension = 'getVersion' | keyof typeof RECOGNITION_PROBES;

/** INS P1 P2 of an extension's recognition probe. */
function probeOf(extension: keyof typeof RECOGNITION_PROBES): [number, number, number] {
  const [ins, p1, p2] = RECOGNITION_PROBES[extension];
  return [ins, p1, p2];
}

/** What {@link PivSession.identify} probes. */
export interface IdentifyOptions {
  /** The extensions to probe; absent: all. One left out is 'unknown' in the capabilities. */
  probe?: ReadonlySet<ProbedExtension>;
}

/**
 * What `identify` learned about the card: what it showed it can do
 * (capabilities, probed once), never what its ATR, label or version string
 * suggests (issue 9).
 */
export interface CardIdentity {
  /** Serial from GET SERIAL (F8), where the card answers it. */
  serial?: number;
  /** What the card showed it can do. */
  capabilities: CardCapabilities;
  /**
   * The management key (9B) as its metadata (F7 9B) describes it; each field
   * absent when the card did not say (unknown, never "default").
   */
  managementKey: { algorithm?: ManagementKeyAlgorithm; isDefault?: boolean };
  /** Mechanism bytes the SELECT answer lists (APT AC/80, SP 800-78-4 Table 6-2), empty when none. */
  advertisedAlgorithmIds: readonly number[];
  /** PIN tries left, read without spending one (GET METADATA 80, else VERIFY without data, 63Cx); absent when the card did not say. */
  pinTriesLeft?: number;
  /** The PIN's retry total (GET METADATA 80 tag 06: what a right PIN resets the tries to); absent when the card has no metadata. */
  pinRetryTotal?: number;
}

/** SELECT by DF name, first or only occurrence (ISO 7816-4 §11.1.1). */
const SELECT_BY_NAME = 0x04;
const SELECT_FIRST = 0x00;
/** P1 P2 of GET DATA / PUT DATA: the current application's data objects (73-2 §3.1.2). */
const DATA_P1 = 0x3f;
const DATA_P2 = 0xff;
/** VERIFY P1: 00 verify, FF reset the security status (73-2 §3.2.1). */
const VERIFY_P1_CHECK = 0x00;
const VERIFY_P1_LOGOUT = 0xff;
/** PIN and PUK reference data length and pad byte (73-2 §2.4.3). */
const REFERENCE_DATA_LENGTH = 8;
const REFERENCE_DATA_PAD = 0xff;
/** SET MANAGEMENT KEY P1 (fixed FF) and P2 "no touch required" (yubikit `set_management_key`). */
const SET_MGMT_P1 = 0xff;
const TOUCH_NEVER = 0xff;
/** Response sizes of GET VERSION (major minor patch, at least) and GET SERIAL (big-endian, at most 32 bits). */
const VERSION_LENGTH = 3;
const SERIAL_MAX_LENGTH = 4;
/** RSA-2048 private-key operation input: one modulus-sized block. */
const RSA2048_BLOCK_LENGTH = 256;
/** Uncompressed EC point length (04 ‖ X ‖ Y) per curve. */
const EC_POINT_LENGTH: Record<'P256' | 'P384', number> = { P256: 65, P384: 97 };
/** Upper bound on retry counter values, and on response chains (64 KiB). */
const MAX_RETRY_COUNT = 0xff;
const MAX_RESPONSE_BYTES = 0x10000;
/**
 * Most GET RESPONSE rounds of one response chain: 64 KiB in chunks of 128 bytes on average.
 * Bounds a hostile or broken card that answers `61xx` forever with little or no data.
 */
const MAX_RESPONSE_ROUNDS = MAX_RESPONSE_BYTES / 128;
/** Status-word high bytes handled by transceive. */
const SW1_MORE_DATA = 0x61;
const SW1_WRONG_LE = 0x6c;
/** MOVE KEY P1 that deletes the key instead of moving it (yubikit `delete_key`). */
const MOVE_KEY_DELETE = 0xff;
/** PIN/PUK guesses used only to block the counters before RESET: FF×8 never matches a real PIN. */
const BLOCKING_GUESSES: readonly Uint8Array[] = [
  new Uint8Array(REFERENCE_DATA_LENGTH).fill(REFERENCE_DATA_PAD),
  new TextEncoder().encode('00000000'),
  new TextEncoder().encode('99999999'),
];

const PIN_FORMAT = /^[0-9]{6,8}$/;
const PUK_FORMAT = /^[\x20-\x7e]{6,8}$/;

/** Codes that mean "the card answered, but not with this capability": probes tolerate them. */
const CARD_REFUSALS: readonly ErrorCode[] = [
  'UNSUPPORTED',
  'SW',
  'BAD_DATA',
  'NOT_FOUND',
  'NO_KEY',
  'CONDITIONS',
  'SECURITY_STATUS',
  'MALFORMED_RESPONSE',
];

/**
 * Pads a PIN or PUK to 8 bytes with FF (73-2 §2.4.3).
 * @throws StationError INVALID_INPUT when the format is wrong (message names the rule, never the value)
 */
function encodeReferenceData(value: string, kind: 'PIN' | 'PUK', field: string): Uint8Array {
  const ok = kind === 'PIN' ? PIN_FORMAT.test(value) : PUK_FORMAT.test(value);
  if (!ok) {
    const rule = kind === 'PIN' ? 'The PIN must be 6 to 8 digits.' : 'The PUK must be 6 to 8 characters.';
    throw new StationError('INVALID_INPUT', rule, { field });
  }
  const out = new Uint8Array(REFERENCE_DATA_LENGTH).fill(REFERENCE_DATA_PAD);
  out.set(new TextEncoder().encode(value), 0);
  return out;
}

function isManagementAlgorithm(a: KeyMetadata['algorithm']): a is ManagementKeyAlgorithm {
  return a === 'TDEA' || a === 'AES128' || a === 'AES192' || a === 'AES256';
}

function slotRef(slot: PivSlot): number {
  return SLOT_KEY_REF[slot];
}

/** Tags whose GET/PUT DATA carries the object's own template instead of a 53 wrapper (73-2 Tables 6, 9). */
function isSelfTemplated(tag: number): boolean {
  return tag === ObjectTag.DISCOVERY || tag === ObjectTag.BIT_GROUP;
}

/** The content of a GET DATA answer: inside `53`, or the whole template of a self-templated object. @throws StationError MALFORMED_RESPONSE */
function objectContent(tag: number, data: Uint8Array): Uint8Array {
  if (isSelfTemplated(tag) && data[0] !== Tag.DATA) return data;
  return unwrapTlv(data, Tag.DATA);
}

/**
 * A PIV session on one card. Not safe for concurrent calls: APDUs of two
 * commands must never interleave (a GENERAL AUTHENTICATE chain would be
 * rolled back, 73-2 §3.2.4), so callers await each method.
 */
export class PivSession {
  readonly transport: CardTransport;
  /** Counts for the benchmark: APDUs sent, bytes each way. */
  readonly stats = { apdus: 0, bytesSent: 0, bytesReceived: 0 };
  private application: ApplicationProperties | undefined;
  /** True once a PIN or the management key was verified in this session (write probes are then skipped). */
  private securityEstablished = false;
  /** True once identify found the card takes extended Lc/Le: GET DATA then reads an object in one APDU. */
  private extendedReads = false;
  /**
   * True while long command data goes in one extended APDU instead of a
   * chain of 255-byte blocks: set with {@link extendedReads}, off for the rest
   * of the session once the card refuses an extended command's length (6700).
   */
  private extendedCommands = false;
  /** Objects identify's probes read whole from the card (null: absent), by tag; see {@link readByIdentify}. */
  private readonly identifyReads = new Map<number, Uint8Array | null>();

  /** @param transport a connected card; the session does not select PIV until {@link select}. */
  constructor(transport: CardTransport) {
    this.transport = transport;
  }

  // ---------------------------------------------------------------- transport

  private async sendRaw(c: CommandApdu): Promise<{ data: Uint8Array; sw: number }> {
    const capdu = encodeCommandApdu(c);
    this.stats.apdus++;
    this.stats.bytesSent += capdu.length;
    const rapdu = await this.transport.transmit(capdu);
    this.stats.bytesReceived += rapdu.length;
    return parseResponseApdu(rapdu);
  }

  /**
   * Sends one logical command: data over 255 bytes in one extended APDU on a
   * card identify found takes extended length (else, and after the card
   * answered such a command 6700, chained in 255-byte blocks), resends
   * on `6Cxx` with the corrected Le, and collects `61xx` continuations with
   * GET RESPONSE. Returns the final status word without judging it.
   *
   * Bounded against a card that never ends its chain: at most {@link MAX_RESPONSE_ROUNDS}
   * GET RESPONSE rounds and {@link MAX_RESPONSE_BYTES} bytes, and a GET RESPONSE answer
   * must carry data (ISO 7816-4 §5.3.4: `61xx` announces bytes still available).
   * @throws StationError from the transport, or MALFORMED_RESPONSE on an endless or empty response chain
   */
  async transceive(c: CommandApdu): Promise<{ data: Uint8Array; sw: number }> {
    let last: CommandApdu | undefined;
    let r: { data: Uint8Array; sw: number } | undefined;
    if (this.extendedCommands && !c.extended && (c.data?.length ?? 0) > SHORT_MAX_DATA) {
      // A card that showed it takes extended Lc/Le (identify) gets long data in one APDU (ISO 7816-4 §5.1:
      // a 1 220-byte CHUID in one PUT DATA instead of five, issue 14). What it wrote is read back by verify.
      last = { ...c, extended: true };
      r = await this.sendRaw(last);
      // 6700: it parses the form but not this length. The command was not executed: chain it, and every later one.
      if (r.sw === Sw.WRONG_LENGTH) {
        this.extendedCommands = false;
        last = undefined;
        r = undefined;
      }
    }
    if (!last || !r) {
      const blocks = splitForChaining(c);
      for (const block of blocks.slice(0, -1)) {
        const b = await this.sendRaw(block);
        // A non-final block answers 9000; anything else ends the chain (the card rolled it back).
        if (b.sw !== Sw.SUCCESS) return b;
      }
      last = blocks[blocks.length - 1]!;
      r = await this.sendRaw(last);
    }
    if (r.sw >> 8 === SW1_WRONG_LE) {
      const le = r.sw & 0xff;
      r = await this.sendRaw({ ...last, le: le === 0 ? SHORT_MAX_LE : le });
    }
    const parts: Uint8Array[] = [r.data];
    let total = r.data.length;
    for (let rounds = 0; r.sw >> 8 === SW1_MORE_DATA; rounds++) {
      if (total > MAX_RESPONSE_BYTES || rounds >= MAX_RESPONSE_ROUNDS) {
        throw new StationError('MALFORMED_RESPONSE', 'The card kept sending more data than any PIV object holds.');
      }
      const announced = r.sw & 0xff;
      r = await this.sendRaw({ ins: Ins.GET_RESPONSE, p1: 0, p2: 0, le: announced });
      if (r.data.length === 0 && r.sw >> 8 === SW1_MORE_DATA) {
        throw new StationError('MALFORMED_RESPONSE', 'The card announced more data but sent none.');
      }
      parts.push(r.data);
      total += r.data.length;
    }
    return { data: parts.length === 1 ? parts[0]! : concatBytes(...parts), sw: r.sw };
  }

  /** transceive, then throw the mapped StationError unless the card answered 9000. */
  private async send(c: CommandApdu, ctx: StatusContext): Promise<Uint8Array> {
    const r = await this.transceive(c);
    if (r.sw !== Sw.SUCCESS) throw statusToError(r.sw, ctx);
    return r.data;
  }

  // ---------------------------------------------------------------- application

  /**
   * SELECT the PIV application by its full AID (73-2 §3.1.1) and keep what
   * its Application Property Template says (version, advertised algorithms).
   * @throws StationError NOT_PIV (6A82), transport errors
   */
  async select(): Promise<void> {
    const data = await this.send(
      { ins: Ins.SELECT, p1: SELECT_BY_NAME, p2: SELECT_FIRST, data: PIV_AID, le: 0 },
      { command: PivCommand.SELECT },
    );
    this.application = parseApplicationProperties(data);
  }

  /**
   * Identifies the card by what it shows it can do (capabilities.ts): each
   * optional vendor extension probed once, the extended-length support, the
   * algorithms the SELECT answer lists, the serial (F8) and the 9B metadata
   * (F7). A refusal or an answer of an unexpected shape turns a capability
   * off; it is never an error. Selects PIV first if {@link select} has not run.
   * Write extensions are probed only while no PIN or management key is
   * verified in this session (their probes are then refused by any card).
   * `options.probe` names the extensions to probe beyond the ones identify
   * itself reads (GET SERIAL, GET METADATA): a production asks only for those
   * its job needs (issue 14); the others are 'unknown'. Absent: all of them.
   * @throws StationError NOT_PIV, transport errors
   */
  async identify(options: IdentifyOptions = {}): Promise<CardIdentity> {
    if (this.application === undefined) await this.select();
    const app = this.application ?? { algorithms: [] };
    const wanted = (e: ProbedExtension) => !options.probe || options.probe.has(e);
    const version = wanted('getVersion') ? await this.probe(() => this.getVersion()) : undefined;
    const serial = await this.probe(() => this.getSerial());
    const management = await this.probe(() => this.getMetadata(KeyRef.MANAGEMENT));
    // The PIN's metadata gives its tries left and total at once (where the card has it); else VERIFY without data below.
    const pinMetadata = await this.probe(() => this.getMetadata(KeyRef.PIN));
    const metadata = management !== undefined || pinMetadata !== undefined;
    const mayProbeWrites = !this.securityEstablished;
    const writeProbe = async (e: keyof typeof RECOGNITION_PROBES): Promise<CapabilityState> =>
      wanted(e) && mayProbeWrites ? recognitionState(await this.recognitionProbe(...probeOf(e))) : 'unknown';
    const extensions: CardCapabilities['extensions'] = {
      getVersion: !wanted('getVersion') ? 'unknown' : version === undefined ? 'no' : 'yes',
      getSerial: serial === undefined ? 'no' : 'yes',
      getMetadata: metadata ? 'yes' : 'no',
      setPinRetries: await writeProbe('setPinRetries'),
      setManagementKey: await writeProbe('setManagementKey'),
      // ATTEST only reads: probed whatever the session's security status.
      attest: wanted('attest') ? recognitionState(await this.recognitionProbe(...RECOGNITION_PROBES.attest)) : 'unknown',
      // No probe of RESET is harmless: on a card whose PIN and PUK are blocked it would wipe the card.
      reset: 'unknown',
      moveKey: await writeProbe('moveKey'),
    };
    const managementKey: CardIdentity['managementKey'] = {};
    if (management && isManagementAlgorithm(management.algorithm)) managementKey.algorithm = management.algorithm;
    if (management?.isDefault !== undefined) managementKey.isDefault = management.isDefault;
    const capabilities: CardCapabilities = {
      extensions,
      extendedLength: extendedLengthDeclared(this.transport.atr) ?? (await this.supportsExtendedLength()),
      advertisedAlgorithms: app.algorithms.map(algorithmName),
    };
    this.extendedReads = capabilities.extendedLength;
    this.extendedCommands = capabilities.extendedLength;
    if (app.applicationVersion) capabilities.applicationVersion = app.applicationVersion;
    if (version !== undefined) capabilities.version = version;
    if (managementKey.algorithm) capabilities.managementKeyAlgorithm = managementKey.algorithm;
    const identity: CardIdentity = { capabilities, managementKey, advertisedAlgorithmIds: app.algorithms };
    if (serial !== undefined) identity.serial = serial;
    if (pinMetadata?.retries) {
      identity.pinTriesLeft = pinMetadata.retries.remaining;
      identity.pinRetryTotal = pinMetadata.retries.total;
    } else {
      const pin = await this.probe(() => this.pinStatus());
      if (pin && pin.retriesLeft >= 0) identity.pinTriesLeft = pin.retriesLeft;
    }
    return identity;
  }

  /**
   * Probes one write extension after {@link identify} (which was asked not
   * to): its recognition probe, while no PIN or management key is verified in
   * this session; 'unknown' after (capabilities.ts).
   * @throws StationError transport errors
   */
  async probeExtension(extension: keyof typeof RECOGNITION_PROBES): Promise<CapabilityState> {
    if (this.securityEstablished && extension !== 'attest') return 'unknown';
    return recognitionState(await this.recognitionProbe(...probeOf(extension)));
  }

  /**
   * Sends an instruction with no data, as a probe of whether the card knows
   * it, and returns the status word (see capabilities.ts `recognitionState`).
   * The parameters are chosen so that no card executes it (invalid references,
   * missing data, no security status).
   * @throws StationError transport errors
   */
  private async recognitionProbe(ins: number, p1: number, p2: number): Promise<number> {
    return (await this.transceive({ ins, p1, p2 })).sw;
  }

  /**
   * Whether the card takes extended Lc/Le (ISO 7816-4 §5.1): GET DATA of the
   * Discovery object framed as an extended case 4 APDU. 9000, 6A82 or 6982
   * mean the card parsed it; anything else, or a reader that cannot carry it,
   * means no. A card that takes it gets GET DATA with Le 65 536 and long
   * command data in one APDU (see {@link transceive}); it is also recorded
   * for the compatibility table.
   * @throws StationError when the card is removed or the reader is gone
   */
  async supportsExtendedLength(): Promise<boolean> {
    const data = encodeTlv(Tag.TAG_LIST, encodeTag(ObjectTag.DISCOVERY));
    try {
      const r = await this.sendRaw({ ins: Ins.GET_DATA, p1: DATA_P1, p2: DATA_P2, data, le: 0, extended: true });
      const parsed: number[] = [Sw.SUCCESS, Sw.FILE_NOT_FOUND, Sw.SECURITY_STATUS_NOT_SATISFIED];
      // The probe is a whole GET DATA of Discovery: its answer is the object (or its absence), kept for readByIdentify.
      if (r.sw === Sw.FILE_NOT_FOUND) this.identifyReads.set(ObjectTag.DISCOVERY, null);
      if (r.sw === Sw.SUCCESS) {
        try {
          this.identifyReads.set(ObjectTag.DISCOVERY, objectContent(ObjectTag.DISCOVERY, r.data));
        } catch (e) {
          if (!isStationError(e, 'MALFORMED_RESPONSE')) throw e;
        }
      }
      return parsed.includes(r.sw) || r.sw >> 8 === SW1_MORE_DATA;
    } catch (e) {
      if (isStationError(e, 'TRANSPORT')) return false;
      throw e;
    }
  }

  /**
   * An object identify's probes read whole in this session (the extended-length
   * probe is a GET DATA of Discovery), as {@link getData} would return it:
   * undefined when no probe read it, null when the card answered it is absent.
   * Callers that track the session's reads take it instead of reading again (issue 14).
   */
  readByIdentify(tag: number): Uint8Array | null | undefined {
    return this.identifyReads.get(tag);
  }

  /** Runs a capability probe; a card refusal gives undefined, transport failures propagate. */
  private async probe<T>(f: () => Promise<T>): Promise<T | undefined> {
    try {
      return await f();
    } catch (e) {
      if (isStationError(e, ...CARD_REFUSALS)) return undefined;
      throw e;
    }
  }

  // ---------------------------------------------------------------- data objects

  /**
   * GET DATA (73-2 §3.1.2): reads one data object, with the largest Le the
   * card takes — 65 536 in an extended APDU when identify found extended
   * length, else 256 and GET RESPONSE (ISO 7816-4 §5.1, §7.6.1).
   * @param tag object tag, e.g. `ObjectTag.CHUID` (0x5FC102)
   * @returns the content inside `53` (may be empty); for Discovery (7E) and the
   *          BIT group (7F61) the whole TLV the card returned; null when absent (6A82)
   * @throws StationError SECURITY_STATUS (PIN needed), MALFORMED_RESPONSE, …
   */
  async getData(tag: number): Promise<Uint8Array | null> {
    const r = await this.transceive({
      ins: Ins.GET_DATA,
      p1: DATA_P1,
      p2: DATA_P2,
      data: encodeTlv(Tag.TAG_LIST, encodeTag(tag)),
      ...(this.extendedReads ? { le: EXTENDED_MAX_LE, extended: true } : { le: 0 }),
    });
    if (r.sw === Sw.FILE_NOT_FOUND) return null;
    if (r.sw !== Sw.SUCCESS) throw statusToError(r.sw, { command: PivCommand.GET_DATA, object: tag });
    return objectContent(tag, r.data);
  }

  /**
   * PUT DATA (73-2 §3.3.1): writes or deletes one object; chained if long.
   * Needs 9B authenticated.
   * @param content the content to wrap in `53`; for Discovery / BIT the whole
   *                7E / 7F61 TLV; null deletes the object (`53 00`, YubiKey convention)
   * @throws StationError SECURITY_STATUS, CARD_FULL, BAD_DATA, …
   */
  async putData(tag: number, content: Uint8Array | null): Promise<void> {
    // Discovery and BIT group are written as their own TLV with no tag list (73-2 §3.3.1 Tables 9, 10).
    const data =
      content !== null && isSelfTemplated(tag)
        ? content
        : concatBytes(encodeTlv(Tag.TAG_LIST, encodeTag(tag)), encodeTlv(Tag.DATA, content ?? new Uint8Array(0)));
    await this.send(
      { ins: Ins.PUT_DATA, p1: DATA_P1, p2: DATA_P2, data },
      { command: PivCommand.PUT_DATA, object: tag },
    );
  }

  // ---------------------------------------------------------------- PIN and PUK

  /**
   * VERIFY the PIV PIN (73-2 §3.2.1), padded with FF to 8 bytes.
   * A PIN outside 6–8 digits is refused before any APDU, so it never costs a try.
   * @throws StationError INVALID_INPUT, WRONG_PIN {retriesLeft}, PIN_BLOCKED
   */
  async verifyPin(pin: string): Promise<void> {
    const data = encodeReferenceData(pin, 'PIN', 'pin');
    await this.send(
      { ins: Ins.VERIFY, p1: VERIFY_P1_CHECK, p2: KeyRef.PIN, data },
      { command: PivCommand.VERIFY, keyRef: KeyRef.PIN },
    );
    this.securityEstablished = true;
  }

  /**
   * PIN state without spending a try: VERIFY with no data (73-2 §3.2.1).
   * When the PIN is verified the card reports no counter; `retriesLeft` then
   * comes from GET METADATA 80 where supported, else it is -1 (unknown).
   * @throws StationError for any other status word
   */
  async pinStatus(): Promise<{ verified: boolean; retriesLeft: number; blocked: boolean }> {
    const r = await this.transceive({ ins: Ins.VERIFY, p1: VERIFY_P1_CHECK, p2: KeyRef.PIN });
    if (r.sw === Sw.SUCCESS) {
      const md = await this.probe(() => this.getMetadata(KeyRef.PIN));
      return { verified: true, retriesLeft: md?.retries?.remaining ?? -1, blocked: false };
    }
    if (r.sw === Sw.AUTH_METHOD_BLOCKED) return { verified: false, retriesLeft: 0, blocked: true };
    const retries = retriesFromSw(r.sw);
    if (retries !== undefined) return { verified: false, retriesLeft: retries, blocked: retries === 0 };
    throw statusToError(r.sw, { command: PivCommand.VERIFY, keyRef: KeyRef.PIN });
  }

  /**
   * Clears the PIN security status: VERIFY P1=FF (SP 800-73-4). Cards without
   * it answer 6A86 (or 6D00/6B00/6A81); that is tolerated, and the caller
   * should close the transport with a card reset to be sure.
   * @throws StationError for other status words
   */
  async logout(): Promise<void> {
    const r = await this.transceive({ ins: Ins.VERIFY, p1: VERIFY_P1_LOGOUT, p2: KeyRef.PIN });
    const tolerated: number[] = [Sw.SUCCESS, Sw.INCORRECT_P1P2, Sw.WRONG_P1P2, Sw.INS_NOT_SUPPORTED, Sw.FUNCTION_NOT_SUPPORTED];
    if (!tolerated.includes(r.sw)) throw statusToError(r.sw, { command: PivCommand.VERIFY, keyRef: KeyRef.PIN });
  }

  /**
   * CHANGE REFERENCE DATA for the PIN (73-2 §3.2.2).
   * @throws StationError INVALID_INPUT (either PIN not 6–8 digits; no APDU sent), WRONG_PIN {retriesLeft}, PIN_BLOCKED, BAD_DATA
   */
  async changePin(oldPin: string, newPin: string): Promise<void> {
    const data = concatBytes(encodeReferenceData(oldPin, 'PIN', 'oldPin'), encodeReferenceData(newPin, 'PIN', 'newPin'));
    await this.send(
      { ins: Ins.CHANGE_REFERENCE_DATA, p1: 0, p2: KeyRef.PIN, data },
      { command: PivCommand.CHANGE_REFERENCE_DATA, keyRef: KeyRef.PIN },
    );
  }

  /**
   * CHANGE REFERENCE DATA for the PUK (73-2 §3.2.2; contact interface only).
   * @throws StationError INVALID_INPUT (PUK not 6–8 printable ASCII characters), WRONG_PUK {retriesLeft}, PUK_BLOCKED
   */
  async changePuk(oldPuk: string, newPuk: string): Promise<void> {
    const data = concatBytes(encodeReferenceData(oldPuk, 'PUK', 'oldPuk'), encodeReferenceData(newPuk, 'PUK', 'newPuk'));
    await this.send(
      { ins: Ins.CHANGE_REFERENCE_DATA, p1: 0, p2: KeyRef.PUK, data },
      { command: PivCommand.CHANGE_REFERENCE_DATA, keyRef: KeyRef.PUK },
    );
  }

  /**
   * RESET RETRY COUNTER (73-2 §3.2.3): unblocks the PIN with the PUK and sets a new PIN.
   * Status words about the counter refer to the PUK.
   * @throws StationError INVALID_INPUT, WRONG_PUK {retriesLeft}, PUK_BLOCKED, BAD_DATA (new PIN refused)
   */
  async resetRetryCounter(puk: string, newPin: string): Promise<void> {
    const data = concatBytes(encodeReferenceData(puk, 'PUK', 'puk'), encodeReferenceData(newPin, 'PIN', 'newPin'));
    await this.send(
      { ins: Ins.RESET_RETRY_COUNTER, p1: 0, p2: KeyRef.PIN, data },
      { command: PivCommand.RESET_RETRY_COUNTER, keyRef: KeyRef.PUK },
    );
  }

  // ---------------------------------------------------------------- management key

  /**
   * Mutual authentication with the card management key 9B (73-2 Appendix A.2):
   * 1. `7C 02 80 00` → card returns `80 E_K(w)`;
   * 2. we decrypt w, pick a random challenge c and send `80 w 81 c`;
   * 3. the card returns `82 E_K(c)`, which we check.
   * Exactly one attempt: never retried here, so a wrong key costs at most one try.
   * @param alg 3TDEA (P1 03) or AES-128/192/256 (P1 08/0A/0C)
   * @param key 24/16/24/32 bytes; never logged or put in errors
   * @throws StationError INVALID_INPUT (key size), MGMT_KEY_REJECTED (wrong key or
   *         algorithm, or the card's proof did not match), MALFORMED_RESPONSE, transport errors
   */
  async authenticateManagementKey(alg: ManagementKeyAlgorithm, key: Uint8Array): Promise<void> {
    checkManagementKey(alg, key);
    const p1 = MGMT_ALG_ID[alg];
    const blockSize = MGMT_BLOCK_SIZE[alg];
    const ctx: StatusContext = { command: PivCommand.GENERAL_AUTHENTICATE, keyRef: KeyRef.MANAGEMENT };
    const ga = (template: Uint8Array): Promise<Uint8Array> =>
      this.send(
        { ins: Ins.GENERAL_AUTHENTICATE, p1, p2: KeyRef.MANAGEMENT, data: encodeTlv(Tag.DYNAMIC_AUTH, template), le: 0 },
        ctx,
      );

    let step1: Uint8Array;
    try {
      step1 = await ga(encodeTlv(Tag.WITNESS));
    } catch (e) {
      // A card whose 9B uses another algorithm refuses the P1 (6A80/6A86): that is a rejected key too.
      // Refused before any key comparison: a wrong algorithm costs no authentication attempt.
      if (isStationError(e, 'BAD_DATA') || (isStationError(e, 'SW') && e.details.sw === swHex(Sw.INCORRECT_P1P2))) {
        throw new StationError('MGMT_KEY_REJECTED', `The card does not accept a ${alg} management key.`, {
          ...e.details,
          algorithm: alg,
          algorithmRefused: true,
        });
      }
      throw e;
    }
    const encryptedWitness = dynamicAuthField(step1, Tag.WITNESS);
    const witness = decryptManagementBlock(alg, key, encryptedWitness);
    const challenge = new Uint8Array(randomBytes(blockSize));
    const step2 = await ga(concatBytes(encodeTlv(Tag.WITNESS, witness), encodeTlv(Tag.CHALLENGE, challenge)));
    const proof = dynamicAuthField(step2, Tag.RESPONSE);
    if (!bytesEqual(proof, encryptManagementBlock(alg, key, challenge))) {
      throw new StationError('MGMT_KEY_REJECTED', 'The card could not prove it holds the same management key.', {
        command: PivCommand.GENERAL_AUTHENTICATE,
        keyRef: '9B',
      });
    }
    this.securityEstablished = true;
  }

  /**
   * SET MANAGEMENT KEY (YubiKey INS FF): replaces 9B. Needs 9B authenticated.
   * Data: `<alg> 9B <len> <key>`, no touch requirement.
   * @throws StationError INVALID_INPUT (key size), SECURITY_STATUS, UNSUPPORTED, BAD_DATA
   */
  async setManagementKey(alg: ManagementKeyAlgorithm, key: Uint8Array): Promise<void> {
    checkManagementKey(alg, key);
    const data = concatBytes(Uint8Array.of(MGMT_ALG_ID[alg], KeyRef.MANAGEMENT, key.length), key);
    await this.send(
      { ins: Ins.SET_MANAGEMENT_KEY, p1: SET_MGMT_P1, p2: TOUCH_NEVER, data },
      { command: PivCommand.SET_MANAGEMENT_KEY, keyRef: KeyRef.MANAGEMENT },
    );
  }

  // ---------------------------------------------------------------- asymmetric keys

  /**
   * GENERATE ASYMMETRIC KEY PAIR (73-2 §3.3.2): `AC 03 80 01 <mech>`. Needs 9B.
   * Replaces any key in the slot (its certificate no longer matches).
   * @returns the new public key
   * @throws StationError SECURITY_STATUS, BAD_DATA (algorithm refused), MALFORMED_RESPONSE
   */
  async generateKeyPair(slot: PivSlot, alg: KeyAlgorithm): Promise<CardPublicKey> {
    const keyRef = slotRef(slot);
    const data = encodeTlv(Tag.CONTROL_REFERENCE, encodeTlv(Tag.MECHANISM, Uint8Array.of(KEY_ALG_ID[alg])));
    const resp = await this.send(
      { ins: Ins.GENERATE_ASYMMETRIC_KEY_PAIR, p1: 0, p2: keyRef, data, le: 0 },
      { command: PivCommand.GENERATE_ASYMMETRIC_KEY_PAIR, keyRef },
    );
    return publicKeyFromTemplate(alg, unwrapTlv(resp, Tag.PUBLIC_KEY));
  }

  /**
   * GENERAL AUTHENTICATE with the slot's private key (73-2 App. A.3/A.4):
   * `7C { 82 00, 81 <input> }`, chained when long.
   * @param input RSA: the full 256-byte block already padded by the host; EC: the hash (≤ key size)
   * @returns RSA: the raw 256-byte result; EC: DER `SEQUENCE { r, s }`
   * @throws StationError INVALID_INPUT (RSA block not 256 bytes), SECURITY_STATUS (PIN needed), NO_KEY, MALFORMED_RESPONSE
   */
  async authenticateSign(slot: PivSlot, alg: KeyAlgorithm, input: Uint8Array): Promise<Uint8Array> {
    if (alg === 'RSA2048' && input.length !== RSA2048_BLOCK_LENGTH) {
      throw new StationError('INVALID_INPUT', 'An RSA-2048 signing block must be 256 bytes.', { length: input.length });
    }
    return this.generalAuthenticate(slot, alg, encodeTlv(Tag.CHALLENGE, input));
  }

  /**
   * ECDH key agreement with the slot's private key (73-2 App. A.5.2):
   * `7C { 82 00, 85 04‖X‖Y }`.
   * @param peerPoint the peer's uncompressed point (65 bytes for P-256, 97 for P-384)
   * @returns the shared secret Z (x-coordinate, 32/48 bytes)
   * @throws StationError INVALID_INPUT (point size), SECURITY_STATUS, NO_KEY, MALFORMED_RESPONSE
   */
  async ecdh(slot: PivSlot, alg: 'P256' | 'P384', peerPoint: Uint8Array): Promise<Uint8Array> {
    const expected = EC_POINT_LENGTH[alg];
    if (peerPoint.length !== expected) {
      throw new StationError('INVALID_INPUT', `A ${alg} peer point must be ${expected} bytes.`, { length: peerPoint.length });
    }
    return this.generalAuthenticate(slot, alg, encodeTlv(Tag.EXPONENTIATION, peerPoint));
  }

  private async generalAuthenticate(slot: PivSlot, alg: KeyAlgorithm, operand: Uint8Array): Promise<Uint8Array> {
    const keyRef = slotRef(slot);
    const data = encodeTlv(Tag.DYNAMIC_AUTH, encodeTlv(Tag.RESPONSE), operand);
    const resp = await this.send(
      { ins: Ins.GENERAL_AUTHENTICATE, p1: KEY_ALG_ID[alg], p2: keyRef, data, le: 0 },
      { command: PivCommand.GENERAL_AUTHENTICATE, keyRef },
    );
    return dynamicAuthField(resp, Tag.RESPONSE);
  }

  // ---------------------------------------------------------------- YubiKey extensions

  /**
   * GET METADATA (YubiKey F7) for a key reference (80, 81, 9B, 9A…).
   * @returns metadata, or null when the reference holds no key (6A88)
   * @throws StationError UNSUPPORTED when the card lacks F7, MALFORMED_RESPONSE
   */
  async getMetadata(keyRef: number): Promise<KeyMetadata | null> {
    const r = await this.transceive({ ins: Ins.GET_METADATA, p1: 0, p2: keyRef, le: 0 });
    if (r.sw === Sw.REFERENCE_NOT_FOUND) return null;
    if (r.sw !== Sw.SUCCESS) throw statusToError(r.sw, { command: PivCommand.GET_METADATA, keyRef });
    return parseKeyMetadata(r.data);
  }

  /**
   * GET VERSION (YubiKey FD). @returns "major.minor.patch"
   * @throws StationError UNSUPPORTED on generic cards, MALFORMED_RESPONSE
   */
  async getVersion(): Promise<string> {
    const data = await this.send({ ins: Ins.GET_VERSION, p1: 0, p2: 0, le: 0 }, { command: PivCommand.GET_VERSION });
    if (data.length < VERSION_LENGTH) throw new StationError('MALFORMED_RESPONSE', 'The card sent a version of the wrong size.');
    return `${data[0]}.${data[1]}.${data[2]}`;
  }

  /**
   * GET SERIAL (YubiKey F8). @returns the serial, big-endian, 1 to 4 bytes
   * @throws StationError UNSUPPORTED, MALFORMED_RESPONSE (empty or longer than 32 bits)
   */
  async getSerial(): Promise<number> {
    const data = await this.send({ ins: Ins.GET_SERIAL, p1: 0, p2: 0, le: 0 }, { command: PivCommand.GET_SERIAL });
    if (data.length === 0 || data.length > SERIAL_MAX_LENGTH) throw new StationError('MALFORMED_RESPONSE', 'The card sent a serial of the wrong size.');
    return data.reduce((n, b) => n * 0x100 + b, 0);
  }

  /**
   * SET PIN RETRIES (YubiKey FA): needs 9B and a verified PIN; resets PIN and
   * PUK to their factory values, so run it before changing them.
   * @param pinTries 1–255 @param pukTries 1–255
   * @throws StationError INVALID_INPUT, SECURITY_STATUS, UNSUPPORTED
   */
  async setPinRetries(pinTries: number, pukTries: number): Promise<void> {
    for (const [name, v] of [['pinTries', pinTries], ['pukTries', pukTries]] as const) {
      if (!Number.isInteger(v) || v < 1 || v > MAX_RETRY_COUNT) {
        throw new StationError('INVALID_INPUT', 'Retry counts must be between 1 and 255.', { field: name });
      }
    }
    await this.send({ ins: Ins.SET_PIN_RETRIES, p1: pinTries, p2: pukTries }, { command: PivCommand.SET_PIN_RETRIES });
  }

  /**
   * DELETE KEY (YubiKey MOVE KEY F6 with P1 = FF, firmware 5.7; yubikit
   * `delete_key`): removes the key under `keyRef` (a slot 9A–9E or a retired
   * key 82–95). Needs 9B.
   * @throws StationError SECURITY_STATUS, UNSUPPORTED, NO_KEY
   */
  async deleteKey(keyRef: number): Promise<void> {
    await this.send({ ins: Ins.MOVE_KEY, p1: MOVE_KEY_DELETE, p2: keyRef }, { command: PivCommand.MOVE_KEY, keyRef });
  }

  /**
   * Factory-resets the PIV application (YubiKey FB), as ykman does: blocks the
   * PIN (VERIFY with wrong values) and the PUK (CHANGE REFERENCE DATA with
   * wrong values) first, because the card refuses RESET otherwise. Destroys
   * every key and object; PIN, PUK and 9B return to factory values.
   * @throws StationError CONDITIONS (card still refuses), UNSUPPORTED, transport errors
   */
  async reset(): Promise<void> {
    await this.blockReference(KeyRef.PIN);
    await this.blockReference(KeyRef.PUK);
    await this.send({ ins: Ins.RESET, p1: 0, p2: 0 }, { command: PivCommand.RESET });
    this.application = undefined;
    this.securityEstablished = false;
  }

  /**
   * Spends every try of the PIN or PUK. Starts with FF×8 (never a real value);
   * a card that refuses malformed data (6A80) gets well-formed guesses instead,
   * and a guess that happens to be right is never used again.
   */
  private async blockReference(keyRef: number): Promise<void> {
    const guesses = [...BLOCKING_GUESSES];
    const command = keyRef === KeyRef.PIN ? PivCommand.VERIFY : PivCommand.CHANGE_REFERENCE_DATA;
    for (let attempt = 0; attempt <= MAX_RETRY_COUNT + guesses.length; attempt++) {
      const guess = guesses[0];
      if (!guess) break;
      const c: CommandApdu =
        keyRef === KeyRef.PIN
          ? { ins: Ins.VERIFY, p1: VERIFY_P1_CHECK, p2: KeyRef.PIN, data: guess }
          : { ins: Ins.CHANGE_REFERENCE_DATA, p1: 0, p2: KeyRef.PUK, data: concatBytes(guess, guess) };
      const r = await this.transceive(c);
      if (r.sw === Sw.AUTH_METHOD_BLOCKED || retriesFromSw(r.sw) === 0) return;
      if (retriesFromSw(r.sw) !== undefined) continue;
      if (r.sw === Sw.SUCCESS || r.sw === Sw.INCORRECT_DATA) {
        guesses.shift();
        continue;
      }
      throw statusToError(r.sw, { command, keyRef });
    }
    throw new StationError('CONDITIONS', 'The card did not block its PIN or PUK before reset.', {
      keyRef: keyRef.toString(16).toUpperCase(),
    });
  }
}

/** Field `tag` inside a `7C` dynamic authentication template. @throws StationError MALFORMED_RESPONSE */
function dynamicAuthField(resp: Uint8Array, tag: number): Uint8Array {
  const field = findTlv(decodeTlvs(unwrapTlv(resp, Tag.DYNAMIC_AUTH)), tag);
  if (field === undefined) {
    throw new StationError('MALFORMED_RESPONSE', 'The card answered GENERAL AUTHENTICATE without the expected field.');
  }
  return field;
}
