import { createECDH, createHash, createPublicKey, generateKeyPairSync, publicEncrypt, verify, constants, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { concatBytes, decodeTlvs, fromHex, toHex, unwrapTlv } from '../../../../../electron/core/piv/tlv.js';
import { VirtualPivCard } from '../../../../../native/virtual-card/card.js';
import { DEFAULT_KEY, apdu, encrypt, mutualAuth, send, transceive, verifyPin } from '../helpers.js';

/** GENERATE in `slot` with mechanism `mech`, returns the public key as a KeyObject. */
async function generate(card: VirtualPivCard, slot: number, mech: number): Promise<KeyObject> {
  const r = await transceive(card, 0x47, 0, slot, Uint8Array.of(0xac, 3, 0x80, 1, mech));
  expect(r.sw).toBe(0x9000);
  const tmpl = decodeTlvs(unwrapTlv(r.data, 0x7f49));
  if (mech === 0x07) {
    const n = tmpl.find((t) => t.tag === 0x81)!.value;
    const e = tmpl.find((t) => t.tag === 0x82)!.value;
    expect(toHex(e)).toBe('010001');
    return createPublicKey({ key: { kty: 'RSA', n: Buffer.from(n).toString('base64url'), e: 'AQAB' }, format: 'jwk' });
  }
  const point = tmpl.find((t) => t.tag === 0x86)!.value;
  const size = (point.length - 1) / 2;
  return createPublicKey({
    key: { kty: 'EC', crv: mech === 0x11 ? 'P-256' : 'P-384', x: Buffer.from(point.subarray(1, 1 + size)).toString('base64url'), y: Buffer.from(point.subarray(1 + size)).toString('base64url') },
    format: 'jwk',
  });
}

function tlv(tag: number, value: Uint8Array): Uint8Array {
  const len = value.length < 0x80 ? Uint8Array.of(value.length) : value.length < 0x100 ? Uint8Array.of(0x81, value.length) : Uint8Array.of(0x82, value.length >> 8, value.length & 0xff);
  return concatBytes(Uint8Array.of(tag), len, value);
}
const signTemplate = (input: Uint8Array) => tlv(0x7c, concatBytes(fromHex('8200'), tlv(0x81, input)));

async function sign(card: VirtualPivCard, alg: number, slot: number, input: Uint8Array): Promise<{ sw: number; sig: Uint8Array }> {
  const r = await transceive(card, 0x87, alg, slot, signTemplate(input));
  if (r.sw !== 0x9000) return { sw: r.sw, sig: new Uint8Array() };
  return { sw: r.sw, sig: unwrapTlv(unwrapTlv(r.data, 0x7c), 0x82) };
}

/** EMSA-PKCS1-v1_5 block for SHA-256 (RFC 8017 §9.2), built by the host. */
function pkcs1Block(message: Uint8Array, size: number): Uint8Array {
  const digestInfo = concatBytes(fromHex('3031300D060960864801650304020105000420'), createHash('sha256').update(message).digest());
  return concatBytes(Uint8Array.of(0, 1), new Uint8Array(size - digestInfo.length - 3).fill(0xff), Uint8Array.of(0), digestInfo);
}

describe('GENERAL AUTHENTICATE: card administrator 9B (Part 2 App. A.1, A.2)', () => {
  it('external authentication with 3DES, P1 00 and P1 03', async () => {
    for (const p1 of [0x00, 0x03]) {
      const card = VirtualPivCard.create({ managementKeyAlgorithm: 'TDEA' });
      const r1 = await send(card, apdu(0, 0x87, p1, 0x9b, fromHex('7C028100')));
      expect(r1.sw).toBe(0x9000);
      expect(toHex(r1.data.subarray(0, 4))).toBe('7C0A8108');
      const answer = encrypt('TDEA', DEFAULT_KEY, r1.data.subarray(4));
      const r2 = await send(card, apdu(0, 0x87, p1, 0x9b, concatBytes(fromHex('7C0A8208'), answer)));
      expect(r2.sw).toBe(0x9000);
      expect((await send(card, '00DB3FFF095C035FC1075302F500')).sw).toBe(0x9000);
    }
  });

  it('refuses a wrong external cryptogram (6982) and leaves the card unauthenticated', async () => {
    const card = VirtualPivCard.create({ managementKeyAlgorithm: 'TDEA' });
    await send(card, '0087039B047C028100');
    expect((await send(card, '0087039B0C7C0A82080000000000000000')).sw).toBe(0x6982);
    expect((await send(card, '00DB3FFF095C035FC1075302F500')).sw).toBe(0x6982);
  });

  it('mutual authentication with AES-192 (default) and a 16-byte witness and challenge', async () => {
    expect(await mutualAuth(VirtualPivCard.create(), 'AES192')).toBe(0x9000);
  });

  it('refuses a wrong witness (6982) and a step 2 without step 1', async () => {
    const card = VirtualPivCard.create();
    await send(card, '00870A9B047C028000');
    const body = concatBytes(fromHex('8010'), new Uint8Array(16), fromHex('8110'), new Uint8Array(16));
    expect((await send(card, apdu(0, 0x87, 0x0a, 0x9b, tlv(0x7c, body)))).sw).toBe(0x6982);
    expect((await send(card, apdu(0, 0x87, 0x0a, 0x9b, tlv(0x7c, body)))).sw).toBe(0x6982);
  });

  it('a chained GENERAL AUTHENTICATE interrupted by another command is rolled back', async () => {
    const card = VirtualPivCard.create();
    await mutualAuth(card);
    await generate(card, 0x9e, 0x11);
    const data = signTemplate(new Uint8Array(32).fill(1));
    expect((await send(card, apdu(0x10, 0x87, 0x11, 0x9e, data.subarray(0, 10)))).sw).toBe(0x9000);
    expect((await send(card, '00FD000000')).sw).toBe(0x9000);
    // Only the tail arrives now: without the rolled-back head it is not a valid template.
    expect((await send(card, apdu(0, 0x87, 0x11, 0x9e, data.subarray(10)))).sw).toBe(0x6a80);
  });
});

describe('GENERAL AUTHENTICATE: asymmetric keys (App. A.3–A.5, Part 1 Table 4b)', () => {
  it('signs with P-256 in 9A after VERIFY; the signature verifies with node:crypto', async () => {
    const card = VirtualPivCard.create();
    await mutualAuth(card);
    const pub = await generate(card, 0x9a, 0x11);
    const message = Buffer.from('PIV Station');
    const hash = createHash('sha256').update(message).digest();
    expect((await sign(card, 0x11, 0x9a, hash)).sw).toBe(0x6982);
    expect(await verifyPin(card)).toBe(0x9000);
    const first = await sign(card, 0x11, 0x9a, hash);
    expect(first.sw).toBe(0x9000);
    expect(verify('sha256', message, pub, first.sig)).toBe(true);
    // 9A: PIN once per verification, so a second signature needs no new VERIFY.
    expect((await sign(card, 0x11, 0x9a, hash)).sw).toBe(0x9000);
  });

  it('9C needs the PIN immediately before each use', async () => {
    const card = VirtualPivCard.create();
    await mutualAuth(card);
    const pub = await generate(card, 0x9c, 0x14);
    const message = Buffer.from('document');
    const hash = createHash('sha384').update(message).digest();
    await verifyPin(card);
    const s = await sign(card, 0x14, 0x9c, hash);
    expect(s.sw).toBe(0x9000);
    expect(verify('sha384', message, pub, s.sig)).toBe(true);
    expect((await sign(card, 0x14, 0x9c, hash)).sw).toBe(0x6982);
    await verifyPin(card);
    expect((await sign(card, 0x14, 0x9c, hash)).sw).toBe(0x9000);
  });

  it('9E (card authentication) signs without a PIN; a longer hash is truncated to the key size', async () => {
    const card = VirtualPivCard.create();
    await mutualAuth(card);
    const pub = await generate(card, 0x9e, 0x11);
    const message = Buffer.from('door');
    const sha384 = createHash('sha384').update(message).digest();
    const s = await sign(card, 0x11, 0x9e, sha384);
    expect(s.sw).toBe(0x9000);
    // ECDSA over the leftmost 32 bytes equals an ECDSA-SHA-384 signature (FIPS 186-4 §6.4).
    expect(verify('sha384', message, pub, s.sig)).toBe(true);
  });

  it('RSA-2048: raw private operation on a host-padded block with chaining and 61xx (A.3)', async () => {
    const card = VirtualPivCard.create();
    await mutualAuth(card);
    const pub = await generate(card, 0x9a, 0x07);
    await verifyPin(card);
    const message = Buffer.from('RSA message');
    const s = await sign(card, 0x07, 0x9a, pkcs1Block(message, 256));
    expect(s.sw).toBe(0x9000);
    expect(s.sig.length).toBe(256);
    expect(verify('sha256', message, pub, s.sig)).toBe(true);
  });

  it('RSA decipher in 9D returns the padded block (A.5.1)', async () => {
    const card = VirtualPivCard.create();
    await mutualAuth(card);
    const pub = await generate(card, 0x9d, 0x07);
    await verifyPin(card);
    const secret = Buffer.from('session key 1234');
    const ct = publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_PADDING }, secret);
    const r = await sign(card, 0x07, 0x9d, ct);
    expect(r.sw).toBe(0x9000);
    expect(Buffer.from(r.sig.subarray(r.sig.length - secret.length)).equals(secret)).toBe(true);
    expect(r.sig[0]).toBe(0);
    expect(r.sig[1]).toBe(2);
  });

  it('ECDH in 9D returns the shared x-coordinate (A.5.2)', async () => {
    const card = VirtualPivCard.create();
    await mutualAuth(card);
    const pub = await generate(card, 0x9d, 0x11);
    await verifyPin(card);
    const peer = createECDH('prime256v1');
    peer.generateKeys();
    const r = await transceive(card, 0x87, 0x11, 0x9d, tlv(0x7c, concatBytes(fromHex('8200'), tlv(0x85, peer.getPublicKey()))));
    expect(r.sw).toBe(0x9000);
    const z = unwrapTlv(unwrapTlv(r.data, 0x7c), 0x82);
    const cardPoint = Buffer.from(pub.export({ format: 'der', type: 'spki' })).subarray(-65);
    expect(toHex(z)).toBe(toHex(peer.computeSecret(cardPoint)));
  });

  it('answers 6A88 for an empty slot and 6A86 for an algorithm that does not match the key', async () => {
    const card = VirtualPivCard.create();
    await mutualAuth(card);
    expect((await sign(card, 0x11, 0x9a, new Uint8Array(32))).sw).toBe(0x6a88);
    await generate(card, 0x9e, 0x11);
    expect((await sign(card, 0x14, 0x9e, new Uint8Array(48))).sw).toBe(0x6a86);
  });

  it('imports keys (FE) that then sign like the originals', async () => {
    const card = VirtualPivCard.create();
    await mutualAuth(card);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const d = Buffer.from(ec.privateKey.export({ format: 'jwk' }).d!, 'base64url');
    expect((await send(card, apdu(0, 0xfe, 0x11, 0x9e, tlv(0x06, d)))).sw).toBe(0x9000);
    const hash = createHash('sha256').update('imported').digest();
    const s = await sign(card, 0x11, 0x9e, hash);
    expect(verify('sha256', Buffer.from('imported'), ec.publicKey, s.sig)).toBe(true);

    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const j = rsa.privateKey.export({ format: 'jwk' });
    const part = (tag: number, v: string | undefined) => {
      const b = Buffer.from(v!, 'base64url');
      return tlv(tag, concatBytes(new Uint8Array(128 - b.length), b));
    };
    const body = concatBytes(part(1, j.p), part(2, j.q), part(3, j.dp), part(4, j.dq), part(5, j.qi));
    expect((await transceive(card, 0xfe, 0x07, 0x9a, body)).sw).toBe(0x9000);
    await verifyPin(card);
    const rs = await sign(card, 0x07, 0x9a, pkcs1Block(Buffer.from('imported rsa'), 256));
    expect(verify('sha256', Buffer.from('imported rsa'), rsa.publicKey, rs.sig)).toBe(true);
  });
});
