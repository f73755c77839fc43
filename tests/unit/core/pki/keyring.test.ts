import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKeyring } from '../../../../electron/core/pki/keyring.js';
import { isStationError } from '../../../../electron/core/errors.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'keyring-'));
  dirs.push(d);
  return join(d, 'data');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function expectLocked(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isStationError(e, 'SECRETS_LOCKED')).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected SECRETS_LOCKED');
}

describe('openKeyring', () => {
  it('creates a protected keyring and reopens it with the same passphrase and master key', () => {
    const dir = tempDir();
    const k1 = openKeyring(dir, { passphrase: 'correct horse battery staple' });
    expect(k1.box.protected).toBe(true);
    expect(k1.training).toBe(false);
    expect(k1.currentMasterKeyVersion).toBe(1);
    const m = k1.masterKey(1);
    expect(m.length).toBe(32);
    const sealed = k1.box.seal(new Uint8Array([1, 2, 3]), 'test');

    const file = JSON.parse(readFileSync(join(dir, 'keyring.json'), 'utf8'));
    expect(file.kdf).toMatchObject({ name: 'scrypt', N: 32768, r: 8, p: 1 });
    expect(file.trainingKey).toBeUndefined();
    expect(JSON.stringify(file)).not.toContain(Buffer.from(m).toString('base64'));

    const k2 = openKeyring(dir, { passphrase: 'correct horse battery staple' });
    expect(Buffer.from(k2.masterKey(1)).equals(Buffer.from(m))).toBe(true);
    expect([...k2.box.open(sealed, 'test')]).toEqual([1, 2, 3]);
    expect(() => k2.masterKey(2)).toThrow();
  });

  it('refuses a wrong or missing passphrase with SECRETS_LOCKED naming STATION_PASSPHRASE', () => {
    const dir = tempDir();
    openKeyring(dir, { passphrase: 'right' });
    expect(expectLocked(() => openKeyring(dir, { passphrase: 'wrong' }))).toMatch(/STATION_PASSPHRASE/);
    expectLocked(() => openKeyring(dir, {}));
    // asking for training does not unlock a protected keyring
    expectLocked(() => openKeyring(dir, { training: true }));
  });

  it('refuses to create an unprotected keyring unless training is explicit', () => {
    expectLocked(() => openKeyring(tempDir(), {}));
  });

  it('creates an explicit training keyring that opens without a passphrase', () => {
    const dir = tempDir();
    const k1 = openKeyring(dir, { training: true });
    expect(k1.training).toBe(true);
    expect(k1.box.protected).toBe(false);
    const file = JSON.parse(readFileSync(join(dir, 'keyring.json'), 'utf8'));
    expect(file.training).toBe(true);
    const k2 = openKeyring(dir, {});
    expect(k2.training).toBe(true);
    expect(Buffer.from(k2.masterKey(1)).equals(Buffer.from(k1.masterKey(1)))).toBe(true);
    // a passphrase given later changes nothing: still the training keyring
    expect(openKeyring(dir, { passphrase: 'anything' }).box.protected).toBe(false);
  });

  it('gives different stations different master keys', () => {
    const a = openKeyring(tempDir(), { training: true }).masterKey(1);
    const b = openKeyring(tempDir(), { training: true }).masterKey(1);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});
