import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bytesEqual,
  concatBytes,
  decodeTlvs,
  encodeLength,
  encodeTag,
  encodeTlv,
  findTlv,
  fromHex,
  readTlv,
  toHex,
  unwrapTlv,
} from '../../../../electron/core/piv/tlv.js';

const malformed = expect.objectContaining({ code: 'MALFORMED_RESPONSE' });

describe('tags and lengths', () => {
  it('encodes 1-, 2- and 3-byte tags big-endian', () => {
    expect(toHex(encodeTag(0x53))).toBe('53');
    expect(toHex(encodeTag(0x7f49))).toBe('7F49');
    expect(toHex(encodeTag(0x5fc102))).toBe('5FC102');
    expect(() => encodeTag(0x1000000)).toThrow(RangeError);
  });
  it('encodes short and long definite lengths', () => {
    expect(toHex(encodeLength(0))).toBe('00');
    expect(toHex(encodeLength(0x7f))).toBe('7F');
    expect(toHex(encodeLength(0x80))).toBe('8180');
    expect(toHex(encodeLength(0xff))).toBe('81FF');
    expect(toHex(encodeLength(0x100))).toBe('820100');
    expect(toHex(encodeLength(0x10000))).toBe('83010000');
  });
});

describe('encodeTlv / readTlv', () => {
  it('encodes the GET DATA tag list of 73-2 §3.1.2', () => {
    expect(toHex(encodeTlv(0x5c, encodeTag(0x5fc102)))).toBe('5C035FC102');
  });
  it('encodes the 7F49 RSA template header of 73-2 §3.3.2', () => {
    const modulus = encodeTlv(0x81, new Uint8Array(256));
    const exponent = encodeTlv(0x82, fromHex('010001'));
    expect(toHex(encodeTlv(0x7f49, modulus, exponent)).slice(0, 20)).toBe('7F49820109818201' + '0000');
  });
  it('reads multi-byte tags and long lengths', () => {
    const bytes = fromHex('5FC102 81 80'.replace(/ /g, '') + '00'.repeat(0x80) + '9000');
    const { tlv, next } = readTlv(bytes);
    expect(tlv.tag).toBe(0x5fc102);
    expect(tlv.value.length).toBe(0x80);
    expect(next).toBe(5 + 0x80);
  });
  it('rejects truncation, indefinite lengths and over-long tags', () => {
    expect(() => readTlv(fromHex(''))).toThrow(malformed);
    expect(() => readTlv(fromHex('5F'))).toThrow(malformed);
    expect(() => readTlv(fromHex('53'))).toThrow(malformed);
    expect(() => readTlv(fromHex('5380'))).toThrow(malformed);
    expect(() => readTlv(fromHex('5384000000010'.padEnd(14, '0')))).toThrow(malformed);
    expect(() => readTlv(fromHex('530301'))).toThrow(malformed);
    expect(() => readTlv(fromHex('5382'))).toThrow(malformed);
    expect(() => readTlv(fromHex('5FC1C1C10100'))).toThrow(malformed);
  });
});

describe('decodeTlvs / findTlv / unwrapTlv', () => {
  it('decodes the unsigned CHUID vector in order', () => {
    const chuid = fromHex(
      '3019D4E739DA739CED39CE739D836858210842108421C84210C3EB3410' + '00'.repeat(16) + '35083230333030313031' + '3E00FE00',
    );
    const tags = decodeTlvs(chuid).map((t) => t.tag);
    expect(tags).toEqual([0x30, 0x34, 0x35, 0x3e, 0xfe]);
    expect(new TextDecoder().decode(findTlv(decodeTlvs(chuid), 0x35))).toBe('20300101');
    expect(findTlv(decodeTlvs(chuid), 0x36)).toBeUndefined();
  });
  it('unwraps exactly one TLV and refuses a wrong tag or trailing bytes', () => {
    expect(toHex(unwrapTlv(fromHex('53020102'), 0x53))).toBe('0102');
    expect(() => unwrapTlv(fromHex('54020102'), 0x53)).toThrow(malformed);
    expect(() => unwrapTlv(fromHex('5302010200'), 0x53)).toThrow(malformed);
  });
});

describe('hex and byte helpers', () => {
  it('round-trips hex and rejects non-hex', () => {
    expect(toHex(fromHex('de ad BE ef'))).toBe('DEADBEEF');
    expect(() => fromHex('abc')).toThrow(RangeError);
    expect(() => fromHex('zz')).toThrow(RangeError);
  });
  it('concatenates and compares', () => {
    expect(concatBytes(fromHex('01'), fromHex(''), fromHex('0203'))).toEqual(fromHex('010203'));
    expect(bytesEqual(fromHex('0102'), fromHex('0102'))).toBe(true);
    expect(bytesEqual(fromHex('0102'), fromHex('0103'))).toBe(false);
    expect(bytesEqual(fromHex('01'), fromHex('0102'))).toBe(false);
  });
});

/** Tags as SP 800-73-4 uses them: 1 byte (low 5 bits not all set), or a multi-byte tag with proper continuation bits. */
const tagArb = fc.oneof(
  fc.integer({ min: 0, max: 0xff }).filter((t) => (t & 0x1f) !== 0x1f),
  fc
    .tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 0x7f }))
    .map(([hi, lo]) => (((hi << 5) | 0x1f) << 8) | lo),
  fc
    .tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0x80, max: 0xff }), fc.integer({ min: 0, max: 0x7f }))
    .map(([hi, mid, lo]) => (((((hi << 5) | 0x1f) << 8) | mid) << 8) | lo),
);

describe('properties', () => {
  it('decodeTlvs(concat(encodeTlv…)) returns the same tags and values', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(tagArb, fc.uint8Array({ maxLength: 600 })), { maxLength: 8 }), (items) => {
        const bytes = concatBytes(...items.map(([t, v]) => encodeTlv(t, v)));
        const decoded = decodeTlvs(bytes);
        expect(decoded.map((d) => d.tag)).toEqual(items.map(([t]) => t));
        decoded.forEach((d, i) => expect(toHex(d.value)).toBe(toHex(items[i]![1])));
      }),
    );
  });
  it('encodeLength is the minimal definite form and readTlv recovers it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70000 }), (n) => {
        const len = encodeLength(n);
        expect(len.length).toBe(n < 0x80 ? 1 : n <= 0xff ? 2 : n <= 0xffff ? 3 : 4);
        const { tlv } = readTlv(concatBytes(Uint8Array.of(0x53), len, new Uint8Array(n)));
        expect(tlv.value.length).toBe(n);
      }),
      { numRuns: 200 },
    );
  });
  it('readTlv never throws anything but MALFORMED_RESPONSE on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        try {
          decodeTlvs(bytes);
        } catch (e) {
          expect(e).toMatchObject({ code: 'MALFORMED_RESPONSE' });
        }
      }),
    );
  });
});
