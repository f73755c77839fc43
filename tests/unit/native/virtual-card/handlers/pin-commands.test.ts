import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../../../electron/core/piv/tlv.js';
import { VirtualPivCard } from '../../../../../native/virtual-card/card.js';
import { apdu, pinField, send, verifyPin } from '../helpers.js';

const change = (p2: number, oldV: string, newV: string) => apdu(0, 0x24, 0, p2, concatBytes(pinField(oldV), pinField(newV)));
const unblock = (puk: string, pin: string) => apdu(0, 0x2c, 0, 0x80, concatBytes(pinField(puk), pinField(pin)));

describe('VERIFY (SP 800-73-4 Part 2 §3.2.1)', () => {
  it('verifies the example PIN 00 20 00 80 08 31..36 FF FF and then reports 9000 to the status query', async () => {
    const card = VirtualPivCard.create();
    expect((await send(card, '002000800831323334353 6FFFF'.replace(' ', ''))).sw).toBe(0x9000);
    expect((await send(card, '0020008000')).sw).toBe(0x9000);
  });

  it('counts down 63C2, 63C1, 63C0, then 6983 even for the right PIN', async () => {
    const card = VirtualPivCard.create();
    expect(await verifyPin(card, '000000')).toBe(0x63c2);
    expect(await verifyPin(card, '000000')).toBe(0x63c1);
    expect(await verifyPin(card, '000000')).toBe(0x63c0);
    expect(await verifyPin(card, '123456')).toBe(0x6983);
    expect((await send(card, '0020008000')).sw).toBe(0x6983);
  });

  it('counts a malformed PIN (all FF, as ykman reset sends) as a failed attempt', async () => {
    const card = VirtualPivCard.create();
    expect((await send(card, '0020008008FFFFFFFFFFFFFFFF')).sw).toBe(0x63c2);
    expect((await send(card, '00200080083132FFFFFFFFFFFF')).sw).toBe(0x63c1);
  });

  it('restores the counter on success and logs out with P1 FF', async () => {
    const card = VirtualPivCard.create();
    expect(await verifyPin(card, '999999')).toBe(0x63c2);
    expect(await verifyPin(card)).toBe(0x9000);
    expect((await send(card, '0020FF80')).sw).toBe(0x9000);
    expect((await send(card, '0020008000')).sw).toBe(0x63c3);
  });

  it('rejects other P1 (6A86) and key references it does not have (6A88)', async () => {
    const card = VirtualPivCard.create();
    expect((await send(card, '0020018000')).sw).toBe(0x6a86);
    expect((await send(card, '0020000000')).sw).toBe(0x6a88);
  });
});

describe('CHANGE REFERENCE DATA (§3.2.2)', () => {
  it('changes the PIN and the PUK', async () => {
    const card = VirtualPivCard.create();
    expect((await send(card, change(0x80, '123456', '24681357'))).sw).toBe(0x9000);
    expect(await verifyPin(card, '123456')).toBe(0x63c2);
    expect(await verifyPin(card, '24681357')).toBe(0x9000);
    expect((await send(card, change(0x81, '12345678', '87654321'))).sw).toBe(0x9000);
    expect((await send(card, unblock('12345678', '111111'))).sw).toBe(0x63c2);
    expect((await send(card, unblock('87654321', '111111'))).sw).toBe(0x9000);
  });

  it('decrements on a wrong old value and answers 6A80 for a malformed new PIN', async () => {
    const card = VirtualPivCard.create();
    expect((await send(card, change(0x80, '000000', '654321'))).sw).toBe(0x63c2);
    expect((await send(card, change(0x80, '123456', '12ab56'))).sw).toBe(0x6a80);
    expect((await send(card, change(0x80, '123456', '12345'))).sw).toBe(0x6a80);
    expect(await verifyPin(card)).toBe(0x9000);
  });
});

describe('RESET RETRY COUNTER (§3.2.3)', () => {
  it('unblocks a blocked PIN with the PUK and sets the new PIN', async () => {
    const card = VirtualPivCard.create();
    for (let i = 0; i < 3; i++) await verifyPin(card, '000000');
    expect(await verifyPin(card)).toBe(0x6983);
    expect((await send(card, unblock('12345678', '55555555'))).sw).toBe(0x9000);
    expect(await verifyPin(card, '55555555')).toBe(0x9000);
  });

  it('decrements the PUK on a wrong PUK, blocks at 0 (6983), and checks the new PIN format', async () => {
    const card = VirtualPivCard.create();
    expect((await send(card, unblock('12345678', 'abcdef'))).sw).toBe(0x6a80);
    expect((await send(card, unblock('00000000', '111111'))).sw).toBe(0x63c2);
    expect((await send(card, unblock('00000000', '111111'))).sw).toBe(0x63c1);
    expect((await send(card, unblock('00000000', '111111'))).sw).toBe(0x63c0);
    expect((await send(card, unblock('12345678', '111111'))).sw).toBe(0x6983);
  });
});
