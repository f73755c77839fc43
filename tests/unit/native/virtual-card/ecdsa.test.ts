import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CURVES, derSignature, ecdsaSignHash, hashToInteger } from '../../../../native/virtual-card/ecdsa.js';
import { toHex } from '../../../../electron/core/piv/tlv.js';

describe('raw ECDSA over a host hash (FIPS 186-4 §6.4)', () => {
  it('truncates a longer input to the key size and left-pads a shorter one', () => {
    expect(hashToInteger(Uint8Array.of(1, 2, 3), 2)).toBe(0x0102n);
    expect(hashToInteger(Uint8Array.of(5), 4)).toBe(5n);
  });

  it('encodes DER integers with a leading zero when the high bit is set', () => {
    expect(toHex(derSignature(0x80n, 1n))).toBe('3007020200800201' + '01');
  });

  it('produces signatures node:crypto verifies (P-384 over SHA-384)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const d = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
    const msg = Buffer.from('abc');
    const sig = ecdsaSignHash(CURVES.P384, d, createHash('sha384').update(msg).digest());
    expect(verify('sha384', msg, publicKey, sig)).toBe(true);
    expect(verify('sha384', Buffer.from('abd'), publicKey, sig)).toBe(false);
  });
});
