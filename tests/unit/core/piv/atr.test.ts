/** ATR historical bytes and the card capabilities they declare (ISO 7816-3 §8.2, ISO 7816-4 §8.1.1.2.7). */
import { describe, expect, it } from 'vitest';
import { extendedLengthDeclared, historicalBytes } from '../../../../electron/core/piv/atr.js';
import { fromHex, toHex } from '../../../../electron/core/piv/tlv.js';

describe('historicalBytes', () => {
  it('skips the interface bytes T0 and every TDi announce', () => {
    // The virtual card's ATR: T0=88 (TD1, 8 historical bytes), TD1=80 (TD2), TD2=01, "PIVAPPLT", TCK.
    expect(new TextDecoder().decode(historicalBytes(fromHex('3B8880015049564150504C541F')))).toBe('PIVAPPLT');
    // TA1, TB1, TC1 present (T0=7x) and no TD: the historical bytes follow at once.
    expect(toHex(historicalBytes(fromHex('3B7296000080318065'))!)).toBe('8031');
  });
  it('is undefined for an ATR shorter than it announces', () => {
    expect(historicalBytes(fromHex('3B88800150'))).toBeUndefined();
    expect(historicalBytes(fromHex('3B'))).toBeUndefined();
  });
});

describe('extendedLengthDeclared', () => {
  it('reads bit b7 of the third card-capabilities byte in compact-TLV historical bytes', () => {
    expect(extendedLengthDeclared(fromHex('3B8780018031FE730000407A'))).toBe(true);
    expect(extendedLengthDeclared(fromHex('3B8780018031FE730000803A'))).toBe(false);
    // Category 00: compact-TLV followed by three status bytes.
    expect(extendedLengthDeclared(fromHex('3B8880010073000040009000AA'))).toBe(true);
  });
  it('says nothing for proprietary historical bytes, no capabilities, or fewer than three capability bytes', () => {
    expect(extendedLengthDeclared(fromHex('3B8880015049564150504C541F'))).toBeUndefined();
    expect(extendedLengthDeclared(fromHex('3B85800180311F00'))).toBeUndefined();
    expect(extendedLengthDeclared(fromHex('3B868001807200400000'))).toBeUndefined();
    expect(extendedLengthDeclared(fromHex('3B8080010101'))).toBeUndefined();
  });
});
