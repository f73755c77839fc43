/**
 * Test-side helpers that talk to a VirtualPivCard with raw APDUs and compute
 * the expected cryptography independently with node:crypto.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { expect } from 'vitest';
import { concatBytes, fromHex } from '../../../../electron/core/piv/tlv.js';
import type { VirtualPivCard } from '../../../../native/virtual-card/card.js';

export const DEFAULT_KEY = fromHex('010203040506070801020304050607080102030405060708');

export interface Reply {
  data: Uint8Array;
  sw: number;
}

/** Sends one APDU (hex or bytes). */
export async function send(card: VirtualPivCard, apdu: string | Uint8Array): Promise<Reply> {
  const r = await card.processApdu(typeof apdu === 'string' ? fromHex(apdu) : apdu);
  return { data: r.subarray(0, r.length - 2), sw: (r[r.length - 2]! << 8) | r[r.length - 1]! };
}

/** Short APDU bytes. */
export function apdu(cla: number, ins: number, p1: number, p2: number, data?: Uint8Array, le?: number): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(cla, ins, p1, p2)];
  if (data && data.length) parts.push(Uint8Array.of(data.length), data);
  if (le !== undefined) parts.push(Uint8Array.of(le & 0xff));
  return concatBytes(...parts);
}

/** Sends `data` with command chaining (255-byte blocks), then collects 61xx parts with GET RESPONSE (Le `getLe`). */
export async function transceive(card: VirtualPivCard, ins: number, p1: number, p2: number, data: Uint8Array, getLe = 0): Promise<Reply> {
  let offset = 0;
  while (data.length - offset > 255) {
    const r = await send(card, apdu(0x10, ins, p1, p2, data.subarray(offset, offset + 255)));
    expect(r.sw).toBe(0x9000);
    offset += 255;
  }
  let r = await send(card, apdu(0x00, ins, p1, p2, data.subarray(offset), 0));
  const chunks = [r.data];
  while (r.sw >> 8 === 0x61) {
    r = await send(card, Uint8Array.of(0x00, 0xc0, 0x00, 0x00, getLe));
    chunks.push(r.data);
  }
  return { data: concatBytes(...chunks), sw: r.sw };
}

function ecb(alg: 'TDEA' | 'AES128' | 'AES192' | 'AES256', key: Uint8Array, block: Uint8Array, decrypt: boolean): Uint8Array {
  const name = { TDEA: 'des-ede3', AES128: 'aes-128-ecb', AES192: 'aes-192-ecb', AES256: 'aes-256-ecb' }[alg];
  const c = decrypt ? createDecipheriv(name, key, null) : createCipheriv(name, key, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
}
export const encrypt = (alg: Parameters<typeof ecb>[0], key: Uint8Array, b: Uint8Array): Uint8Array => ecb(alg, key, b, false);
export const decrypt = (alg: Parameters<typeof ecb>[0], key: Uint8Array, b: Uint8Array): Uint8Array => ecb(alg, key, b, true);

const ALG_BYTE = { TDEA: 0x03, AES128: 0x08, AES192: 0x0a, AES256: 0x0c } as const;

/**
 * Mutual authentication of 9B (SP 800-73-4 Part 2 A.2), the host side computed here.
 * @returns the final status word
 */
export async function mutualAuth(card: VirtualPivCard, alg: keyof typeof ALG_BYTE = 'AES192', key = DEFAULT_KEY): Promise<number> {
  const p1 = ALG_BYTE[alg];
  const block = alg === 'TDEA' ? 8 : 16;
  const r1 = await send(card, apdu(0, 0x87, p1, 0x9b, fromHex('7C028000')));
  if (r1.sw !== 0x9000) return r1.sw;
  expect(r1.data.subarray(0, 4)).toEqual(Uint8Array.of(0x7c, block + 2, 0x80, block));
  const witness = decrypt(alg, key, r1.data.subarray(4));
  const challenge = new Uint8Array(block).map((_, i) => i * 7 + 1);
  const body = concatBytes(Uint8Array.of(0x80, block), witness, Uint8Array.of(0x81, block), challenge, Uint8Array.of(0x82, 0x00));
  const r2 = await send(card, apdu(0, 0x87, p1, 0x9b, concatBytes(Uint8Array.of(0x7c, body.length), body)));
  if (r2.sw !== 0x9000) return r2.sw;
  expect(r2.data).toEqual(concatBytes(Uint8Array.of(0x7c, block + 2, 0x82, block), encrypt(alg, key, challenge)));
  return r2.sw;
}

/** PIN field padded with FF. */
export function pinField(pin: string): Uint8Array {
  const out = new Uint8Array(8).fill(0xff);
  out.set(Buffer.from(pin, 'ascii'));
  return out;
}

/** VERIFY PIN. */
export async function verifyPin(card: VirtualPivCard, pin = '123456'): Promise<number> {
  return (await send(card, apdu(0, 0x20, 0x00, 0x80, pinField(pin)))).sw;
}
