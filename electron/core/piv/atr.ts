/**
 * What an answer-to-reset *declares* by the standards' structure: the
 * historical bytes (ISO/IEC 7816-3 §8.2) and, in them, the card capabilities
 * data object (ISO/IEC 7816-4:2005 §8.1.1.2.7, Table 87). This reads a
 * declared capability; it never identifies an implementation (the station
 * does not branch on who made a card, issue 9).
 */

/** Interface-byte presence bits of T0 / TDi (ISO 7816-3 §8.2.3): TA, TB, TC, TD follow. */
const TA_PRESENT = 0x10;
const TB_PRESENT = 0x20;
const TC_PRESENT = 0x40;
const TD_PRESENT = 0x80;
/** Low nibble of T0: number of historical bytes. */
const HISTORICAL_COUNT_MASK = 0x0f;
/** Category indicators of the historical bytes (ISO 7816-4 §8.1.1.1): compact-TLV with or without a final status. */
const CATEGORY_COMPACT_TLV = 0x80;
const CATEGORY_COMPACT_TLV_WITH_STATUS = 0x00;
/** The three status bytes that end category-00 historical bytes. */
const MANDATORY_STATUS_LENGTH = 3;
/** Compact-TLV tag of the card capabilities (high nibble 7). */
const COMPACT_TAG_CARD_CAPABILITIES = 0x7;
/** Third software function byte of the card capabilities: bit b7 extended Lc and Le, b8 command chaining. */
const CAPS_EXTENDED_LC_LE = 0x40;
const CAPS_THIRD_BYTE = 2;

/**
 * The historical bytes of an ATR.
 * @returns the bytes, or undefined when the ATR is too short for what its T0 and TDi announce
 */
export function historicalBytes(atr: Uint8Array): Uint8Array | undefined {
  if (atr.length < 2) return undefined;
  const count = atr[1]! & HISTORICAL_COUNT_MASK;
  let y = atr[1]!;
  let i = 2;
  for (;;) {
    for (const bit of [TA_PRESENT, TB_PRESENT, TC_PRESENT]) if (y & bit) i++;
    if (!(y & TD_PRESENT)) break;
    if (i >= atr.length) return undefined;
    y = atr[i]!;
    i++;
  }
  if (i + count > atr.length) return undefined;
  return atr.subarray(i, i + count);
}

/**
 * Whether the ATR declares extended Lc/Le support in its card capabilities.
 * @returns true or false when the historical bytes carry card capabilities of
 *   three bytes; undefined when they say nothing (then only a probe can tell)
 */
export function extendedLengthDeclared(atr: Uint8Array): boolean | undefined {
  const hist = historicalBytes(atr);
  if (!hist || hist.length === 0) return undefined;
  let end: number;
  if (hist[0] === CATEGORY_COMPACT_TLV) end = hist.length;
  else if (hist[0] === CATEGORY_COMPACT_TLV_WITH_STATUS) end = hist.length - MANDATORY_STATUS_LENGTH;
  else return undefined; // proprietary historical bytes
  for (let i = 1; i < end; ) {
    const tag = hist[i]! >> 4;
    const length = hist[i]! & 0x0f;
    const value = hist.subarray(i + 1, i + 1 + length);
    if (value.length !== length) return undefined;
    if (tag === COMPACT_TAG_CARD_CAPABILITIES) {
      return value.length > CAPS_THIRD_BYTE ? (value[CAPS_THIRD_BYTE]! & CAPS_EXTENDED_LC_LE) !== 0 : undefined;
    }
    i += 1 + length;
  }
  return undefined;
}
