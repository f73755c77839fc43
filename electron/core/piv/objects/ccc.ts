/**
 * Card Capability Container, object 5FC107 (SP 800-73-4 Part 1 §3.1.1,
 * Table 8). Written with the common template of yubico-piv-tool / ykman:
 * every element zero-length except the card identifier, versions 21, and
 * the mandatory data model number `F5 01 10`.
 */
import { randomBytes } from 'node:crypto';
import { StationError } from '../../errors.js';
import { Tag } from '../constants.js';
import { concatBytes, decodeTlvs, encodeTlv, findTlv, fromHex } from '../tlv.js';

/** CCC element tags (73-1 Table 8). */
export const CccTag = {
  CARD_IDENTIFIER: 0xf0,
  CONTAINER_VERSION: 0xf1,
  GRAMMAR_VERSION: 0xf2,
  APPLICATIONS_CARD_URL: 0xf3,
  PKCS15: 0xf4,
  DATA_MODEL_NUMBER: 0xf5,
  ACCESS_CONTROL_RULE_TABLE: 0xf6,
  CARD_APDUS: 0xf7,
  REDIRECTION_TAG: 0xfa,
  CAPABILITY_TUPLES: 0xfb,
  STATUS_TUPLES: 0xfc,
  NEXT_CCC: 0xfd,
} as const;

/** Card identifier length (73-1 Table 8). */
export const CCC_CARD_IDENTIFIER_LENGTH = 21;
/** GSC-IS RID A0 00 00 01 16, manufacturer FF, card type 02 (JavaCard): the identifier's first 7 bytes. */
const CARD_IDENTIFIER_PREFIX = fromHex('A000000116FF02');
/** Container and grammar version 21 (2.1), data model 10 (PIV). */
const VERSION_21 = 0x21;
export const CCC_DATA_MODEL = 0x10;
const PKCS15_NONE = 0x00;

/** Decoded CCC. */
export interface Ccc {
  /** 21-byte card identifier (may be empty on some cards). */
  cardIdentifier: Uint8Array;
  /** Data model number; PIV requires 0x10. */
  dataModelNumber: number;
  /** Container version byte, if present. */
  containerVersion?: number;
  /** Grammar version byte, if present. */
  grammarVersion?: number;
}

/** A fresh card identifier: the fixed 7-byte prefix and 14 random bytes. */
export function newCccCardIdentifier(random: Uint8Array = randomBytes(CCC_CARD_IDENTIFIER_LENGTH - CARD_IDENTIFIER_PREFIX.length)): Uint8Array {
  return concatBytes(CARD_IDENTIFIER_PREFIX, random).subarray(0, CCC_CARD_IDENTIFIER_LENGTH);
}

/**
 * Encodes the CCC content (inside `53`) in Table 8 order, `FE 00` last.
 * @param cardIdentifier 21 bytes (see {@link newCccCardIdentifier})
 * @throws StationError INVALID_INPUT when not 21 bytes
 */
export function encodeCcc(cardIdentifier: Uint8Array): Uint8Array {
  if (cardIdentifier.length !== CCC_CARD_IDENTIFIER_LENGTH) {
    throw new StationError('INVALID_INPUT', 'The CCC card identifier must be 21 bytes.', { field: 'cardIdentifier' });
  }
  const empty = new Uint8Array(0);
  return concatBytes(
    encodeTlv(CccTag.CARD_IDENTIFIER, cardIdentifier),
    encodeTlv(CccTag.CONTAINER_VERSION, Uint8Array.of(VERSION_21)),
    encodeTlv(CccTag.GRAMMAR_VERSION, Uint8Array.of(VERSION_21)),
    encodeTlv(CccTag.APPLICATIONS_CARD_URL, empty),
    encodeTlv(CccTag.PKCS15, Uint8Array.of(PKCS15_NONE)),
    encodeTlv(CccTag.DATA_MODEL_NUMBER, Uint8Array.of(CCC_DATA_MODEL)),
    encodeTlv(CccTag.ACCESS_CONTROL_RULE_TABLE, empty),
    encodeTlv(CccTag.CARD_APDUS, empty),
    encodeTlv(CccTag.REDIRECTION_TAG, empty),
    encodeTlv(CccTag.CAPABILITY_TUPLES, empty),
    encodeTlv(CccTag.STATUS_TUPLES, empty),
    encodeTlv(CccTag.NEXT_CCC, empty),
    encodeTlv(Tag.ERROR_DETECTION_CODE, empty),
  );
}

/**
 * Decodes CCC content.
 * @throws StationError MALFORMED_RESPONSE when the data model number is missing
 */
export function decodeCcc(b: Uint8Array): Ccc {
  const tlvs = decodeTlvs(b);
  const model = findTlv(tlvs, CccTag.DATA_MODEL_NUMBER);
  if (!model || model.length !== 1) {
    throw new StationError('MALFORMED_RESPONSE', "The card's CCC has no data model number.");
  }
  const ccc: Ccc = {
    cardIdentifier: (findTlv(tlvs, CccTag.CARD_IDENTIFIER) ?? new Uint8Array(0)).slice(),
    dataModelNumber: model[0]!,
  };
  const cv = findTlv(tlvs, CccTag.CONTAINER_VERSION);
  if (cv?.length === 1) ccc.containerVersion = cv[0]!;
  const gv = findTlv(tlvs, CccTag.GRAMMAR_VERSION);
  if (gv?.length === 1) ccc.grammarVersion = gv[0]!;
  return ccc;
}
