import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FactoryDefaults } from '../../../../electron/core/piv/constants.js';
import {
  checkManagementKey,
  decryptManagementBlock,
  encryptManagementBlock,
  MGMT_BLOCK_SIZE,
} from '../../../../electron/core/piv/management-key.js';
import { fromHex, toHex } from '../../../../electron/core/piv/tlv.js';

describe('management key block cipher', () => {
  it('3TDEA with the factory key matches node:crypto des-ede3-ecb', () => {
    const block = fromHex('0001020304050607');
    const c = createCipheriv('des-ede3-ecb', FactoryDefaults.MANAGEMENT_KEY, null).setAutoPadding(false);
    const expected = toHex(Buffer.concat([c.update(block), c.final()]));
    expect(toHex(encryptManagementBlock('TDEA', FactoryDefaults.MANAGEMENT_KEY, block))).toBe(expected);
    expect(decryptManagementBlock('TDEA', FactoryDefaults.MANAGEMENT_KEY, fromHex(expected))).toEqual(block);
  });
  it('AES-128 matches the FIPS 197 Appendix C.1 vector', () => {
    const key = fromHex('000102030405060708090a0b0c0d0e0f');
    const pt = fromHex('00112233445566778899aabbccddeeff');
    expect(toHex(encryptManagementBlock('AES128', key, pt))).toBe('69C4E0D86A7B0430D8CDB78070B4C55A');
  });
  it('AES-192 and AES-256 round-trip one 16-byte block', () => {
    for (const [alg, len] of [['AES192', 24], ['AES256', 32]] as const) {
      const key = new Uint8Array(len).fill(7);
      const block = new Uint8Array(MGMT_BLOCK_SIZE[alg]).fill(9);
      expect(decryptManagementBlock(alg, key, encryptManagementBlock(alg, key, block))).toEqual(block);
    }
  });
  it('refuses wrong key and block sizes without quoting the key', () => {
    expect(() => checkManagementKey('AES256', new Uint8Array(24))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => encryptManagementBlock('TDEA', FactoryDefaults.MANAGEMENT_KEY, new Uint8Array(16))).toThrow(
      expect.objectContaining({ code: 'MALFORMED_RESPONSE' }),
    );
  });
});
