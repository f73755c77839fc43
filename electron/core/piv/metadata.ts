/**
 * GET METADATA (INS F7) responses, a YubiKey PIV extension (firmware ≥ 5.3;
 * yubikit/piv.py `get_*_metadata`; piv-reference §2). Tags `01` algorithm,
 * `02` policy (PIN policy, touch policy), `03` origin, `04` public key as the
 * content of 7F49, `05` is-default, `06` retries (total, remaining).
 */
import { StationError } from '../errors.js';
import { Alg, MetadataTag, type KeyAlgorithm, type ManagementKeyAlgorithm } from './constants.js';
import { publicKeyFromTemplate, type CardPublicKey } from './public-key.js';
import { decodeTlvs, findTlv } from './tlv.js';

/** Algorithm byte the card reports for PIN and PUK references. */
export const METADATA_ALG_PIN = 0xff;

/** PIN policy byte values (YubiKey: 0 default, 1 never, 2 once, 3 always, 4/5 biometric match). */
export const PIN_POLICY_NAMES = ['default', 'never', 'once', 'always', 'match-once', 'match-always'] as const;
/** Touch policy byte values (YubiKey: 0 default, 1 never, 2 always, 3 cached). */
export const TOUCH_POLICY_NAMES = ['default', 'never', 'always', 'cached'] as const;
/** Origin byte values: 1 generated on card, 2 imported. */
const ORIGIN_GENERATED = 0x01;
const ORIGIN_IMPORTED = 0x02;
/** Boolean true byte of tag 05. */
const IS_DEFAULT_TRUE = 0x01;

export type PinPolicy = (typeof PIN_POLICY_NAMES)[number] | 'unknown';
export type TouchPolicy = (typeof TOUCH_POLICY_NAMES)[number] | 'unknown';

/** What the card says about one key reference (slot key, 9B, PIN or PUK). */
export interface KeyMetadata {
  /** Decoded algorithm; 'PIN' for PIN/PUK (byte FF); 'other' for algorithms the station does not use. */
  algorithm: KeyAlgorithm | ManagementKeyAlgorithm | 'PIN' | 'other';
  /** The raw algorithm byte (SP 800-78-4 Table 6-2 / YubiKey). */
  algorithmId: number;
  pinPolicy?: PinPolicy;
  touchPolicy?: TouchPolicy;
  /** Where an asymmetric key came from. */
  origin?: 'generated' | 'imported';
  /** The public key of an asymmetric slot key (tag 04). */
  publicKey?: CardPublicKey;
  /** True when a PIN, PUK or management key still holds its factory value. */
  isDefault?: boolean;
  /** Retry counter of a PIN or PUK. */
  retries?: { total: number; remaining: number };
}

const ALG_BY_ID: ReadonlyMap<number, KeyAlgorithm | ManagementKeyAlgorithm> = new Map<
  number,
  KeyAlgorithm | ManagementKeyAlgorithm
>([
  [Alg.TDEA_3KEY, 'TDEA'],
  [Alg.AES_128, 'AES128'],
  [Alg.AES_192, 'AES192'],
  [Alg.AES_256, 'AES256'],
  [Alg.RSA_2048, 'RSA2048'],
  [Alg.ECC_P256, 'P256'],
  [Alg.ECC_P384, 'P384'],
]);

function malformed(why: string): StationError {
  return new StationError('MALFORMED_RESPONSE', `The card returned unusable key metadata (${why}).`);
}

function isKeyAlgorithm(a: string): a is KeyAlgorithm {
  return a === 'RSA2048' || a === 'P256' || a === 'P384';
}

/**
 * Parses a GET METADATA response body.
 * @throws StationError MALFORMED_RESPONSE when tag 01 is missing or a field has the wrong size
 */
export function parseKeyMetadata(body: Uint8Array): KeyMetadata {
  const tlvs = decodeTlvs(body);
  const alg = findTlv(tlvs, MetadataTag.ALGORITHM);
  if (!alg || alg.length !== 1) throw malformed('algorithm missing');
  const algorithmId = alg[0]!;
  const algorithm = algorithmId === METADATA_ALG_PIN ? 'PIN' : (ALG_BY_ID.get(algorithmId) ?? 'other');
  const md: KeyMetadata = { algorithm, algorithmId };

  const policy = findTlv(tlvs, MetadataTag.POLICY);
  if (policy) {
    if (policy.length !== 2) throw malformed('policy is not 2 bytes');
    md.pinPolicy = PIN_POLICY_NAMES[policy[0]!] ?? 'unknown';
    md.touchPolicy = TOUCH_POLICY_NAMES[policy[1]!] ?? 'unknown';
  }
  const origin = findTlv(tlvs, MetadataTag.ORIGIN);
  if (origin) {
    if (origin.length !== 1) throw malformed('origin is not 1 byte');
    if (origin[0] === ORIGIN_GENERATED) md.origin = 'generated';
    else if (origin[0] === ORIGIN_IMPORTED) md.origin = 'imported';
  }
  const publicKey = findTlv(tlvs, MetadataTag.PUBLIC_KEY);
  if (publicKey && publicKey.length > 0 && isKeyAlgorithm(algorithm)) {
    md.publicKey = publicKeyFromTemplate(algorithm, publicKey);
  }
  const isDefault = findTlv(tlvs, MetadataTag.IS_DEFAULT);
  if (isDefault) {
    if (isDefault.length !== 1) throw malformed('default flag is not 1 byte');
    md.isDefault = isDefault[0] === IS_DEFAULT_TRUE;
  }
  const retries = findTlv(tlvs, MetadataTag.RETRIES);
  if (retries) {
    if (retries.length !== 2) throw malformed('retries are not 2 bytes');
    md.retries = { total: retries[0]!, remaining: retries[1]! };
  }
  return md;
}
