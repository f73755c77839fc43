/**
 * Card Holder Unique Identifier, object 5FC102 (SP 800-73-4 Part 1 §3.1.2,
 * Table 9): `30` FASC-N, `34` GUID (card UUID), `35` expiration YYYYMMDD,
 * `36` cardholder UUID (optional), `3E` issuer signature (CMS), `FE 00`.
 * Deprecated `EE`, `32`, `33` are tolerated on read and never written.
 */
import { StationError } from '../../errors.js';
import { Tag } from '../constants.js';
import { concatBytes, decodeTlvs, encodeTlv, findTlv } from '../tlv.js';
import { FASCN_LENGTH } from './fascn.js';

/** CHUID element tags (73-1 Table 9). */
export const ChuidTag = {
  BUFFER_LENGTH: 0xee,
  FASCN: 0x30,
  ORGANIZATION_IDENTIFIER: 0x32,
  DUNS: 0x33,
  GUID: 0x34,
  EXPIRATION_DATE: 0x35,
  CARDHOLDER_UUID: 0x36,
  ISSUER_SIGNATURE: 0x3e,
} as const;

/** UUID length in bytes (RFC 4122). */
const UUID_LENGTH = 16;
const EXPIRATION_FORMAT = /^[0-9]{8}$/;

/** A CHUID's content. */
export interface Chuid {
  /** 25-byte FASC-N. */
  fascn: Uint8Array;
  /** 16-byte card UUID. */
  guid: Uint8Array;
  /** Expiration date, ASCII YYYYMMDD. */
  expiration: string;
  /** Optional 16-byte cardholder UUID. */
  cardholderUuid?: Uint8Array;
  /** Issuer asymmetric signature: DER CMS SignedData, may be empty (unsigned). */
  signature: Uint8Array;
}

function invalid(message: string, field: string): StationError {
  return new StationError('INVALID_INPUT', message, { field });
}

function checkFields(c: Omit<Chuid, 'signature'>): void {
  if (c.fascn.length !== FASCN_LENGTH) throw invalid('The CHUID FASC-N must be 25 bytes.', 'fascn');
  if (c.guid.length !== UUID_LENGTH) throw invalid('The CHUID GUID must be 16 bytes.', 'guid');
  if (!EXPIRATION_FORMAT.test(c.expiration)) throw invalid('The CHUID expiration must be YYYYMMDD.', 'expiration');
  if (c.cardholderUuid !== undefined && c.cardholderUuid.length !== UUID_LENGTH) {
    throw invalid('The cardholder UUID must be 16 bytes.', 'cardholderUuid');
  }
}

function elements(c: Omit<Chuid, 'signature'>): Uint8Array[] {
  checkFields(c);
  const parts = [
    encodeTlv(ChuidTag.FASCN, c.fascn),
    encodeTlv(ChuidTag.GUID, c.guid),
    encodeTlv(ChuidTag.EXPIRATION_DATE, new TextEncoder().encode(c.expiration)),
  ];
  if (c.cardholderUuid !== undefined) parts.push(encodeTlv(ChuidTag.CARDHOLDER_UUID, c.cardholderUuid));
  return parts;
}

/**
 * Encodes the CHUID content (what goes inside `53`), elements in Table 9 order, `FE 00` last.
 * @throws StationError INVALID_INPUT on a wrong field size or date format
 */
export function encodeChuid(c: Chuid): Uint8Array {
  return concatBytes(...elements(c), encodeTlv(ChuidTag.ISSUER_SIGNATURE, c.signature), encodeTlv(Tag.ERROR_DETECTION_CODE));
}

/**
 * The bytes the issuer signs: every CHUID TLV except `EE` and `3E`, in order,
 * keeping the trailing `FE 00` (73-1 §3.1.2.1; as GSA CCT and ykman compute them).
 * @throws StationError INVALID_INPUT on a wrong field size or date format
 */
export function chuidSignedBytes(c: Omit<Chuid, 'signature'>): Uint8Array {
  return concatBytes(...elements(c), encodeTlv(Tag.ERROR_DETECTION_CODE));
}

/**
 * Decodes CHUID content. A missing `3E` yields an empty signature.
 * @throws StationError MALFORMED_RESPONSE when FASC-N, GUID or expiration is missing or mis-sized
 */
export function decodeChuid(b: Uint8Array): Chuid {
  const tlvs = decodeTlvs(b);
  const fascn = findTlv(tlvs, ChuidTag.FASCN);
  const guid = findTlv(tlvs, ChuidTag.GUID);
  const expiration = findTlv(tlvs, ChuidTag.EXPIRATION_DATE);
  if (!fascn || fascn.length !== FASCN_LENGTH) throw malformed('FASC-N');
  if (!guid || guid.length !== UUID_LENGTH) throw malformed('GUID');
  const exp = expiration ? new TextDecoder().decode(expiration) : '';
  if (!EXPIRATION_FORMAT.test(exp)) throw malformed('expiration date');
  const chuid: Chuid = {
    fascn: fascn.slice(),
    guid: guid.slice(),
    expiration: exp,
    signature: (findTlv(tlvs, ChuidTag.ISSUER_SIGNATURE) ?? new Uint8Array(0)).slice(),
  };
  const holder = findTlv(tlvs, ChuidTag.CARDHOLDER_UUID);
  if (holder !== undefined) {
    if (holder.length !== UUID_LENGTH) throw malformed('cardholder UUID');
    chuid.cardholderUuid = holder.slice();
  }
  return chuid;
}

function malformed(what: string): StationError {
  return new StationError('MALFORMED_RESPONSE', `The card's CHUID has no valid ${what}.`);
}
