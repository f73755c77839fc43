/**
 * The virtual card judged by independent clients through the real pcscd:
 * yubico-piv-tool 2.2.0 personalises it (3DES default 9B, as that version has
 * no AES), then OpenSC's pkcs15-tool and pkcs11-tool --test use it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, withVpcdCard, type RunResult } from '../support/vpcd-card.js';

const PKCS11_MODULE = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';
const NEW_PIN = '24681357';
const NEW_PUK = '97531864';
/** A 3DES key with odd parity, not weak (yubico-piv-tool checks both). */
const NEW_MGMT_KEY = '0123456789ABCDEFFEDCBA987654321089ABCDEF01234567';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vcard-clients-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function ok(r: RunResult, what: string): RunResult {
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

async function makeCa(): Promise<{ cert: string; key: string }> {
  const key = join(dir, 'ca.key');
  const cert = join(dir, 'ca.pem');
  ok(
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=Virtual Card Test CA', '-days', '30']),
    'CA creation',
  );
  return { cert, key };
}

async function certify(ca: { cert: string; key: string }, pubkey: string, cn: string, out: string): Promise<void> {
  ok(
    await run('openssl', ['x509', '-new', '-force_pubkey', pubkey, '-CA', ca.cert, '-CAkey', ca.key, '-subj', `/CN=${cn}`, '-days', '30', '-out', out]),
    `certificate for ${cn}`,
  );
}

describe('virtual card with independent clients (pcscd + vpcd)', () => {
  it('is personalised by yubico-piv-tool and then used by OpenSC', async () => {
    await withVpcdCard({ cardOptions: { managementKeyAlgorithm: 'TDEA', serial: 13572468 } }, async ({ reader }) => {
      const atr = ok(await run('opensc-tool', ['-r', reader, '--atr']), 'opensc-tool --atr');
      expect(atr.stdout.toLowerCase()).toContain('3b:88:80:01:50:49:56:41:50:50:4c:54:1f');

      const ypt = (...args: string[]): Promise<RunResult> => run('yubico-piv-tool', ['-r', reader, ...args]);
      const version = ok(await ypt('-a', 'version'), 'version');
      expect(version.stdout).toContain('5.7.1');

      const pub9a = join(dir, '9a.pem');
      const pub9c = join(dir, '9c.pem');
      ok(await ypt('-a', 'generate', '-s', '9a', '-A', 'ECCP256', '-o', pub9a), 'generate 9a');
      ok(await ypt('-a', 'generate', '-s', '9c', '-A', 'RSA2048', '-o', pub9c), 'generate 9c');

      const ca = await makeCa();
      const cert9a = join(dir, '9a.crt');
      const cert9c = join(dir, '9c.crt');
      await certify(ca, pub9a, 'Virtual Card PIV Auth', cert9a);
      await certify(ca, pub9c, 'Virtual Card Digital Signature', cert9c);
      ok(await ypt('-a', 'import-certificate', '-s', '9a', '-i', cert9a), 'import 9a cert');
      ok(await ypt('-a', 'import-certificate', '-s', '9c', '-i', cert9c), 'import 9c cert');
      ok(await ypt('-a', 'set-chuid'), 'set-chuid');
      ok(await ypt('-a', 'set-ccc'), 'set-ccc');
      ok(await ypt('-a', 'change-pin', '-P', '123456', '-N', NEW_PIN), 'change-pin');
      ok(await ypt('-a', 'change-puk', '-P', '12345678', '-N', NEW_PUK), 'change-puk');
      ok(await ypt('-a', 'set-mgm-key', '-n', NEW_MGMT_KEY), 'set-mgm-key');
      // The old default key must now be refused, the new one accepted.
      expect((await ypt('-a', 'set-ccc')).code).not.toBe(0);
      ok(await ypt(`--key=${NEW_MGMT_KEY}`, '-a', 'set-ccc'), 'set-ccc with the new key');
      ok(await ypt('-a', 'verify-pin', '-P', NEW_PIN), 'verify new PIN');

      const status = ok(await ypt('-a', 'status'), 'status');
      expect(status.stdout).toMatch(/CHUID:/);
      expect(status.stdout).toMatch(/CCC:/);
      expect(status.stdout).toMatch(/Slot 9a:[\s\S]*Virtual Card PIV Auth/);
      expect(status.stdout).toMatch(/Slot 9c:[\s\S]*Virtual Card Digital Signature/);

      const dump = ok(await run('pkcs15-tool', ['--reader', reader, '--dump']), 'pkcs15-tool --dump');
      expect(dump.stdout).toContain('Certificate for PIV Authentication');
      expect(dump.stdout).toContain('Certificate for Digital Signature');
      expect(dump.stdout).toMatch(/Private EC Key/);
      expect(dump.stdout).toMatch(/Private RSA Key/);

      const p11 = ok(
        await run('pkcs11-tool', ['--module', PKCS11_MODULE, '--slot-description', reader, '--test', '--login', '--pin', NEW_PIN], { timeoutMs: 120_000 }),
        'pkcs11-tool --test',
      );
      expect(p11.stdout + p11.stderr).toMatch(/No errors/i);

      // pkcs11-tool --test skips EC keys: sign with the 9A P-256 key and verify with openssl.
      const data = join(dir, 'data.bin');
      const sig = join(dir, 'data.sig');
      writeFileSync(data, 'PIV Station virtual card ECDSA check');
      ok(
        await run('pkcs11-tool', ['--module', PKCS11_MODULE, '--slot-description', reader, '--login', '--pin', NEW_PIN, '--sign', '--id', '01', '--mechanism', 'ECDSA-SHA256', '--signature-format', 'openssl', '-i', data, '-o', sig]),
        'pkcs11-tool ECDSA sign',
      );
      const verified = ok(await run('openssl', ['dgst', '-sha256', '-verify', pub9a, '-signature', sig, data]), 'openssl verify');
      expect(verified.stdout).toContain('Verified OK');
    });
  });
});
