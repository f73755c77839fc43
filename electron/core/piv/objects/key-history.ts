/**
 * Key History object, 5FC10C (SP 800-73-4 Part 1 §3.3.3, Table 19):
 * `C1 01 <keys with on-card certs>`, `C2 01 <keys with off-card certs>`,
 * `F3 <offCardCertURL>` (present iff the off-card count is non-zero), `FE 00`.
 */
import { StationError } from '../../errors.js';
import { Tag } from '../constants.js';
import { concatBytes, decodeTlvs, encodeTlv, findTlv } from '../tlv.js';

/** Key History element tags (Table 19). */
export const KeyHistoryTag = { ON_CARD_CERTS: 0xc1, OFF_CARD_CERTS: 0xc2, OFF_CARD_CERT_URL: 0xf3 } as const;
/** At most 20 retired key management keys (references 82–95). */
export const MAX_RETIRED_KEYS = 20;

/** Decoded Key History. */
export interface KeyHistory {
  onCard: number;
  offCard: number;
  url?: string;
}

function checkCount(n: number, field: string): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_RETIRED_KEYS) {
    throw new StationError('INVALID_INPUT', 'Retired key counts must be between 0 and 20.', { field });
  }
}

/**
 * Encodes the Key History content (inside `53`).
 * @param onCard retired keys whose certificates are on the card
 * @param offCard retired keys whose certificates are only at `url`
 * @param url required iff offCard > 0 (`http://<host>/<hex SHA-256 of the key history file>`)
 * @throws StationError INVALID_INPUT on counts outside 0–20, on/off total > 20, or a URL present/absent wrongly
 */
export function encodeKeyHistory(onCard: number, offCard: number, url?: string): Uint8Array {
  checkCount(onCard, 'onCard');
  checkCount(offCard, 'offCard');
  if (onCard + offCard > MAX_RETIRED_KEYS) {
    throw new StationError('INVALID_INPUT', 'A card holds at most 20 retired keys.', { field: 'offCard' });
  }
  if ((offCard > 0) !== (url !== undefined && url.length > 0)) {
    throw new StationError('INVALID_INPUT', 'The off-card certificate URL is required exactly when off-card keys exist.', {
      field: 'url',
    });
  }
  const parts = [
    encodeTlv(KeyHistoryTag.ON_CARD_CERTS, Uint8Array.of(onCard)),
    encodeTlv(KeyHistoryTag.OFF_CARD_CERTS, Uint8Array.of(offCard)),
  ];
  if (url) parts.push(encodeTlv(KeyHistoryTag.OFF_CARD_CERT_URL, new TextEncoder().encode(url)));
  parts.push(encodeTlv(Tag.ERROR_DETECTION_CODE));
  return concatBytes(...parts);
}

/**
 * Decodes Key History content.
 * @throws StationError MALFORMED_RESPONSE when a count is missing
 */
export function decodeKeyHistory(b: Uint8Array): KeyHistory {
  const tlvs = decodeTlvs(b);
  const on = findTlv(tlvs, KeyHistoryTag.ON_CARD_CERTS);
  const off = findTlv(tlvs, KeyHistoryTag.OFF_CARD_CERTS);
  if (on?.length !== 1 || off?.length !== 1) {
    throw new StationError('MALFORMED_RESPONSE', "The card's Key History object lacks its key counts.");
  }
  const kh: KeyHistory = { onCard: on[0]!, offCard: off[0]! };
  const url = findTlv(tlvs, KeyHistoryTag.OFF_CARD_CERT_URL);
  if (url && url.length > 0) kh.url = new TextDecoder().decode(url);
  return kh;
}
