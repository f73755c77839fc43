import { describe, expect, it } from 'vitest';
import { buildCsr, verifyCsr } from '../../../../electron/core/pki/csr.js';
import { isStationError } from '../../../../electron/core/errors.js';
import { openssl, put, softKey, withTempDir } from './helpers.js';

const SUBJECT = 'CN=Alice Smith,OU=employee,O=Example Agency,C=US';

describe('buildCsr / verifyCsr', () => {
  for (const [alg, hash, sigName] of [
    ['P256', 'sha256', 'ecdsa-with-SHA256'],
    ['P384', 'sha384', 'ecdsa-with-SHA384'],
    ['RSA2048', 'sha256', 'sha256WithRSAEncryption'],
  ] as const) {
    it(`${alg}: builds a request that verifies here and with openssl req -verify (${sigName})`, async () => {
      const key = softKey(alg);
      const der = await buildCsr({ subject: SUBJECT, publicKey: key.publicKey, sign: key.sign(hash) });
      const v = await verifyCsr(der);
      expect(Buffer.from(v.publicKeySpki).equals(Buffer.from(key.publicKey.spki))).toBe(true);
      expect(v.subject).toBe('CN=Alice Smith, OU=employee, O=Example Agency, C=US');
      await withTempDir(async (dir) => {
        await put(dir, 'req.der', der);
        const r = await openssl(['req', '-in', 'req.der', '-inform', 'DER', '-verify', '-noout', '-text'], dir);
        expect(r.code).toBe(0);
        expect(r.stdout + r.stderr).toMatch(/verify OK/i);
        expect(r.stdout).toContain(`Signature Algorithm: ${sigName}`);
        expect(r.stdout).toMatch(/Subject: C\s*=\s*US, O\s*=\s*Example Agency, OU\s*=\s*employee, CN\s*=\s*Alice Smith/);
      });
    });
  }

  it('SHA-384 can be asked for with a P-256 key', async () => {
    const key = softKey('P256');
    const der = await buildCsr({ subject: 'CN=x', publicKey: key.publicKey, sign: key.sign('sha384'), hash: 'SHA-384' });
    await expect(verifyCsr(der)).resolves.toBeTruthy();
  });

  it('refuses a signature made by another key (CA_ERROR)', async () => {
    const key = softKey('P256');
    const other = softKey('P256');
    await expect(buildCsr({ subject: 'CN=x', publicKey: key.publicKey, sign: other.sign('sha256') })).rejects.toSatisfy(
      (e: unknown) => isStationError(e, 'CA_ERROR'),
    );
  });

  it('verifyCsr refuses a tampered request and garbage', async () => {
    const key = softKey('P256');
    const der = await buildCsr({ subject: 'CN=Alice', publicKey: key.publicKey, sign: key.sign('sha256') });
    const tampered = Uint8Array.from(der);
    const at = Buffer.from(der).indexOf(Buffer.from('Alice'));
    tampered[at] = 'B'.charCodeAt(0);
    await expect(verifyCsr(tampered)).rejects.toSatisfy((e: unknown) => isStationError(e, 'CA_ERROR'));
    await expect(verifyCsr(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]))).rejects.toSatisfy((e: unknown) =>
      isStationError(e, 'CA_ERROR'),
    );
  });

  it('refuses a public key that is not the named algorithm', async () => {
    const key = softKey('P384');
    await expect(
      buildCsr({ subject: 'CN=x', publicKey: { algorithm: 'P256', spki: key.publicKey.spki }, sign: key.sign('sha256') }),
    ).rejects.toSatisfy((e: unknown) => isStationError(e, 'CA_ERROR'));
  });
});
