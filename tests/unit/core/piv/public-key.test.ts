import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  publicKeyFromTemplate,
  publicKeyObject,
  publicKeysEqual,
  publicKeyToTemplate,
} from '../../../../electron/core/piv/public-key.js';
import { concatBytes, decodeTlvs, encodeTlv, findTlv, fromHex, toHex } from '../../../../electron/core/piv/tlv.js';

const spkiOf = (k: ReturnType<typeof generateKeyPairSync>['publicKey']) =>
  new Uint8Array(k.export({ type: 'spki', format: 'der' }));

describe('public keys from 7F49 templates', () => {
  it.each([
    ['P256', 'P-256', 65],
    ['P384', 'P-384', 97],
  ] as const)('%s: template 86 04‖X‖Y ↔ SPKI round trip', (alg, curve, pointLength) => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
    const spki = spkiOf(publicKey);
    const template = publicKeyToTemplate({ algorithm: alg, spki });
    const point = findTlv(decodeTlvs(template), 0x86)!;
    expect(point.length).toBe(pointLength);
    expect(point[0]).toBe(4);
    // The uncompressed point is the tail of the SPKI's BIT STRING.
    expect(toHex(spki).endsWith(toHex(point))).toBe(true);
    expect(publicKeyFromTemplate(alg, template)).toEqual({ algorithm: alg, spki });
  });
  it('RSA2048: template 81 n 82 e ↔ SPKI round trip', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const spki = spkiOf(publicKey);
    const template = publicKeyToTemplate({ algorithm: 'RSA2048', spki });
    const tlvs = decodeTlvs(template);
    expect(findTlv(tlvs, 0x81)!.length).toBe(256);
    expect(toHex(findTlv(tlvs, 0x82)!)).toBe('010001');
    expect(publicKeyFromTemplate('RSA2048', template).spki).toEqual(spki);
    expect(publicKeyObject({ algorithm: 'RSA2048', spki }).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });
  it('accepts a modulus with a leading zero byte', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const spki = spkiOf(publicKey);
    const tlvs = decodeTlvs(publicKeyToTemplate({ algorithm: 'RSA2048', spki }));
    const padded = concatBytes(
      encodeTlv(0x81, Uint8Array.of(0), findTlv(tlvs, 0x81)!),
      encodeTlv(0x82, findTlv(tlvs, 0x82)!),
    );
    expect(publicKeyFromTemplate('RSA2048', padded).spki).toEqual(spki);
  });
  it('rejects a point off the curve, a wrong size, a missing tag, or an RSA-1024 modulus', () => {
    const offCurve = encodeTlv(0x86, Uint8Array.of(4), new Uint8Array(64).fill(1));
    expect(() => publicKeyFromTemplate('P256', offCurve)).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
    expect(() => publicKeyFromTemplate('P384', offCurve)).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
    expect(() => publicKeyFromTemplate('P256', fromHex('8100'))).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    const t1024 = publicKeyToTemplate({ algorithm: 'RSA2048', spki: spkiOf(small) });
    expect(() => publicKeyFromTemplate('RSA2048', t1024)).toThrow(/2048/);
  });
  it('refuses to convert an SPKI of another algorithm', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(() => publicKeyToTemplate({ algorithm: 'P256', spki: spkiOf(publicKey) })).toThrow(
      expect.objectContaining({ code: 'MALFORMED_RESPONSE' }),
    );
    expect(() => publicKeyToTemplate({ algorithm: 'RSA2048', spki: spkiOf(publicKey) })).toThrow();
  });
  it('compares keys by algorithm and SPKI', () => {
    const a = { algorithm: 'P256' as const, spki: spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey) };
    const b = { algorithm: 'P256' as const, spki: spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey) };
    expect(publicKeysEqual(a, { ...a, spki: a.spki.slice() })).toBe(true);
    expect(publicKeysEqual(a, b)).toBe(false);
  });
});
