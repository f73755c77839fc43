import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, decodeTlvs, fromHex, toHex, unwrapTlv } from '../../../../../electron/core/piv/tlv.js';
import { VirtualPivCard } from '../../../../../native/virtual-card/card.js';
import { apdu, mutualAuth, pinField, send, transceive, verifyPin } from '../helpers.js';

const meta = async (card: VirtualPivCard, ref: number) => {
  const r = await send(card, apdu(0, 0xf7, 0, ref, undefined, 0));
  return { sw: r.sw, tlvs: r.sw === 0x9000 ? Object.fromEntries(decodeTlvs(r.data).map((t) => [t.tag, toHex(t.value)])) : {} };
};
const blockPinAndPuk = async (card: VirtualPivCard) => {
  for (let i = 0; i < 3; i++) await verifyPin(card, '000000');
  for (let i = 0; i < 3; i++) await send(card, apdu(0, 0x2c, 0, 0x80, concatBytes(pinField('00000000'), pinField('111111'))));
};

describe('YubiKey extensions', () => {
  it('FD version 5.7.1 and F8 serial (4 bytes big-endian)', async () => {
    const card = VirtualPivCard.create({ serial: 0x01020304 });
    expect(toHex((await send(card, '00FD000000')).data)).toBe('050701');
    expect(toHex((await send(card, '00F8000000')).data)).toBe('01020304');
  });

  it('F7 metadata for PIN, PUK, 9B, empty slots and the bio reference', async () => {
    const card = VirtualPivCard.create();
    expect((await meta(card, 0x80)).tlvs).toMatchObject({ 1: 'FF', 5: '01', 6: '0303' });
    await verifyPin(card, '000000');
    expect((await meta(card, 0x80)).tlvs).toMatchObject({ 6: '0302' });
    expect((await meta(card, 0x81)).tlvs).toMatchObject({ 1: 'FF', 5: '01', 6: '0303' });
    expect((await meta(card, 0x9b)).tlvs).toMatchObject({ 1: '0A', 2: '0001', 5: '01' });
    expect((await meta(card, 0x9a)).sw).toBe(0x6a88);
    expect((await meta(card, 0x96)).sw).toBe(0x6a88);
  });

  it('F7 for a generated key reports algorithm, policies, origin and the 7F49 contents', async () => {
    const card = VirtualPivCard.create();
    await mutualAuth(card);
    const gen = await send(card, '0047009C0BAC09800111AA0102AB0102');
    expect(gen.sw).toBe(0x9000);
    expect(toHex(gen.data.subarray(0, 4))).toBe('7F494386'); // one-byte 7F49 length for EC
    const m = await meta(card, 0x9c);
    expect(m.tlvs).toMatchObject({ 1: '11', 2: '0202', 3: '01', 4: toHex(unwrapTlv(gen.data, 0x7f49)) });
  });

  it('GENERATE needs 9B (6982) and a known mechanism (6A80)', async () => {
    const card = VirtualPivCard.create();
    expect((await send(card, '0047009A05AC03800111')).sw).toBe(0x6982);
    await mutualAuth(card);
    expect((await send(card, '0047009A05AC03800199')).sw).toBe(0x6a80);
    const rsa = await transceive(card, 0x47, 0, 0x9a, fromHex('AC03800107'));
    expect(rsa.sw).toBe(0x9000);
    expect(toHex(rsa.data.subarray(0, 9))).toBe('7F4982010981820100');
    expect(toHex(rsa.data.subarray(-5))).toBe('8203010001');
  });

  it('FF sets an AES-256 management key; the old key stops working', async () => {
    const card = VirtualPivCard.create();
    const key = new Uint8Array(32).map((_, i) => 0x40 + i);
    expect((await send(card, concatBytes(fromHex('00FFFFFF230C9B20'), key))).sw).toBe(0x6982);
    await mutualAuth(card);
    expect((await send(card, concatBytes(fromHex('00FFFFFF230C9B20'), key))).sw).toBe(0x9000);
    card.reset();
    expect(await mutualAuth(card, 'AES192')).toBe(0x6a86);
    expect(await mutualAuth(card, 'AES256', key)).toBe(0x9000);
    expect((await meta(card, 0x9b)).tlvs).toMatchObject({ 1: '0C', 5: '00' });
    expect((await send(card, concatBytes(fromHex('00FFFFFF0B0A9B08'), new Uint8Array(8)))).sw).toBe(0x6a80);
  });

  it('FB resets only when PIN and PUK are both blocked, and clears keys and objects', async () => {
    const card = VirtualPivCard.create();
    await mutualAuth(card);
    await send(card, '0047009A05AC03800111');
    await send(card, '00DB3FFF095C035FC1075302F500');
    expect((await send(card, '00FB000000')).sw).toBe(0x6985);
    for (let i = 0; i < 3; i++) await verifyPin(card, '000000');
    expect((await send(card, '00FB000000')).sw).toBe(0x6985);
    await blockPinAndPuk(card);
    expect((await send(card, '00FB000000')).sw).toBe(0x9000);
    expect(await verifyPin(card)).toBe(0x9000);
    expect((await meta(card, 0x9a)).sw).toBe(0x6a88);
    expect((await send(card, '00CB3FFF055C035FC10700')).sw).toBe(0x6a82);
    expect(await mutualAuth(card)).toBe(0x9000);
  });

  it('FA needs 9B and the PIN, sets the retry counts and restores the default PIN and PUK', async () => {
    const card = VirtualPivCard.create();
    await send(card, apdu(0, 0x24, 0, 0x80, concatBytes(pinField('123456'), pinField('999999'))));
    card.reset(); // a successful change also verifies the PIN
    await mutualAuth(card);
    expect((await send(card, '00FA050600')).sw).toBe(0x6982);
    await verifyPin(card, '999999');
    expect((await send(card, '00FA050600')).sw).toBe(0x9000);
    expect((await meta(card, 0x80)).tlvs).toMatchObject({ 5: '01', 6: '0505' });
    expect((await meta(card, 0x81)).tlvs).toMatchObject({ 6: '0606' });
    expect(await verifyPin(card, '123456')).toBe(0x9000);
  });

  it('F9 attests a generated key with a certificate signed by the card attestation certificate (5FFF01)', async () => {
    const card = VirtualPivCard.create({ serial: 777 });
    await mutualAuth(card);
    const gen = await send(card, '0047009A05AC03800111');
    const att = await transceive(card, 0xf9, 0x9a, 0x00, new Uint8Array(0));
    expect(att.sw).toBe(0x9000);
    const slotCert = new X509Certificate(Buffer.from(att.data));
    const container = unwrapTlv((await transceive(card, 0xcb, 0x3f, 0xff, fromHex('5C035FFF01'))).data, 0x53);
    const caCert = new X509Certificate(Buffer.from(decodeTlvs(container)[0]!.value));
    expect(slotCert.verify(caCert.publicKey)).toBe(true);
    expect(slotCert.checkIssued(caCert)).toBe(true);
    const point = unwrapTlv(unwrapTlv(gen.data, 0x7f49), 0x86);
    expect(toHex(slotCert.publicKey.export({ format: 'der', type: 'spki' }).subarray(-65))).toBe(toHex(point));
    // Imported keys cannot be attested.
    await send(card, apdu(0, 0xfe, 0x11, 0x9e, concatBytes(fromHex('0620'), new Uint8Array(32).fill(7))));
    expect((await send(card, '00F99E0000')).sw).toBe(0x6a80);
    expect((await send(card, '00F99D0000')).sw).toBe(0x6a88);
  });

  it('F6 moves a key to an empty slot and deletes one with P1 FF; needs 9B', async () => {
    const card = VirtualPivCard.create();
    expect((await send(card, '00F6FF9A00')).sw).toBe(0x6982);
    await mutualAuth(card);
    expect((await send(card, '00F6FF9A00')).sw).toBe(0x6a88);
    const gen = await send(card, '0047009A05AC03800111');
    await send(card, '0047009C05AC03800111');
    expect((await send(card, '00F69C9A00')).sw).toBe(0x6a80); // destination taken
    expect((await send(card, '00F6829A00')).sw).toBe(0x9000);
    expect((await meta(card, 0x9a)).sw).toBe(0x6a88);
    expect((await meta(card, 0x82)).tlvs[4]).toBe(toHex(unwrapTlv(gen.data, 0x7f49)));
    expect((await send(card, '00F6FF8200')).sw).toBe(0x9000);
    expect((await meta(card, 0x82)).sw).toBe(0x6a88);
    expect((await send(card, '00F6FF9B00')).sw).toBe(0x6a86);
  });
});
