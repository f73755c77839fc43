/**
 * Security Object, 5FC106 / ContainerID 9000 (SP 800-73-4 Part 1 §3.1.7, Table 12; mandatory per
 * Table 3): `BA` mapping of data-group numbers to ContainerIDs (3 bytes each: DG number, ContainerID
 * high, low), `BB` the LDS Security Object as CMS SignedData (ICAO Doc 9303 Part 10/11,
 * eContentType id-icao-ldsSecurityObject 2.23.136.1.1.1), `FE 00`.
 *
 * The hashes cover each mapped object's content as GET DATA returns it (the value of its `53`
 * wrapper; for Discovery, the `7E` TLV itself), so a reader that reads an object the usual way can
 * hash it directly. Data group numbers are the station's own (Part 1 §3.1.7 leaves them to the issuer).
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import { StationError } from '../../errors.js';
import { ObjectTag, Tag } from '../constants.js';
import { concatBytes, decodeTlvs, encodeTlv, findTlv } from '../tlv.js';

/** Security Object element tags (Part 1 Table 12). */
export const SecurityObjectTag = {
  MAPPING: 0xba,
  LDS_SECURITY_OBJECT: 0xbb,
} as const;

/** id-sha256 (RFC 5754 §2): the hash of every data group (brief: SHA-256). */
const SHA256_OID = '2.16.840.1.101.3.4.2.1';
/** LDSSecurityObject version v0 (ICAO 9303 Part 10 §4.6.2.2: v0 without ldsVersionInfo). */
const LDS_VERSION_V0 = 0;
/** Bytes per mapping entry: DG number, ContainerID high, ContainerID low. */
const MAPPING_ENTRY_LENGTH = 3;

/** One object the Security Object may cover: its data group number, ContainerID and data object tag. */
export interface DataGroup {
  /** Data group number (1–255, station-assigned, unique). */
  number: number;
  /** ContainerID (Part 1 Table 3), e.g. 0x3001 for Printed Information. */
  containerId: number;
  /** GET DATA tag of the object. */
  tag: number;
}

/**
 * The station's data group numbers: every non-certificate object it writes (Part 1 §3.1.7 asks for
 * at least the unsigned objects — Printed Information — and allows the signed CHUID). Fixed, so the
 * same object has the same number on every card.
 */
export const STATION_DATA_GROUPS = {
  chuid: { number: 1, containerId: 0x3000, tag: ObjectTag.CHUID },
  ccc: { number: 2, containerId: 0xdb00, tag: ObjectTag.CCC },
  printed: { number: 3, containerId: 0x3001, tag: ObjectTag.PRINTED_INFORMATION },
  discovery: { number: 4, containerId: 0x6050, tag: ObjectTag.DISCOVERY },
  keyHistory: { number: 5, containerId: 0x6060, tag: ObjectTag.KEY_HISTORY },
  facial: { number: 6, containerId: 0x6030, tag: ObjectTag.FACIAL_IMAGE },
} as const satisfies Record<string, DataGroup>;

/** GET DATA tag of each ContainerID a Security Object may map (Part 1 Table 3). */
export const CONTAINER_OBJECT_TAG: ReadonlyMap<number, number> = new Map([
  [0xdb00, ObjectTag.CCC],
  [0x3000, ObjectTag.CHUID],
  [0x0101, ObjectTag.CERT_PIV_AUTH],
  [0x6010, ObjectTag.FINGERPRINTS],
  [0x6030, ObjectTag.FACIAL_IMAGE],
  [0x0500, ObjectTag.CERT_CARD_AUTH],
  [0x0100, ObjectTag.CERT_DIGITAL_SIGNATURE],
  [0x0102, ObjectTag.CERT_KEY_MANAGEMENT],
  [0x3001, ObjectTag.PRINTED_INFORMATION],
  [0x6050, ObjectTag.DISCOVERY],
  [0x6060, ObjectTag.KEY_HISTORY],
  [0x1015, ObjectTag.IRIS],
  [0x1016, ObjectTag.BIT_GROUP],
  [0x1017, ObjectTag.SM_CERT_SIGNER],
  [0x1018, ObjectTag.PAIRING_CODE],
]);

/** A data group and the hash of its content. */
export interface DataGroupHash {
  number: number;
  hash: Uint8Array;
}

/** A decoded Security Object. */
export interface SecurityObject {
  /** DG number → ContainerID, in `BA` order. */
  mapping: { number: number; containerId: number }[];
  /** DER CMS SignedData (the `BB` value). */
  signature: Uint8Array;
}

/** SHA-256 of an object's content (what the LDS Security Object records for its data group). */
export function dataGroupHash(content: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(content).digest());
}

/**
 * DER LDSSecurityObject { version v0, hashAlgorithm id-sha256, dataGroupHashValues } (ICAO 9303
 * Part 10 §4.6.2.2). Entries in ascending data group number.
 * @throws StationError INVALID_INPUT when fewer than 2 groups (ICAO: SIZE(2..ub-DataGroups)) or a number repeats
 */
export function encodeLdsSecurityObject(groups: DataGroupHash[]): Uint8Array {
  const sorted = [...groups].sort((a, b) => a.number - b.number);
  if (sorted.length < 2) throw new StationError('INVALID_INPUT', 'The Security Object must cover at least two data objects.');
  if (new Set(sorted.map((g) => g.number)).size !== sorted.length) {
    throw new StationError('INVALID_INPUT', 'The Security Object data group numbers must be unique.');
  }
  const seq = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: LDS_VERSION_V0 }),
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: SHA256_OID })] }),
      new asn1js.Sequence({
        value: sorted.map(
          (g) =>
            new asn1js.Sequence({
              value: [new asn1js.Integer({ value: g.number }), new asn1js.OctetString({ valueHex: Uint8Array.from(g.hash).buffer })],
            }),
        ),
      }),
    ],
  });
  return new Uint8Array(seq.toBER(false));
}

function malformed(what: string): StationError {
  return new StationError('MALFORMED_RESPONSE', `The card's Security Object ${what}.`);
}

/**
 * Decodes a DER LDSSecurityObject.
 * @returns the data group hashes
 * @throws StationError MALFORMED_RESPONSE when it is not v0 with SHA-256 hashes
 */
export function decodeLdsSecurityObject(der: Uint8Array): DataGroupHash[] {
  try {
    return readLdsSecurityObject(der);
  } catch (e) {
    // asn1js throws its own errors on some malformed values (OIDs, integers): never let their text out.
    if (e instanceof StationError) throw e;
    throw malformed('content is not an LDS Security Object');
  }
}

function readLdsSecurityObject(der: Uint8Array): DataGroupHash[] {
  const parsed = asn1js.fromBER(Uint8Array.from(der).buffer);
  const root = parsed.result;
  if (parsed.offset === -1 || !(root instanceof asn1js.Sequence)) throw malformed('content is not an LDS Security Object');
  const [version, alg, hashes] = root.valueBlock.value;
  if (!(version instanceof asn1js.Integer) || version.valueBlock.valueDec !== LDS_VERSION_V0) throw malformed('has an unknown version');
  const algOid = alg instanceof asn1js.Sequence ? alg.valueBlock.value[0] : undefined;
  if (!(algOid instanceof asn1js.ObjectIdentifier) || algOid.valueBlock.toString() !== SHA256_OID) throw malformed('does not use SHA-256');
  if (!(hashes instanceof asn1js.Sequence)) throw malformed('has no data group hashes');
  return hashes.valueBlock.value.map((entry) => {
    const [n, h] = entry instanceof asn1js.Sequence ? entry.valueBlock.value : [];
    if (!(n instanceof asn1js.Integer) || !(h instanceof asn1js.OctetString)) throw malformed('has a malformed data group hash');
    return { number: n.valueBlock.valueDec, hash: new Uint8Array(h.valueBlock.valueHexView) };
  });
}

/**
 * Encodes the Security Object content (inside `53`): `BA` mapping, `BB` signature, `FE 00`.
 * @throws StationError INVALID_INPUT when a DG number or ContainerID does not fit its byte(s)
 */
export function encodeSecurityObject(so: SecurityObject): Uint8Array {
  const mapping = so.mapping.map(({ number, containerId }) => {
    if (!Number.isInteger(number) || number < 1 || number > 0xff || !Number.isInteger(containerId) || containerId < 0 || containerId > 0xffff) {
      throw new StationError('INVALID_INPUT', 'A Security Object mapping entry is out of range.', { number, containerId });
    }
    return Uint8Array.of(number, containerId >> 8, containerId & 0xff);
  });
  return concatBytes(
    encodeTlv(SecurityObjectTag.MAPPING, ...mapping),
    encodeTlv(SecurityObjectTag.LDS_SECURITY_OBJECT, so.signature),
    encodeTlv(Tag.ERROR_DETECTION_CODE),
  );
}

/**
 * Decodes Security Object content.
 * @throws StationError MALFORMED_RESPONSE when `BA` or `BB` is missing or `BA` is not whole entries
 */
export function decodeSecurityObject(b: Uint8Array): SecurityObject {
  const tlvs = decodeTlvs(b);
  const map = findTlv(tlvs, SecurityObjectTag.MAPPING);
  const signature = findTlv(tlvs, SecurityObjectTag.LDS_SECURITY_OBJECT);
  if (!map || map.length % MAPPING_ENTRY_LENGTH !== 0) throw malformed('has no valid data group mapping (BA)');
  if (!signature || signature.length === 0) throw malformed('has no signed LDS Security Object (BB)');
  const mapping: SecurityObject['mapping'] = [];
  for (let i = 0; i < map.length; i += MAPPING_ENTRY_LENGTH) {
    mapping.push({ number: map[i]!, containerId: (map[i + 1]! << 8) | map[i + 2]! });
  }
  return { mapping, signature: signature.slice() };
}

/**
 * Builds the Security Object over `objects` (each with the exact content on the card): maps each
 * data group to its ContainerID, hashes the content, and has `sign` wrap the LDS Security Object.
 *
 * @param sign returns the CMS SignedData over the DER LDSSecurityObject (the content signer)
 * @throws StationError INVALID_INPUT (see encodeLdsSecurityObject / encodeSecurityObject)
 */
export async function buildSecurityObject(
  objects: { group: DataGroup; content: Uint8Array }[],
  sign: (lds: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const sorted = [...objects].sort((a, b) => a.group.number - b.group.number);
  const lds = encodeLdsSecurityObject(sorted.map((o) => ({ number: o.group.number, hash: dataGroupHash(o.content) })));
  const signature = await sign(lds);
  return encodeSecurityObject({ mapping: sorted.map((o) => ({ number: o.group.number, containerId: o.group.containerId })), signature });
}
