import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chuidSignedBytes, decodeChuid, encodeChuid, type Chuid } from '../../../../../electron/core/piv/objects/chuid.js';
import { fromHex, toHex } from '../../../../../electron/core/piv/tlv.js';

const FASCN = fromHex('D4E739DA739CED39CE739D836858210842108421C84210C3EB');
const GUID = fromHex('5E30F4D2A1B24C8D9E0F112233445566');
/** The unsigned CHUID written by ykman / yubico-piv-tool (piv-reference §3 CHUID). */
const UNSIGNED_HEX =
  '3019D4E739DA739CED39CE739D836858210842108421C84210C3EB' + '3410' + toHex(GUID) + '35083230333030313031' + '3E00' + 'FE00';

describe('CHUID', () => {
  it('encodes the ykman unsigned CHUID byte-exact', () => {
    const c: Chuid = { fascn: FASCN, guid: GUID, expiration: '20300101', signature: new Uint8Array(0) };
    expect(toHex(encodeChuid(c))).toBe(UNSIGNED_HEX);
  });
  it('to-be-signed bytes = every TLV except EE and 3E, with FE 00 (CCT / ykman tbs_bytes)', () => {
    const tbs = chuidSignedBytes({ fascn: FASCN, guid: GUID, expiration: '20300101' });
    expect(toHex(tbs)).toBe(UNSIGNED_HEX.replace('3E00FE00', 'FE00'));
  });
  it('places the cardholder UUID after the expiration and before the signature', () => {
    const holder = new Uint8Array(16).fill(0x36);
    const sig = fromHex('3003020100');
    const hex = toHex(encodeChuid({ fascn: FASCN, guid: GUID, expiration: '20300101', cardholderUuid: holder, signature: sig }));
    expect(hex).toBe(UNSIGNED_HEX.replace('3E00FE00', '3610' + toHex(holder) + '3E05' + toHex(sig) + 'FE00'));
    const tbs = toHex(chuidSignedBytes({ fascn: FASCN, guid: GUID, expiration: '20300101', cardholderUuid: holder }));
    expect(tbs).toBe(UNSIGNED_HEX.replace('3E00FE00', '3610' + toHex(holder) + 'FE00'));
  });
  it('round-trips (property), including long CMS signatures', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.option(fc.uint8Array({ minLength: 16, maxLength: 16 }), { nil: undefined }),
        fc.uint8Array({ maxLength: 3000 }),
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (guid, holder, signature, date) => {
          const expiration = date.toISOString().slice(0, 10).replace(/-/g, '');
          const c: Chuid = { fascn: FASCN, guid, expiration, signature };
          if (holder) c.cardholderUuid = holder;
          expect(decodeChuid(encodeChuid(c))).toEqual(c);
        },
      ),
      { numRuns: 50 },
    );
  });
  it('reads deprecated EE/32/33 elements and a missing signature', () => {
    const withLegacy = fromHex('EE020000' + '320400000000' + UNSIGNED_HEX.replace('3E00', ''));
    const c = decodeChuid(withLegacy);
    expect(c.guid).toEqual(GUID);
    expect(c.signature.length).toBe(0);
  });
  it('rejects bad fields on encode and decode', () => {
    const ok = { fascn: FASCN, guid: GUID, expiration: '20300101', signature: new Uint8Array(0) };
    expect(() => encodeChuid({ ...ok, guid: new Uint8Array(15) })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => encodeChuid({ ...ok, fascn: new Uint8Array(24) })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => encodeChuid({ ...ok, expiration: '2030-01-01' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => decodeChuid(fromHex(UNSIGNED_HEX.replace('3410' + toHex(GUID), '')))).toThrow(
      expect.objectContaining({ code: 'MALFORMED_RESPONSE' }),
    );
  });
});
