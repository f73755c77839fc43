import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeCommandApdu, parseResponseApdu, splitForChaining } from '../../../../electron/core/piv/apdu.js';
import { Cla, Ins } from '../../../../electron/core/piv/constants.js';
import { concatBytes, fromHex, toHex } from '../../../../electron/core/piv/tlv.js';
import { StationError } from '../../../../electron/core/errors.js';

describe('encodeCommandApdu', () => {
  it('encodes case 1 (header only), as OpenSC sends the PIN status query', () => {
    expect(toHex(encodeCommandApdu({ ins: Ins.VERIFY, p1: 0, p2: 0x80 }))).toBe('00200080');
  });
  it('encodes case 2 with Le=00', () => {
    expect(toHex(encodeCommandApdu({ ins: Ins.GET_VERSION, p1: 0, p2: 0, le: 0 }))).toBe('00FD000000');
    expect(toHex(encodeCommandApdu({ ins: Ins.GET_RESPONSE, p1: 0, p2: 0, le: 8 }))).toBe('00C0000008');
    expect(toHex(encodeCommandApdu({ ins: Ins.GET_RESPONSE, p1: 0, p2: 0, le: 256 }))).toBe('00C0000000');
  });
  it('encodes case 3 (VERIFY example of 73-2 §3.2.1)', () => {
    const data = fromHex('313233343536FFFF');
    expect(toHex(encodeCommandApdu({ ins: Ins.VERIFY, p1: 0, p2: 0x80, data }))).toBe('0020008008313233343536FFFF');
  });
  it('encodes case 4 (GET DATA CHUID with Le)', () => {
    const apdu = encodeCommandApdu({ ins: Ins.GET_DATA, p1: 0x3f, p2: 0xff, data: fromHex('5C035FC102'), le: 0 });
    expect(toHex(apdu)).toBe('00CB3FFF055C035FC10200');
  });
  it('omits Lc for empty data and keeps a given CLA', () => {
    expect(toHex(encodeCommandApdu({ cla: Cla.CHAIN, ins: 1, p1: 2, p2: 3, data: new Uint8Array(0) }))).toBe('10010203');
  });
  it('refuses more than 255 data bytes, a bad Le and non-byte header fields', () => {
    expect(() => encodeCommandApdu({ ins: 1, p1: 0, p2: 0, data: new Uint8Array(256) })).toThrow(StationError);
    expect(() => encodeCommandApdu({ ins: 1, p1: 0, p2: 0, le: 257 })).toThrow(StationError);
    expect(() => encodeCommandApdu({ ins: 0x100, p1: 0, p2: 0 })).toThrow(/INS/);
  });
});

describe('splitForChaining', () => {
  it('leaves short commands alone', () => {
    const c = { ins: Ins.PUT_DATA, p1: 0x3f, p2: 0xff, data: new Uint8Array(255) };
    expect(splitForChaining(c)).toEqual([c]);
  });
  it('splits into 255-byte blocks, CLA 10 on all but the last, Le only on the last', () => {
    const data = Uint8Array.from({ length: 600 }, (_, i) => i & 0xff);
    const blocks = splitForChaining({ ins: Ins.PUT_DATA, p1: 0x3f, p2: 0xff, data, le: 0 });
    expect(blocks.map((b) => [b.cla, b.data?.length, b.le])).toEqual([
      [Cla.CHAIN, 255, undefined],
      [Cla.CHAIN, 255, undefined],
      [Cla.PLAIN, 90, 0],
    ]);
    expect(concatBytes(...blocks.map((b) => b.data!))).toEqual(data);
    expect(toHex(encodeCommandApdu(blocks[0]!)).slice(0, 10)).toBe('10DB3FFFFF');
  });
  it('reassembles to the original data for any length and block size (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 255 }), (data, size) => {
        const blocks = splitForChaining({ ins: 0x87, p1: 7, p2: 0x9a, data }, size);
        expect(concatBytes(...blocks.map((b) => b.data ?? new Uint8Array(0)))).toEqual(data);
        blocks.forEach((b, i) => {
          expect(b.cla).toBe(i === blocks.length - 1 ? (blocks.length === 1 ? undefined : Cla.PLAIN) : Cla.CHAIN);
          expect((b.data ?? new Uint8Array(0)).length).toBeLessThanOrEqual(size);
        });
      }),
    );
  });
  it('refuses a block size outside 1–255', () => {
    expect(() => splitForChaining({ ins: 1, p1: 0, p2: 0 }, 256)).toThrow(StationError);
  });
});

describe('parseResponseApdu', () => {
  it('splits data and status word', () => {
    const r = parseResponseApdu(fromHex('0102039000'));
    expect(toHex(r.data)).toBe('010203');
    expect(r.sw).toBe(0x9000);
    expect(parseResponseApdu(fromHex('6A82'))).toEqual({ data: new Uint8Array(0), sw: 0x6a82 });
  });
  it('throws MALFORMED_RESPONSE below 2 bytes', () => {
    expect(() => parseResponseApdu(fromHex('90'))).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
  });
});

describe('encodeCommandApdu, extended form (the extended-length probe only)', () => {
  it('encodes cases 2E, 3E and 4E (ISO 7816-4 §5.1)', () => {
    expect(toHex(encodeCommandApdu({ ins: Ins.GET_DATA, p1: 0x3f, p2: 0xff, data: fromHex('5C017E'), le: 0, extended: true }))).toBe('00CB3FFF0000035C017E0000');
    expect(toHex(encodeCommandApdu({ ins: Ins.GET_RESPONSE, p1: 0, p2: 0, le: 300, extended: true }))).toBe('00C00000' + '00012C');
    const data = new Uint8Array(300).fill(0xab);
    expect(toHex(encodeCommandApdu({ ins: Ins.PUT_DATA, p1: 0x3f, p2: 0xff, data, extended: true })).slice(0, 14)).toBe('00DB3FFF00012C');
  });
  it('refuses lengths beyond 65535 data bytes or 65536 expected', () => {
    expect(() => encodeCommandApdu({ ins: Ins.GET_DATA, p1: 0, p2: 0, le: 65537, extended: true })).toThrow(StationError);
  });
});
