/**
 * Card personalities: the behaviours in which real PIV implementations differ,
 * as data. A personality is a set of switches the command handlers consult
 * (which vendor extensions answer, extended length, read-only objects, the
 * shape of GET METADATA, the management key algorithms, retry defaults, the
 * object size limit, what the card carries from the factory), so the station
 * meets in CI the differences it meets at a desk (issue 9 §3).
 *
 * Personalities are named by behaviour, never after a product, and none
 * changes the ATR, a label or the GET VERSION answer: a station must tell them
 * apart by what the card does, not by what it says it is.
 *
 * Facts behind the named personalities:
 * - `yubikey-like`: Yubico's PIV documentation (docs.yubico.com yesdk
 *   "Get metadata" Tables 1–2: PIN/PUK answer tags 01 05 06, 9B 01 02 05,
 *   keys 01 02 03 04; retries 3/3; default 9B 0102…08, AES-192 from
 *   firmware 5.7, 3DES before); object limit about 3 KB (yubico-piv-tool
 *   CB_OBJ_MAX = 3063).
 * - `fixed-objects`: observed on an independent applet (issue 9; answers
 *   committed in tests/fixtures/card-observations/): PUT DATA 7E refused with
 *   6A80, PIN/PUK metadata `05 01 01 06 02 05 05` / `05 01 01 06 02 03 03`
 *   (no algorithm tag, retries 5 and 3; the default flag follows CHANGE
 *   REFERENCE DATA), factory CHUID (all-zero FASC-N, unsigned), CCC and Key History,
 *   SELECT answering the full AID and an algorithm list; the applet's README
 *   lists version, serial, set management key, import, reset, retry limits
 *   and attestation among the YubiKey extensions it implements.
 * - `strict-800-73`: SP 800-73-4 alone (Part 2 Table 2 commands, Part 1
 *   Table 5 algorithms), plus SET MANAGEMENT KEY as the one way to change 9B;
 *   short APDUs only; retry defaults PIN 6 / PUK 10, as an open-source PIV
 *   applet ships them (piv-reference §4 "PIN / PUK").
 * - `tdes-only`: a management key that can only be 3DES (YubiKeys before 5.4,
 *   which have no MOVE / DELETE KEY either).
 * - `factory-dirty`: a returned card: keys, certificates and objects left in it.
 * - `fixed-management-key`, `rsa-only`: cards a default production cannot use
 *   (no way to change 9B; no EC key generation), for the "refused before
 *   anything is written" path of issue 9 §1.
 */
import { StationError } from '../../electron/core/errors.js';
import { Ins, MetadataTag, ObjectTag, Sw, type ManagementKeyAlgorithm } from '../../electron/core/piv/constants.js';
import type { SlotAlgorithm } from './state.js';

/** The vendor (YubiKey-compatible) instructions a personality may leave out; SP 800-73-4 defines none of them. */
export const VENDOR_INSTRUCTIONS: ReadonlySet<number> = new Set([
  Ins.GET_VERSION,
  Ins.GET_SERIAL,
  Ins.GET_METADATA,
  Ins.SET_MANAGEMENT_KEY,
  Ins.IMPORT_KEY,
  Ins.RESET,
  Ins.SET_PIN_RETRIES,
  Ins.ATTEST,
  Ins.MOVE_KEY,
]);

/** What the card holds when it leaves the factory (or after FB RESET). */
export type FactoryObjects =
  /** Only the Discovery object (a YubiKey-like card). */
  | 'discovery'
  /** Discovery, an unsigned CHUID with an all-zero FASC-N, a CCC and a Key History (a card issued "ready to personalize"). */
  | 'standard';

/**
 * One card's behaviour switches. Plain JSON values: it is stored in the card
 * state file, so a card keeps its personality across attaches.
 */
export interface CardPersonality {
  /** The named personality these switches came from, or "custom". Informational only: the card never branches on it. */
  name: string;
  /** Vendor INS bytes (subset of VENDOR_INSTRUCTIONS) the card implements; the others answer 6D00. */
  extensions: number[];
  /** Accepts extended-length APDUs; when false they are refused with 6700 and responses are at most 256 bytes (61xx for the rest). */
  extendedLength: boolean;
  /** SELECT answer: `4F` holds the PIX + version (YubiKey layout) or the full AID; `AC` lists the algorithms or is absent. */
  application: { aid: 'pix' | 'full'; advertiseAlgorithms: boolean };
  /** Objects the card fixes, by tag as uppercase hex ("7E"): PUT DATA of them (write or delete) answers this status word. */
  readOnlyObjects: Record<string, number>;
  /** The tags GET METADATA returns for the PIN (80) and PUK (81), in order (01 algorithm, 02 policy, 05 default, 06 retries). */
  referenceMetadataTags: number[];
  /** The factory 9B algorithm and every algorithm 9B may hold (authentication and SET MANAGEMENT KEY refuse the others). */
  managementKey: { factory: ManagementKeyAlgorithm; allowed: ManagementKeyAlgorithm[] };
  /** Asymmetric algorithms GENERATE and IMPORT KEY accept. */
  keyAlgorithms: SlotAlgorithm[];
  /** Retry counts of a new card (and after FB RESET). */
  retries: { pin: number; puk: number };
  /** Largest object content PUT DATA stores, in bytes (bigger: 6A84). */
  maxObjectSize: number;
  /** Objects present from the factory. */
  factoryObjects: FactoryObjects;
  /** A new card arrives with keys, certificates and objects left by an earlier holder (not restored by FB RESET). */
  returnedCard: boolean;
}

/** Every vendor extension (YubiKey firmware 5.7). */
const ALL_EXTENSIONS = [...VENDOR_INSTRUCTIONS];
/** The extensions before MOVE / DELETE KEY (F6, firmware 5.7): older YubiKeys, and the modelled applet's documented set. */
const EXTENSIONS_WITHOUT_MOVE_KEY = ALL_EXTENSIONS.filter((ins) => ins !== Ins.MOVE_KEY);
/** Object size limit of a YubiKey-like card: yubico-piv-tool's CB_OBJ_MAX (3072 − 9 bytes). */
export const YUBIKEY_LIKE_OBJECT_LIMIT = 3063;
/** A card with less room: about 2.5 KB per object, still above SP 800-73-4 Part 1 Table 3's 1905-byte minimum for certificates. */
export const SMALL_OBJECT_LIMIT = 2560;
/** PIN/PUK metadata as Yubico documents it: algorithm (FF), default flag, retries. */
const YUBICO_REFERENCE_METADATA = [MetadataTag.ALGORITHM, MetadataTag.IS_DEFAULT, MetadataTag.RETRIES];
const ALL_MANAGEMENT_ALGORITHMS: ManagementKeyAlgorithm[] = ['TDEA', 'AES128', 'AES192', 'AES256'];
const AES_MANAGEMENT_ALGORITHMS: ManagementKeyAlgorithm[] = ['AES128', 'AES192', 'AES256'];
/** SP 800-73-4 Part 1 Table 5: the algorithms a PIV card generates on card. */
const STANDARD_KEY_ALGORITHMS: SlotAlgorithm[] = ['RSA2048', 'P256', 'P384'];
const id = (tag: number): string => tag.toString(16).toUpperCase();

const yubikeyLike: CardPersonality = {
  name: 'yubikey-like',
  extensions: ALL_EXTENSIONS,
  extendedLength: true,
  application: { aid: 'pix', advertiseAlgorithms: false },
  readOnlyObjects: {},
  referenceMetadataTags: YUBICO_REFERENCE_METADATA,
  managementKey: { factory: 'AES192', allowed: ALL_MANAGEMENT_ALGORITHMS },
  keyAlgorithms: ['RSA1024', 'RSA2048', 'RSA3072', 'RSA4096', 'P256', 'P384'],
  retries: { pin: 3, puk: 3 },
  maxObjectSize: YUBIKEY_LIKE_OBJECT_LIMIT,
  factoryObjects: 'discovery',
  returnedCard: false,
};

const strict80073: CardPersonality = {
  name: 'strict-800-73',
  extensions: [Ins.SET_MANAGEMENT_KEY],
  extendedLength: false,
  application: { aid: 'pix', advertiseAlgorithms: true },
  readOnlyObjects: { [id(ObjectTag.DISCOVERY)]: Sw.FUNCTION_NOT_SUPPORTED },
  referenceMetadataTags: [],
  managementKey: { factory: 'AES128', allowed: AES_MANAGEMENT_ALGORITHMS },
  keyAlgorithms: STANDARD_KEY_ALGORITHMS,
  retries: { pin: 6, puk: 10 },
  maxObjectSize: SMALL_OBJECT_LIMIT,
  factoryObjects: 'standard',
  returnedCard: false,
};

/** The named personalities. */
export const PERSONALITIES = {
  'yubikey-like': yubikeyLike,
  'tdes-only': {
    ...yubikeyLike,
    name: 'tdes-only',
    extensions: EXTENSIONS_WITHOUT_MOVE_KEY,
    application: { aid: 'pix', advertiseAlgorithms: true },
    managementKey: { factory: 'TDEA', allowed: ['TDEA'] },
    keyAlgorithms: ['RSA1024', 'RSA2048', 'P256', 'P384'],
  },
  'fixed-objects': {
    name: 'fixed-objects',
    extensions: EXTENSIONS_WITHOUT_MOVE_KEY,
    extendedLength: true,
    application: { aid: 'full', advertiseAlgorithms: true },
    readOnlyObjects: { [id(ObjectTag.DISCOVERY)]: Sw.INCORRECT_DATA },
    referenceMetadataTags: [MetadataTag.IS_DEFAULT, MetadataTag.RETRIES],
    managementKey: { factory: 'TDEA', allowed: ALL_MANAGEMENT_ALGORITHMS },
    keyAlgorithms: ['RSA1024', 'RSA2048', 'P256'],
    retries: { pin: 5, puk: 3 },
    maxObjectSize: YUBIKEY_LIKE_OBJECT_LIMIT,
    factoryObjects: 'standard',
    returnedCard: false,
  },
  'strict-800-73': strict80073,
  'factory-dirty': { ...yubikeyLike, name: 'factory-dirty', returnedCard: true },
  'fixed-management-key': { ...strict80073, name: 'fixed-management-key', extensions: [] },
  'rsa-only': {
    ...yubikeyLike,
    name: 'rsa-only',
    application: { aid: 'pix', advertiseAlgorithms: true },
    keyAlgorithms: ['RSA2048'],
  },
} as const satisfies Record<string, CardPersonality>;

/** Name of a named personality. */
export type PersonalityName = keyof typeof PERSONALITIES;
/** The names, in the order they are listed to users. */
export const PERSONALITY_NAMES = Object.keys(PERSONALITIES) as PersonalityName[];
/** The personality of a card nobody chose one for (the virtual card as it always was). */
export const DEFAULT_PERSONALITY: PersonalityName = 'yubikey-like';

/** True when `name` is a named personality. */
export function isPersonalityName(name: string): name is PersonalityName {
  return Object.hasOwn(PERSONALITIES, name);
}

/** A deep copy of a named personality's switches (callers may change the copy to build a custom card). */
export function personality(name: PersonalityName = DEFAULT_PERSONALITY): CardPersonality {
  return structuredClone(PERSONALITIES[name]) as CardPersonality;
}

/**
 * Resolves what a caller asked for: a name, a custom set of switches, or nothing (the default).
 * @throws StationError INVALID_INPUT for an unknown name (the message lists the known ones)
 */
export function resolvePersonality(p: PersonalityName | CardPersonality | string | undefined): CardPersonality {
  if (p === undefined) return personality();
  if (typeof p !== 'string') return structuredClone(p);
  if (!isPersonalityName(p)) {
    throw new StationError('INVALID_INPUT', `There is no card personality "${p}". Known: ${PERSONALITY_NAMES.join(', ')}.`, {
      field: 'personality',
    });
  }
  return personality(p);
}

/** True when the card implements vendor instruction `ins` (standard instructions always answer). */
export function implementsInstruction(p: CardPersonality, ins: number): boolean {
  return !VENDOR_INSTRUCTIONS.has(ins) || p.extensions.includes(ins);
}
