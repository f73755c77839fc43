/**
 * What a card holds before anyone personalized it: the Discovery object, and
 * on cards delivered "ready to personalize" an unsigned CHUID with an
 * all-zero FASC-N, a CCC and an empty Key History (as observed on an
 * independent applet, issue 9; its documented `status` output shows
 * `CHUID: 3019 00…00 3410 <GUID> 3508 "20500101" 3E00 FE00` and the common CCC
 * template). Built here from the SP 800-73-4 Part 1 tables, not with the
 * station's encoders: the card must not agree with the station by construction.
 */
import { randomBytes } from 'node:crypto';
import { ObjectTag, Tag } from '../../electron/core/piv/constants.js';
import { concatBytes, encodeTlv, fromHex, toHex } from '../../electron/core/piv/tlv.js';
import { DEFAULT_DISCOVERY } from './card-constants.js';
import type { FactoryObjects } from './personality.js';
import { objectId } from './state.js';

/** CHUID element tags (73-1 Table 9). */
const ChuidTag = { FASCN: 0x30, GUID: 0x34, EXPIRATION: 0x35, SIGNATURE: 0x3e } as const;
/** FASC-N length (73-1 §3.1.2): 25 bytes; a factory card leaves it all zero. */
const FASCN_LENGTH = 25;
const GUID_LENGTH = 16;
/** Expiration date of a factory CHUID, YYYYMMDD (the observed applet writes 2050-01-01). */
const FACTORY_CHUID_EXPIRATION = '20500101';
/** RFC 4122 version 4, variant 10 bits. */
const UUID_VERSION_BYTE = 6;
const UUID_VARIANT_BYTE = 8;

/** CCC elements (73-1 Table 8) in order; F0 is the card identifier: GSC-IS RID A0 00 00 01 16, manufacturer FF, JavaCard 02, 14 random bytes. */
const CCC_CARD_IDENTIFIER_PREFIX = fromHex('A000000116FF02');
const CCC_RANDOM_LENGTH = 14;
const CCC_AFTER_IDENTIFIER = fromHex('F10121F20121F300F40100F50110F600F700FA00FB00FC00FD00FE00');

/** Key History with no retired keys (73-1 Table 19): C1 01 00, C2 01 00, FE 00. */
const EMPTY_KEY_HISTORY = fromHex('C10100C20100FE00');

/** A random RFC 4122 version 4 UUID (16 bytes). */
export function randomUuid(): Uint8Array {
  const b = new Uint8Array(randomBytes(GUID_LENGTH));
  b[UUID_VERSION_BYTE] = (b[UUID_VERSION_BYTE]! & 0x0f) | 0x40;
  b[UUID_VARIANT_BYTE] = (b[UUID_VARIANT_BYTE]! & 0x3f) | 0x80;
  return b;
}

/** A factory CHUID: all-zero FASC-N, a random GUID, expiration 2050-01-01, empty signature, FE 00. */
export function factoryChuid(guid: Uint8Array = randomUuid()): Uint8Array {
  return concatBytes(
    encodeTlv(ChuidTag.FASCN, new Uint8Array(FASCN_LENGTH)),
    encodeTlv(ChuidTag.GUID, guid),
    encodeTlv(ChuidTag.EXPIRATION, new TextEncoder().encode(FACTORY_CHUID_EXPIRATION)),
    encodeTlv(ChuidTag.SIGNATURE),
    encodeTlv(Tag.ERROR_DETECTION_CODE),
  );
}

/** A factory CCC with a random card identifier. */
export function factoryCcc(): Uint8Array {
  const identifier = concatBytes(CCC_CARD_IDENTIFIER_PREFIX, new Uint8Array(randomBytes(CCC_RANDOM_LENGTH)));
  return concatBytes(encodeTlv(0xf0, identifier), CCC_AFTER_IDENTIFIER);
}

/**
 * The objects of a new card (or of one after FB RESET), keyed like `CardState.objects`
 * (tag as uppercase hex → content hex; Discovery holds its whole 7E TLV).
 */
export function factoryObjects(kind: FactoryObjects): Record<string, string> {
  const objects: Record<string, string> = { [objectId(ObjectTag.DISCOVERY)]: toHex(DEFAULT_DISCOVERY) };
  if (kind === 'standard') {
    objects[objectId(ObjectTag.CHUID)] = toHex(factoryChuid());
    objects[objectId(ObjectTag.CCC)] = toHex(factoryCcc());
    objects[objectId(ObjectTag.KEY_HISTORY)] = toHex(EMPTY_KEY_HISTORY);
  }
  return objects;
}
