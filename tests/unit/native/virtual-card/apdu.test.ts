import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../../electron/core/piv/tlv.js';
import { CardStatusError, parseCommandApdu, responseApdu } from '../../../../native/virtual-card/apdu.js';

const parse = (hex: string) => {
  const c = parseCommandApdu(fromHex(hex));
  return { ...c, data: toHex(c.data) };
};

describe('parseCommandApdu (ISO 7816-4 §5.1)', () => {
  it('case 1 and the 5-byte P3=00 form carry no data', () => {
    expect(parse('00208000')).toMatchObject({ cla: 0, ins: 0x20, p1: 0x80, p2: 0, data: '', le: undefined });
    expect(parse('00FD000000')).toMatchObject({ data: '', le: 256 });
  });

  it('short case 3 and case 4 (Le 00 = 256)', () => {
    expect(parse('00CB3FFF055C035FC102')).toMatchObject({ data: '5C035FC102', le: undefined });
    expect(parse('00CB3FFF055C035FC10208')).toMatchObject({ data: '5C035FC102', le: 8 });
    expect(parse('00CB3FFF055C035FC10200')).toMatchObject({ le: 256 });
  });

  it('extended case 2, 3 and 4 (Le 0000 = 65536; Le also as 00 hh ll)', () => {
    expect(parse('00CB3FFF000100')).toMatchObject({ data: '', le: 256 });
    expect(parse('00CB3FFF0000055C035FC102')).toMatchObject({ data: '5C035FC102', le: undefined });
    expect(parse('00CB3FFF0000055C035FC1020000')).toMatchObject({ data: '5C035FC102', le: 65536 });
    expect(parse('00CB3FFF0000055C035FC102000400')).toMatchObject({ le: 0x400 });
  });

  it('rejects inconsistent lengths with 6700', () => {
    for (const bad of ['00CB3F', '00CB3FFF055C03', '00CB3FFF055C035FC1020000', '00CB3FFF0000FF01']) {
      expect(() => parseCommandApdu(fromHex(bad))).toThrow(CardStatusError);
    }
    try {
      parseCommandApdu(fromHex('00CB3FFF055C03'));
    } catch (e) {
      expect((e as CardStatusError).sw).toBe(0x6700);
    }
  });

  it('responseApdu appends SW1 SW2', () => {
    expect(toHex(responseApdu(fromHex('0102'), 0x6110))).toBe('01026110');
  });
});
