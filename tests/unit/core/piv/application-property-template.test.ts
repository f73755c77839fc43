/** The SELECT answer parsed by its structure (SP 800-73-4 Part 2 §3.1.1, Tables 3–5). */
import { describe, expect, it } from 'vitest';
import { parseApplicationProperties } from '../../../../electron/core/piv/application-property-template.js';
import { fromHex } from '../../../../electron/core/piv/tlv.js';

describe('parseApplicationProperties', () => {
  it('reads the version from a PIX (YubiKey) or a full AID, and no algorithms when none are listed', () => {
    expect(parseApplicationProperties(fromHex('61114F0600001000010079074F05A000000308'))).toEqual({ applicationVersion: '1.0', algorithms: [] });
    expect(parseApplicationProperties(fromHex('610D4F0BA0000003080000100001FF'))).toEqual({ applicationVersion: '1.255', algorithms: [] });
  });
  it('collects every algorithm of every AC template, once, in the card order', () => {
    const apt = '6120' + '4F0BA000000308000010000100' + 'AC0980010380010C060100' + 'AC068001118001 03'.replace(/ /g, '');
    expect(parseApplicationProperties(fromHex(apt)).algorithms).toEqual([0x03, 0x0c, 0x11]);
  });
  it('never throws: an empty, foreign or broken answer is unknown', () => {
    expect(parseApplicationProperties(new Uint8Array(0))).toEqual({ algorithms: [] });
    expect(parseApplicationProperties(fromHex('6F03840100'))).toEqual({ algorithms: [] });
    expect(parseApplicationProperties(fromHex('61054F0300'))).toEqual({ algorithms: [] });
    expect(parseApplicationProperties(fromHex('6105AC03800102FF'))).toEqual({ algorithms: [0x02] });
  });
});
