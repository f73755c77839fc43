/**
 * PKCS#10 requests whose signature the card computes (SP 800-73-4 Part 2
 * §3.2.4 GENERAL AUTHENTICATE), checked by our verifier and by `openssl req -verify`.
 */
import { describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCsr, verifyCsr } from '../../../../electron/core/pki/csr.js';
import { PivSession } from '../../../../electron/core/piv/session.js';
import { signWithCard } from '../../../../electron/core/piv/card-signer.js';
import { FactoryDefaults, type KeyAlgorithm, type PivSlot } from '../../../../electron/core/piv/constants.js';
import { VirtualPivCard } from '../../../../native/virtual-card/card.js';
import { TrainingReaderProvider, TRAINING_READER_NAME } from '../../../../native/virtual-card/training-reader.js';

const execFileAsync = promisify(execFile);

async function cardSession(): Promise<{ session: PivSession; close: () => Promise<void> }> {
  const reader = new TrainingReaderProvider();
  reader.insert(VirtualPivCard.create());
  const transport = await reader.connect(TRAINING_READER_NAME);
  const session = new PivSession(transport);
  await session.select();
  await session.authenticateManagementKey('AES192', FactoryDefaults.MANAGEMENT_KEY);
  return { session, close: () => transport.close('reset') };
}

async function opensslVerifies(der: Uint8Array): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'csr-'));
  try {
    writeFileSync(join(dir, 'req.der'), der);
    const { stderr, stdout } = await execFileAsync('openssl', ['req', '-in', join(dir, 'req.der'), '-inform', 'DER', '-verify', '-noout']);
    return /verify OK|Certificate request self-signature verify OK/i.test(stdout + stderr);
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('CSR signed on the card', () => {
  const cases: [PivSlot, KeyAlgorithm][] = [
    ['9A', 'P256'],
    ['9C', 'P384'],
    ['9A', 'RSA2048'],
    ['9E', 'P256'],
  ];
  for (const [slot, alg] of cases) {
    test(`${slot} ${alg}: the card's signature verifies (ours and openssl)`, async () => {
      const { session, close } = await cardSession();
      try {
        const key = await session.generateKeyPair(slot, alg);
        const hash = alg === 'P384' ? 'SHA384' : 'SHA256';
        const der = await buildCsr({
          subject: 'CN=Card Holder,O=PIV Station Test Agency',
          publicKey: key,
          hash: hash === 'SHA384' ? 'SHA-384' : 'SHA-256',
          sign: async (tbs) => {
            if (slot !== '9E') await session.verifyPin(FactoryDefaults.PIN);
            return signWithCard(session, slot, key, tbs, hash);
          },
        });
        const verified = await verifyCsr(der);
        expect(Buffer.from(verified.publicKeySpki).equals(Buffer.from(key.spki))).toBe(true);
        expect(await opensslVerifies(der)).toBe(true);
      } finally {
        await close();
      }
    });
  }

  test('a CSR signed by another slot key than the one it names is refused', async () => {
    const { session, close } = await cardSession();
    try {
      const named = await session.generateKeyPair('9A', 'P256');
      const other = await session.generateKeyPair('9E', 'P256');
      await expect(
        buildCsr({ subject: 'CN=Mallory', publicKey: named, sign: (tbs) => signWithCard(session, '9E', other, tbs, 'SHA256') }),
      ).rejects.toMatchObject({ code: 'CA_ERROR' });
    } finally {
      await close();
    }
  });
});
