import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeFascn, encodeFascn, type FascnFields } from '../../../../../electron/core/piv/objects/fascn.js';
import { fromHex, toHex } from '../../../../../electron/core/piv/tlv.js';

/** PACS TIG v2.3 worked example (piv-reference §3.1). */
const TIG: FascnFields = {
  agencyCode: '0032',
  systemCode: '0001',
  credentialNumber: '092446',
  credentialSeries: '0',
  individualCredentialIssue: '1',
  personIdentifier: '1112223333',
  organizationalCategory: '1',
  organizationalIdentifier: '1223',
  personAssociation: '2',
};
const TIG_HEX = 'D0439458210C2C19A0846D83685A1082108CE73984108CA3FC';
/** ykman's non-federal default 9999-9999-999999-0-1-0000000000-3-0000-1. */
const NON_FEDERAL: FascnFields = {
  agencyCode: '9999',
  systemCode: '9999',
  credentialNumber: '999999',
  credentialSeries: '0',
  individualCredentialIssue: '1',
  personIdentifier: '0000000000',
  organizationalCategory: '3',
  organizationalIdentifier: '0000',
  personAssociation: '1',
};
const NON_FEDERAL_HEX = 'D4E739DA739CED39CE739D836858210842108421C84210C3EB';

const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
const fieldsArb: fc.Arbitrary<FascnFields> = fc.record({
  agencyCode: digits(4),
  systemCode: digits(4),
  credentialNumber: digits(6),
  credentialSeries: digits(1),
  individualCredentialIssue: digits(1),
  personIdentifier: digits(10),
  organizationalCategory: digits(1),
  organizationalIdentifier: digits(4),
  personAssociation: digits(1),
});

describe('FASC-N', () => {
  it('encodes the TIG example byte-exact', () => {
    expect(toHex(encodeFascn(TIG))).toBe(TIG_HEX);
  });
  it('encodes the non-federal example byte-exact', () => {
    expect(toHex(encodeFascn(NON_FEDERAL))).toBe(NON_FEDERAL_HEX);
  });
  it('decodes both vectors', () => {
    expect(decodeFascn(fromHex(TIG_HEX))).toEqual(TIG);
    expect(decodeFascn(fromHex(NON_FEDERAL_HEX))).toEqual(NON_FEDERAL);
  });
  it('round-trips any valid fields (property)', () => {
    fc.assert(
      fc.property(fieldsArb, (f) => {
        const b = encodeFascn(f);
        expect(b.length).toBe(25);
        expect(decodeFascn(b)).toEqual(f);
      }),
    );
  });
  it('detects any single flipped bit (parity or LRC)', () => {
    fc.assert(
      fc.property(fieldsArb, fc.integer({ min: 0, max: 199 }), (f, bit) => {
        const b = encodeFascn(f);
        b[bit >> 3]! ^= 0x80 >> (bit & 7);
        expect(() => decodeFascn(b)).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
      }),
    );
  });
  it('rejects a wrong length and misplaced separators', () => {
    expect(() => decodeFascn(new Uint8Array(24))).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
    // Swap two whole 5-bit characters (SS and the first digit): parity stays valid, structure does not.
    const b = fromHex(TIG_HEX);
    const bits = [...b].map((x) => x.toString(2).padStart(8, '0')).join('');
    const swapped = bits.slice(5, 10) + bits.slice(0, 5) + bits.slice(10);
    const out = Uint8Array.from(swapped.match(/.{8}/g)!.map((s) => parseInt(s, 2)));
    expect(() => decodeFascn(out)).toThrow(/start sentinel|non-digit|separator/);
  });
  it('refuses fields of the wrong length or with non-digits', () => {
    expect(() => encodeFascn({ ...TIG, agencyCode: '32' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => encodeFascn({ ...TIG, personIdentifier: '11122233a3' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', details: { field: 'personIdentifier' } }),
    );
  });
});
