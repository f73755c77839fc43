/**
 * Named bytes the virtual card needs beyond electron/core/piv/constants.ts.
 * Sources: ISO/IEC 7816-3 §8 (ATR), SP 800-73-4 Part 1 Table 6 (status words),
 * YubiKey PIV extensions (yubikit/piv.py: PIN/touch policy, origin, metadata tags).
 */

/**
 * Answer-to-reset: 3B (direct convention), T0 = 88 (TD1 present, 8 historical
 * bytes), TD1 = 80 (TD2 present, T=0), TD2 = 01 (T=1), historical "PIVAPPLT",
 * TCK 1F. Neutral on purpose: OpenSC 0.23 maps 3B80800101 to "PIVKey" and then
 * offers no ECDSA (piv-reference §5).
 */
export const VIRTUAL_CARD_ATR = Uint8Array.of(0x3b, 0x88, 0x80, 0x01, 0x50, 0x49, 0x56, 0x41, 0x50, 0x50, 0x4c, 0x54, 0x1f);

/** Firmware version every personality that implements FD reports: 5.7.1 (so version numbers cannot tell personalities apart). */
export const FIRMWARE_VERSION = Uint8Array.of(5, 7, 1);

/** SW1 of "more data available" (61xx, xx = bytes left, 00 = 256 or more). */
export const SW1_MORE_DATA = 0x61;
/** Base of "verification failed, x retries left" (63Cx). */
export const SW_RETRIES_BASE = 0x63c0;
/** Largest retry count 63Cx can carry. */
export const SW_RETRIES_MAX = 0x0f;
/** 63Cx for `retries` remaining attempts (clamped to 15). */
export function swRetries(retries: number): number {
  return SW_RETRIES_BASE | Math.min(retries, SW_RETRIES_MAX);
}

/** P1/P2 of GET DATA and PUT DATA (Part 2 §3.1.2, §3.3.1). */
export const DATA_P1 = 0x3f;
export const DATA_P2 = 0xff;

/** VERIFY P1: 00 verify / status, FF reset security status (Part 2 §3.2.1). */
export const VerifyP1 = { VERIFY: 0x00, LOGOUT: 0xff } as const;

/** SELECT P1 "select by DF name" (ISO 7816-4 §11.1.1). */
export const SELECT_BY_NAME = 0x04;

/** Padding byte of PIN and PUK reference data (Part 2 §2.4.3). */
export const PIN_PAD = 0xff;
/** Every PIN/PUK field in VERIFY, CHANGE REFERENCE DATA and RESET RETRY COUNTER is 8 bytes. */
export const PIN_FIELD_LENGTH = 8;
/** Minimum PIN/PUK length before padding. */
export const PIN_MIN_LENGTH = 6;
/** ASCII digits allowed in a PIV PIN. */
export const DIGIT_0 = 0x30;
export const DIGIT_9 = 0x39;

/** YubiKey PIN policy byte (tag AA, metadata tag 02 first byte). */
export const PinPolicy = { DEFAULT: 0x00, NEVER: 0x01, ONCE: 0x02, ALWAYS: 0x03 } as const;
/** YubiKey touch policy byte (tag AB, metadata tag 02 second byte). */
export const TouchPolicy = { DEFAULT: 0x00, NEVER: 0x01, ALWAYS: 0x02, CACHED: 0x03 } as const;
/** Key origin (metadata tag 03). */
export const KeyOrigin = { GENERATED: 0x01, IMPORTED: 0x02 } as const;
/** Algorithm byte GET METADATA reports for PIN and PUK. */
export const METADATA_ALG_PIN = 0xff;
/** The biometric reference (YubiKey Bio) the card does not have. */
export const BIO_KEY_REF = 0x96;

/** FF SET MANAGEMENT KEY P1 (the only value defined). */
export const SET_MGMT_KEY_P1 = 0xff;
/** FF P2 touch settings: FF none, FE always, FD cached. */
export const MgmtTouch = { NONE: 0xff, ALWAYS: 0xfe, CACHED: 0xfd } as const;

/** Tags of FE IMPORT KEY (yubikit/piv.py `put_key`). */
export const ImportTag = { RSA_P: 0x01, RSA_Q: 0x02, RSA_DP: 0x03, RSA_DQ: 0x04, RSA_QINV: 0x05, EC_PRIVATE: 0x06 } as const;

/** Extra RSA mechanism bytes YubiKeys accept (yubikit KEY_TYPE). */
export const AlgExtra = { RSA_3072: 0x05, RSA_4096: 0x16 } as const;

/** Retired key management key references 82–95 (Part 1 Table 4b). */
export const RETIRED_KEY_FIRST = 0x82;
export const RETIRED_KEY_LAST = 0x95;

/** The RSA public exponent the card generates and accepts (SP 800-78-4: 65537 only). */
export const RSA_PUBLIC_EXPONENT = 65537;

/** Discovery object a fresh card carries: PIV AID, PIN usage policy 40 00 (73-1 §3.3.2). */
export const DEFAULT_DISCOVERY = Uint8Array.of(
  0x7e, 0x12, 0x4f, 0x0b, 0xa0, 0x00, 0x00, 0x03, 0x08, 0x00, 0x00, 0x10, 0x00, 0x01, 0x00, 0x5f, 0x2f, 0x02, 0x40, 0x00,
);

/** "No precise diagnosis" (ISO 7816-4): an internal error while executing. */
export const SW_NO_DIAGNOSIS = 0x6f00;
/** CLA bits other than chaining must be zero (interindustry, no secure messaging, channel 0). */
export const CLA_CHAIN_BIT = 0x10;
