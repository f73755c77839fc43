import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseKeyMetadata } from '../../../../electron/core/piv/metadata.js';
import { publicKeyToTemplate } from '../../../../electron/core/piv/public-key.js';
import { concatBytes, encodeTlv, fromHex } from '../../../../electron/core/piv/tlv.js';

describe('parseKeyMetadata (YubiKey F7)', () => {
  it('parses default AES-192 management key metadata (ykman test_management_key_metadata)', () => {
    expect(parseKeyMetadata(fromHex('01010A 02020001 050101'.replace(/ /g, '')))).toEqual({
      algorithm: 'AES192',
      algorithmId: 0x0a,
      pinPolicy: 'default',
      touchPolicy: 'never',
      isDefault: true,
    });
  });
  it('parses PIN metadata with retries', () => {
    expect(parseKeyMetadata(fromHex('0101FF 02020100 050100 06020502'.replace(/ /g, '')))).toMatchObject({
      algorithm: 'PIN',
      pinPolicy: 'never',
      isDefault: false,
      retries: { total: 5, remaining: 2 },
    });
  });
  it('parses slot key metadata with origin and public key', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    const body = concatBytes(
      fromHex('010111 02020302 030101'.replace(/ /g, '')),
      encodeTlv(0x04, publicKeyToTemplate({ algorithm: 'P256', spki })),
    );
    expect(parseKeyMetadata(body)).toEqual({
      algorithm: 'P256',
      algorithmId: 0x11,
      pinPolicy: 'always',
      touchPolicy: 'always',
      origin: 'generated',
      publicKey: { algorithm: 'P256', spki },
    });
    expect(parseKeyMetadata(fromHex('010107030102')).origin).toBe('imported');
  });
  it('keeps unknown algorithms as "other"', () => {
    expect(parseKeyMetadata(fromHex('0101E0')).algorithm).toBe('other');
  });
  it('parses by structure: any field may be absent or of another size, and that field is then unknown, never a default', () => {
    // PIN metadata as an independent applet answers it (issue 9): no algorithm tag.
    expect(parseKeyMetadata(fromHex('05010106020505'))).toEqual({ isDefault: true, retries: { total: 5, remaining: 5 } });
    // 9B metadata without the default flag: not "still default", just unknown.
    expect(parseKeyMetadata(fromHex('01010A')).isDefault).toBeUndefined();
    // A retries field of three bytes, a policy of one: left out, the rest kept.
    expect(parseKeyMetadata(fromHex('0101FF06030503FF050100'))).toEqual({ algorithm: 'PIN', algorithmId: 0xff, isDefault: false });
    expect(parseKeyMetadata(fromHex('0101FF020103050100'))).toEqual({ algorithm: 'PIN', algorithmId: 0xff, isDefault: false });
    expect(parseKeyMetadata(new Uint8Array(0))).toEqual({});
  });
  it('reads a public key without the algorithm tag by its shape', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    expect(parseKeyMetadata(encodeTlv(0x04, publicKeyToTemplate({ algorithm: 'P384', spki }))).publicKey).toEqual({ algorithm: 'P384', spki });
  });
  it('throws MALFORMED_RESPONSE only for a body that is not BER-TLV', () => {
    expect(() => parseKeyMetadata(fromHex('FF'))).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
    expect(() => parseKeyMetadata(fromHex('0105FF'))).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
  });
});
