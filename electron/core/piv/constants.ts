/**
 * Named bytes of the PIV card edge. Call sites use these names, never bare
 * numbers. Sources: SP 800-73-4 Part 1 Tables 2–5, Part 2 §3 Tables 3–10;
 * SP 800-78-4 Table 6-2 (algorithm identifiers); YubiKey PIV extensions as
 * used by Yubico/yubikey-manager yubikit/piv.py (INS F7–FF).
 */

/** PIV application identifier (SP 800-73-4 Part 1 §2.2): RID A0 00 00 03 08, PIX 00 00 10 00, version 01 00. */
export const PIV_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00);
/** The PIX with version, as a YubiKey returns it in the APT's 4F. */
export const PIV_PIX_VERSION = Uint8Array.of(0x00, 0x00, 0x10, 0x00, 0x01, 0x00);
/** The registered application provider identifier (first 5 AID bytes). */
export const PIV_RID = PIV_AID.subarray(0, 5);

/** Instruction bytes. SP 800-73-4 Part 2 Table 2 plus the YubiKey extensions. */
export const Ins = {
  SELECT: 0xa4,
  GET_DATA: 0xcb,
  PUT_DATA: 0xdb,
  VERIFY: 0x20,
  CHANGE_REFERENCE_DATA: 0x24,
  RESET_RETRY_COUNTER: 0x2c,
  GENERAL_AUTHENTICATE: 0x87,
  GENERATE_ASYMMETRIC_KEY_PAIR: 0x47,
  GET_RESPONSE: 0xc0,
  // YubiKey PIV extensions
  GET_VERSION: 0xfd,
  GET_SERIAL: 0xf8,
  GET_METADATA: 0xf7,
  SET_MANAGEMENT_KEY: 0xff,
  IMPORT_KEY: 0xfe,
  RESET: 0xfb,
  SET_PIN_RETRIES: 0xfa,
  ATTEST: 0xf9,
  MOVE_KEY: 0xf6,
} as const;

/** CLA values: interindustry, and command chaining (bit 5) for all but the last block. */
export const Cla = { PLAIN: 0x00, CHAIN: 0x10 } as const;

/** Key references (SP 800-73-4 Part 1 Table 4b). */
export const KeyRef = {
  PIN: 0x80,
  PUK: 0x81,
  GLOBAL_PIN: 0x00,
  MANAGEMENT: 0x9b,
  PIV_AUTHENTICATION: 0x9a,
  DIGITAL_SIGNATURE: 0x9c,
  KEY_MANAGEMENT: 0x9d,
  CARD_AUTHENTICATION: 0x9e,
  /** Retired key management key 1; retired keys 1–20 are 82–95. */
  RETIRED_1: 0x82,
  ATTESTATION: 0xf9,
} as const;

/** The four PIV key slots the station personalizes. */
export type PivSlot = '9A' | '9C' | '9D' | '9E';
/** Slots in the order production handles them. */
export const PIV_SLOTS: readonly PivSlot[] = ['9A', '9C', '9D', '9E'];
/** Key reference byte of a slot. */
export const SLOT_KEY_REF: Record<PivSlot, number> = { '9A': 0x9a, '9C': 0x9c, '9D': 0x9d, '9E': 0x9e };

/** Cryptographic mechanism identifiers (SP 800-78-4 Table 6-2; YubiKey uses 03 for 3DES). */
export const Alg = {
  TDEA_3KEY: 0x03,
  TDEA_3KEY_ALT: 0x00,
  AES_128: 0x08,
  AES_192: 0x0a,
  AES_256: 0x0c,
  RSA_1024: 0x06,
  RSA_2048: 0x07,
  ECC_P256: 0x11,
  ECC_P384: 0x14,
} as const;

/** Asymmetric algorithms the station generates on card. */
export type KeyAlgorithm = 'RSA2048' | 'P256' | 'P384';
/** Management key algorithms. */
export type ManagementKeyAlgorithm = 'TDEA' | 'AES128' | 'AES192' | 'AES256';

/** Names of the asymmetric algorithms as SP 800-78-4 writes them, for sentences. */
export const KEY_ALGORITHM_NAMES: Record<KeyAlgorithm, string> = { RSA2048: 'RSA-2048', P256: 'P-256', P384: 'P-384' };
/** Mechanism byte for an asymmetric algorithm. */
export const KEY_ALG_ID: Record<KeyAlgorithm, number> = { RSA2048: Alg.RSA_2048, P256: Alg.ECC_P256, P384: Alg.ECC_P384 };
/** Mechanism byte for a management key algorithm. */
export const MGMT_ALG_ID: Record<ManagementKeyAlgorithm, number> = {
  TDEA: Alg.TDEA_3KEY,
  AES128: Alg.AES_128,
  AES192: Alg.AES_192,
  AES256: Alg.AES_256,
};
/** Management key length in bytes. */
export const MGMT_KEY_LENGTH: Record<ManagementKeyAlgorithm, number> = { TDEA: 24, AES128: 16, AES192: 24, AES256: 32 };

/** Data object tags (SP 800-73-4 Part 1 Table 3), as the 3-byte (or 1/2-byte) BER tag. */
export const ObjectTag = {
  CCC: 0x5fc107,
  CHUID: 0x5fc102,
  CERT_PIV_AUTH: 0x5fc105, // 9A
  FINGERPRINTS: 0x5fc103,
  SECURITY_OBJECT: 0x5fc106,
  FACIAL_IMAGE: 0x5fc108,
  CERT_CARD_AUTH: 0x5fc101, // 9E
  CERT_DIGITAL_SIGNATURE: 0x5fc10a, // 9C
  CERT_KEY_MANAGEMENT: 0x5fc10b, // 9D
  PRINTED_INFORMATION: 0x5fc109,
  DISCOVERY: 0x7e,
  KEY_HISTORY: 0x5fc10c,
  /** Retired key management key 1 (82); retired keys 1–20 use 5FC10D–5FC120 in order. */
  CERT_RETIRED_1: 0x5fc10d,
  IRIS: 0x5fc121,
  BIT_GROUP: 0x7f61,
  SM_CERT_SIGNER: 0x5fc122,
  PAIRING_CODE: 0x5fc123,
  YUBICO_ADMIN_DATA: 0x5fff00,
  YUBICO_ATTESTATION_CERT: 0x5fff01,
} as const;

/** The certificate container of each slot (Part 1 Table 3). */
export const SLOT_CERT_OBJECT: Record<PivSlot, number> = {
  '9A': ObjectTag.CERT_PIV_AUTH,
  '9C': ObjectTag.CERT_DIGITAL_SIGNATURE,
  '9D': ObjectTag.CERT_KEY_MANAGEMENT,
  '9E': ObjectTag.CERT_CARD_AUTH,
};

/**
 * The container capacity, in bytes of content, every PIV card provides for
 * each object (SP 800-73-4 Part 1 Table 3, "Container Minimum Capacity"). No
 * standard command reads a card's real limit, so these are the sizes the
 * station can count on.
 */
export const OBJECT_MIN_CAPACITY: ReadonlyMap<number, number> = new Map([
  [ObjectTag.CCC, 287],
  [ObjectTag.CHUID, 2916],
  [ObjectTag.CERT_PIV_AUTH, 1905],
  [ObjectTag.FINGERPRINTS, 4006],
  [ObjectTag.SECURITY_OBJECT, 1336],
  [ObjectTag.FACIAL_IMAGE, 12710],
  [ObjectTag.CERT_CARD_AUTH, 1905],
  [ObjectTag.CERT_DIGITAL_SIGNATURE, 1905],
  [ObjectTag.CERT_KEY_MANAGEMENT, 1905],
  [ObjectTag.PRINTED_INFORMATION, 245],
  [ObjectTag.DISCOVERY, 19],
  [ObjectTag.KEY_HISTORY, 128],
  [ObjectTag.IRIS, 7106],
  [ObjectTag.BIT_GROUP, 65],
  [ObjectTag.SM_CERT_SIGNER, 2471],
  [ObjectTag.PAIRING_CODE, 12],
]);

/** Object tags that need the PIN to read over the contact interface (Part 1 Table 3). */
export const PIN_PROTECTED_OBJECTS: ReadonlySet<number> = new Set([
  ObjectTag.FINGERPRINTS,
  ObjectTag.FACIAL_IMAGE,
  ObjectTag.PRINTED_INFORMATION,
  ObjectTag.IRIS,
  ObjectTag.PAIRING_CODE,
]);

/** TLV tags used inside commands and responses (Part 2 Tables 5, 7; Part 1 Tables 8–10). */
export const Tag = {
  // GET DATA / PUT DATA
  TAG_LIST: 0x5c,
  DATA: 0x53,
  // SELECT response (APT)
  APT: 0x61,
  APT_AID: 0x4f,
  APT_ALLOCATION_AUTHORITY: 0x79,
  APT_LABEL: 0x50,
  APT_URL: 0x5f50,
  APT_ALGORITHMS: 0xac,
  // GENERAL AUTHENTICATE dynamic authentication template
  DYNAMIC_AUTH: 0x7c,
  WITNESS: 0x80,
  CHALLENGE: 0x81,
  RESPONSE: 0x82,
  EXPONENTIATION: 0x85,
  // GENERATE ASYMMETRIC KEY PAIR
  CONTROL_REFERENCE: 0xac,
  MECHANISM: 0x80,
  PARAMETER: 0x81,
  PIN_POLICY: 0xaa,
  TOUCH_POLICY: 0xab,
  PUBLIC_KEY: 0x7f49,
  RSA_MODULUS: 0x81,
  RSA_EXPONENT: 0x82,
  EC_POINT: 0x86,
  // Certificate container (Part 1 Tables 10, 15–17)
  CERTIFICATE: 0x70,
  CERT_INFO: 0x71,
  MSCUID: 0x72,
  ERROR_DETECTION_CODE: 0xfe,
} as const;

/** Tags of GET METADATA responses (YubiKey extension; yubikit/piv.py). */
export const MetadataTag = {
  ALGORITHM: 0x01,
  POLICY: 0x02,
  ORIGIN: 0x03,
  PUBLIC_KEY: 0x04,
  IS_DEFAULT: 0x05,
  RETRIES: 0x06,
} as const;

/** Status words (SP 800-73-4 Part 1 Table 6; YubiKey additions). */
export const Sw = {
  SUCCESS: 0x9000,
  WARNING_VERIFY_FAILED: 0x6300,
  WRONG_LENGTH: 0x6700,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  DATA_INVALID: 0x6984,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  INCORRECT_DATA: 0x6a80,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  NOT_ENOUGH_MEMORY: 0x6a84,
  INCORRECT_P1P2: 0x6a86,
  REFERENCE_NOT_FOUND: 0x6a88,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

/** Factory defaults of YubiKey-compatible cards (yubikit tests/device/test_piv.py). */
export const FactoryDefaults = {
  PIN: '123456',
  PUK: '12345678',
  /** 010203040506070801020304050607080102030405060708: 3DES before firmware 5.7, AES-192 from 5.7. */
  MANAGEMENT_KEY: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8),
  PIN_RETRIES: 3,
  PUK_RETRIES: 3,
} as const;
