/**
 * GET METADATA (INS F7) responses, a YubiKey PIV extension (firmware ≥ 5.3;
 * yubikit/piv.py `get_*_metadata`; piv-reference §2). Tags `01` algorithm,
 * `02` policy (PIN policy, touch policy), `03` origin, `04` public key as the
 * content of 7F49, `05` is-default, `06` retries (total, remaining).
 */
import { isStationError, StationError } from '../errors.js';
import { Alg, MetadataTag, Tag, type KeyAlgorithm, type ManagementKeyAlgorithm } from './constants.js';
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

/**
 * What the card says about one key reference (slot key, 9B, PIN or PUK).
 * Every field may be absent: a card answers with the tags it has, in the
 * lengths it has. Absent (or of a size the station cannot read) means
 * *unknown*, never a default value.
 */
export interface KeyMetadata {
  /** Decoded algorithm; 'PIN' for PIN/PUK (byte FF); 'other' for algorithms the station does not use. */
  algorithm?: KeyAlgorithm | ManagementKeyAlgorithm | 'PIN' | 'other';
  /** The raw algorithm byte (SP 800-78-4 Table 6-2 / YubiKey). */
  algorithmId?: number;
  pinPolicy?: PinPolicy;
  touchPolicy?: TouchPolicy;
  /** Where an asymmetric key came from. */
  origin?: 'generated' | 'imported';
  /** The public key of an asymmetric slot key (tag 04). */
  publicKey?: CardPublicKey;
  /** True when a PIN, PUK or management key still holds its factory value; absent when the card does not say. */
  isDefault?: boolean;
  /** Retry counter of a PIN or PUK. */
  retries?: { total: number; remaining: number };
}

const ALG_BY_ID: ReadonlyMap<number, KeyAlgorithm | ManagementKeyAlgorithm> = new Map<
  number,
  KeyAlgorithm | ManagementKeyAlgorithm
>([
  [Alg.TDEA_3KEY, 'TDEA'],
  [Alg.TDEA_3KEY_ALT, 'TDEA'],
  [Alg.AES_128, 'AES128'],
  [Alg.AES_192, 'AES192'],
  [Alg.AES_256, 'AES256'],
  [Alg.RSA_2048, 'RSA2048'],
  [Alg.ECC_P256, 'P256'],
  [Alg.ECC_P384, 'P384'],
]);

/** Algorithm name of a mechanism byte (SP 800-78-4 Table 6-2), or 'other'. */
export function algorithmOfId(id: number): KeyAlgorithm | ManagementKeyAlgorithm | 'other' {
  return ALG_BY_ID.get(id) ?? 'other';
}

function isKeyAlgorithm(a: string | undefined): a is KeyAlgorithm {
  return a === 'RSA2048' || a === 'P256' || a === 'P384';
}

/** EC point length (04 ‖ X ‖ Y) → curve, and RSA modulus length → algorithm, to read a 7F49 content without tag 01. */
const EC_BY_POINT_LENGTH: ReadonlyMap<number, KeyAlgorithm> = new Map([
  [65, 'P256'],
  [97, 'P384'],
]);
const RSA2048_MODULUS_LENGTH = 256;

/** The algorithm a public key template (content of 7F49) shows by its shape, when the card named none. */
function algorithmOfTemplate(template: Uint8Array): KeyAlgorithm | undefined {
  let tlvs;
  try {
    tlvs = decodeTlvs(template);
  } catch {
    return undefined;
  }
  const point = findTlv(tlvs, Tag.EC_POINT);
  if (point) return EC_BY_POINT_LENGTH.get(point.length);
  const modulus = findTlv(tlvs, Tag.RSA_MODULUS);
  const unpadded = modulus && modulus[0] === 0 ? modulus.subarray(1) : modulus;
  return unpadded?.length === RSA2048_MODULUS_LENGTH ? 'RSA2048' : undefined;
}

/**
 * Parses a GET METADATA response body by its TLV structure. Any field may be
 * missing; a field whose length the station cannot read is left out (unknown),
 * like a public key it cannot decode.
 * @throws StationError MALFORMED_RESPONSE only when the body is not BER-TLV at all
 */
export function parseKeyMetadata(body: Uint8Array): KeyMetadata {
  let tlvs;
  try {
    tlvs = decodeTlvs(body);
  } catch {
    throw new StationError('MALFORMED_RESPONSE', 'The card returned key metadata that is not BER-TLV.');
  }
  const field = (tag: number, length: number): Uint8Array | undefined => {
    const v = findTlv(tlvs, tag);
    return v && v.length === length ? v : undefined;
  };
  const md: KeyMetadata = {};
  const alg = field(MetadataTag.ALGORITHM, 1);
  if (alg) {
    md.algorithmId = alg[0]!;
    md.algorithm = alg[0] === METADATA_ALG_PIN ? 'PIN' : algorithmOfId(alg[0]!);
  }
  const policy = field(MetadataTag.POLICY, 2);
  if (policy) {
    md.pinPolicy = PIN_POLICY_NAMES[policy[0]!] ?? 'unknown';
    md.touchPolicy = TOUCH_POLICY_NAMES[policy[1]!] ?? 'unknown';
  }
  const origin = field(MetadataTag.ORIGIN, 1);
  if (origin?.[0] === ORIGIN_GENERATED) md.origin = 'generated';
  else if (origin?.[0] === ORIGIN_IMPORTED) md.origin = 'imported';
  const template = findTlv(tlvs, MetadataTag.PUBLIC_KEY);
  if (template && template.length > 0) {
    const keyAlg = isKeyAlgorithm(md.algorithm) ? md.algorithm : algorithmOfTemplate(template);
    if (keyAlg) {
      try {
        md.publicKey = publicKeyFromTemplate(keyAlg, template);
      } catch (e) {
        if (!isStationError(e, 'MALFORMED_RESPONSE')) throw e;
      }
    }
  }
  const isDefault = field(MetadataTag.IS_DEFAULT, 1);
  if (isDefault) md.isDefault = isDefault[0] === IS_DEFAULT_TRUE;
  const retries = field(MetadataTag.RETRIES, 2);
  if (retries) md.retries = { total: retries[0]!, remaining: retries[1]! };
  return md;
}
