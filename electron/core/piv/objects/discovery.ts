/**
 * Discovery object, tag 7E (SP 800-73-4 Part 1 §3.3.2, Table 18):
 * `7E { 4F <PIV AID>, 5F2F <PIN usage policy, 2 bytes> }`. GET/PUT DATA
 * carry this TLV itself, without a `53` wrapper.
 */
import { StationError } from '../../errors.js';
import { ObjectTag, PIV_AID, Tag } from '../constants.js';
import { decodeTlvs, encodeTlv, findTlv, unwrapTlv } from '../tlv.js';

/** PIN Usage Policy tag (Table 18). */
export const PIN_USAGE_POLICY_TAG = 0x5f2f;
/** First policy byte: bit 0x40 "the PIV Card Application PIN satisfies the PIV ACRs" (always set). */
export const PIN_POLICY_PIV_PIN = 0x40;
/** Second policy byte when there is no global PIN. */
export const PIN_POLICY_NO_GLOBAL_PIN = 0x00;

/** Decoded Discovery object. */
export interface Discovery {
  aid: Uint8Array;
  /** The two PIN usage policy bytes. */
  pinUsagePolicy: [number, number];
}

/**
 * The Discovery TLV for a simple card: PIV PIN only, no global PIN, no OCC, no VCI
 * (`7E 12 4F 0B A0…01 00 5F 2F 02 40 00`). Pass it as is to PUT DATA 7E.
 */
export function encodeDiscovery(): Uint8Array {
  return encodeTlv(
    ObjectTag.DISCOVERY,
    encodeTlv(Tag.APT_AID, PIV_AID),
    encodeTlv(PIN_USAGE_POLICY_TAG, Uint8Array.of(PIN_POLICY_PIV_PIN, PIN_POLICY_NO_GLOBAL_PIN)),
  );
}

/**
 * Decodes the whole `7E` TLV (as GET DATA 7E returns it).
 * @throws StationError MALFORMED_RESPONSE when the AID or policy is missing
 */
export function decodeDiscovery(b: Uint8Array): Discovery {
  const tlvs = decodeTlvs(unwrapTlv(b, ObjectTag.DISCOVERY));
  const aid = findTlv(tlvs, Tag.APT_AID);
  const policy = findTlv(tlvs, PIN_USAGE_POLICY_TAG);
  if (!aid || !policy || policy.length !== 2) {
    throw new StationError('MALFORMED_RESPONSE', "The card's Discovery object lacks its AID or PIN policy.");
  }
  return { aid: aid.slice(), pinUsagePolicy: [policy[0]!, policy[1]!] };
}
