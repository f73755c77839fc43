import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  deriveCardManagementKey,
  fixDesParity,
  isWeakTdeaKey,
  kbkdfCounterHmacSha256,
  kbkdfHmacSha256,
} from '../../../../electron/core/pki/kdf.js';

const run = promisify(execFile);
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** OpenSSL's KBKDF (SP 800-108 counter mode): salt = Label, info = Context, separator and [L]_32 on by default. */
async function opensslKbkdf(key: Uint8Array, label: Uint8Array, context: Uint8Array, len: number): Promise<string> {
  const { stdout } = await run('openssl', [
    'kdf', '-keylen', String(len), '-kdfopt', 'mac:HMAC', '-kdfopt', 'digest:SHA256',
    '-kdfopt', `hexkey:${toHex(key)}`, '-kdfopt', `hexsalt:${toHex(label)}`, '-kdfopt', `hexinfo:${toHex(context)}`, 'KBKDF',
  ]);
  return stdout.trim().replace(/:/g, '').toLowerCase();
}

describe('SP 800-108r1 counter-mode KBKDF, HMAC-SHA-256', () => {
  it('matches the NIST CAVP KDFCTR vector (PRF=HMAC_SHA256, CTRLOCATION=BEFORE_FIXED, RLEN=32_BITS, L=128)', () => {
    const ki = hex('dd1d91b7d90b2bd3138533ce92b272fbf8a369316aefe242e659cc0ae238afe0');
    const fixed = hex(
      '01322b96b30acd197979444e468e1c5c6859bf1b1cf951b7e725303e237e46b864a145fab25e517b08f8683d0315bb2911d80a0e8aba17f3b413faac',
    );
    expect(toHex(kbkdfCounterHmacSha256(ki, fixed, 16))).toBe('10621342bfb0fd40046c0e29f2cfdbf0');
  });

  it('lays out Label ‖ 0x00 ‖ Context ‖ [L]_32 exactly as OpenSSL KBKDF does, across lengths and multi-block output', async () => {
    const key = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    const label = new TextEncoder().encode('PIV-9B-AES192');
    const context = hex('00112233445566778899aabbccddeeff00000001');
    for (const len of [16, 24, 32, 33, 64, 80]) {
      expect(toHex(kbkdfHmacSha256(key, label, context, len))).toBe(await opensslKbkdf(key, label, context, len));
    }
  });

  it('is consistent with the raw form', () => {
    const key = hex('0102');
    const fixed = hex('6c616200aabb00000080'); // "lab" 00 aabb [128]_32
    expect(toHex(kbkdfHmacSha256(key, new TextEncoder().encode('lab'), hex('aabb'), 16))).toBe(
      toHex(kbkdfCounterHmacSha256(key, fixed, 16)),
    );
  });

  it('rejects a zero length', () => {
    expect(() => kbkdfHmacSha256(hex('01'), hex(''), hex(''), 0)).toThrow();
  });
});

describe('deriveCardManagementKey', () => {
  const master = hex('8f'.repeat(32));
  const guid = hex('00112233445566778899aabbccddeeff');

  it('uses Label "PIV-9B-<alg>" and Context GUID ‖ [version]_32, with the algorithm key length', async () => {
    for (const [alg, len] of [['AES128', 16], ['AES192', 24], ['AES256', 32]] as const) {
      const got = deriveCardManagementKey(master, guid, 3, alg);
      expect(got.length).toBe(len);
      const expected = await opensslKbkdf(master, new TextEncoder().encode(`PIV-9B-${alg}`), hex(`${toHex(guid)}00000003`), len);
      expect(toHex(got)).toBe(expected);
    }
  });

  it('differs per card, per version and per algorithm', () => {
    const a = toHex(deriveCardManagementKey(master, guid, 1, 'AES192'));
    expect(toHex(deriveCardManagementKey(master, guid, 2, 'AES192'))).not.toBe(a);
    expect(toHex(deriveCardManagementKey(master, hex('ff'.repeat(16)), 1, 'AES192'))).not.toBe(a);
    expect(toHex(deriveCardManagementKey(master, guid, 1, 'TDEA'))).not.toBe(a);
    expect(toHex(deriveCardManagementKey(master, guid, 1, 'AES192'))).toBe(a);
  });

  it('TDEA: 24 bytes with odd parity on every byte and three distinct, non-weak DES keys', async () => {
    for (let v = 0; v < 50; v++) {
      const k = deriveCardManagementKey(master, guid, v, 'TDEA');
      expect(k.length).toBe(24);
      for (const byte of k) {
        let ones = 0;
        for (let b = byte; b; b >>= 1) ones += b & 1;
        expect(ones % 2).toBe(1);
      }
      expect(isWeakTdeaKey(k)).toBe(false);
      // same bits as the plain KDF output apart from the parity bits
      const raw = await opensslKbkdf(master, new TextEncoder().encode('PIV-9B-TDEA'), hex(`${toHex(guid)}${v.toString(16).padStart(8, '0')}`), 24);
      if (v < 3) expect(toHex(fixDesParity(hex(raw)))).toBe(toHex(k));
    }
  });

  it('refuses bad GUIDs and versions', () => {
    expect(() => deriveCardManagementKey(master, hex('00'), 1, 'AES128')).toThrow(/16 bytes/);
    expect(() => deriveCardManagementKey(master, guid, -1, 'AES128')).toThrow();
  });
});

describe('TDEA key checks', () => {
  it('fixDesParity sets odd parity, keeping the 7 key bits', () => {
    expect(toHex(fixDesParity(hex('0000fefe7f80')))).toBe('0101fefe7f80');
    expect(toHex(fixDesParity(hex('0203')))).toBe('0202');
  });
  it('isWeakTdeaKey detects weak / semi-weak components and repeated keys', () => {
    const k1 = '0123456789abcdef', k2 = '23456789abcdef01', k3 = '456789abcdef0123';
    expect(isWeakTdeaKey(fixDesParity(hex(k1 + k2 + k3)))).toBe(false);
    expect(isWeakTdeaKey(hex('0101010101010101' + k2 + k3))).toBe(true);
    expect(isWeakTdeaKey(hex(k1 + '01fe01fe01fe01fe' + k3))).toBe(true);
    expect(isWeakTdeaKey(hex(k1 + k1 + k3))).toBe(true);
    expect(isWeakTdeaKey(hex(k1 + k2 + k2))).toBe(true);
    expect(isWeakTdeaKey(hex(k1 + k2 + k1))).toBe(true);
  });
});
