import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../../electron/core/piv/tlv.js';
import { VirtualPivCard } from '../../../../../native/virtual-card/card.js';
import { mutualAuth, send, verifyPin } from '../helpers.js';

describe('GET DATA / PUT DATA (Part 2 §3.1.2, §3.3.1)', () => {
  it('answers 6A82 for an absent object and 6A86 for wrong P1/P2', async () => {
    const card = VirtualPivCard.create();
    expect((await send(card, '00CB3FFF055C035FC10200')).sw).toBe(0x6a82);
    expect((await send(card, '00CB3FFE055C035FC10200')).sw).toBe(0x6a86);
  });

  it('needs 9B to write; stores content wrapped in 53 on read; 53 00 deletes', async () => {
    const card = VirtualPivCard.create();
    const put = '00DB3FFF0D5C035FC1075306F0001234FE00';
    expect((await send(card, put)).sw).toBe(0x6982);
    await mutualAuth(card);
    expect((await send(card, put)).sw).toBe(0x9000);
    const r = await send(card, '00CB3FFF055C035FC10700');
    expect(toHex(r.data)).toBe('5306F0001234FE00');
    expect((await send(card, '00DB3FFF075C035FC1075300')).sw).toBe(0x9000);
    expect((await send(card, '00CB3FFF055C035FC10700')).sw).toBe(0x6a82);
  });

  it('PIN-protected objects (Printed Information, biometrics) need the PIN to read', async () => {
    const card = VirtualPivCard.create();
    await mutualAuth(card);
    expect((await send(card, '00DB3FFF0C5C035FC10953050103414243')).sw).toBe(0x9000);
    expect((await send(card, '00CB3FFF055C035FC10900')).sw).toBe(0x6982);
    expect((await send(card, '00CB3FFF055C035FC10800')).sw).toBe(0x6982);
    await verifyPin(card);
    expect(toHex((await send(card, '00CB3FFF055C035FC10900')).data)).toBe('53050103414243');
  });

  it('writes Discovery as a raw 7E TLV and returns it unwrapped', async () => {
    const card = VirtualPivCard.create();
    await mutualAuth(card);
    const disc = '7E124F0BA0000003080000100001005F2F024010';
    expect((await send(card, `00DB3FFF14${disc}`)).sw).toBe(0x9000);
    expect(toHex((await send(card, '00CB3FFF035C017E00')).data)).toBe(disc);
  });

  it('rejects malformed PUT data (6A80)', async () => {
    const card = VirtualPivCard.create();
    await mutualAuth(card);
    expect((await send(card, '00DB3FFF045C035FC1')).sw).toBe(0x6a80);
    expect((await send(card, '00DB3FFF075C035FC1075400')).sw).toBe(0x6a80);
  });
});
