import { randomBytes, scryptSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { finishRekey, openKeyring, rekeyKeyring } from '../../../../electron/core/pki/keyring.js';
import { createSecretBox } from '../../../../electron/core/pki/secret-box.js';
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
    // Issue 13: N = 2^17 (128 MiB per guess), stored with the keyring so it can be raised later.
    expect(file.kdf).toMatchObject({ name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
    expect(k1.kdf).toEqual({ N: 2 ** 17, r: 8, p: 1 });
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

/**
 * A keyring.json as the station wrote it before issue 13: scrypt N = 2^15. Built here by hand
 * (the station no longer makes them) with the same format and labels.
 */
function olderKeyring(dir: string, passphrase: string): { masterKey: Uint8Array; sealedElsewhere: Uint8Array } {
  const salt = randomBytes(16);
  const key = new Uint8Array(scryptSync(passphrase.normalize('NFC'), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }));
  const box = createSecretBox(key, true);
  const masterKey = new Uint8Array(randomBytes(32));
  const file = {
    format: 1,
    training: false,
    kdf: { name: 'scrypt', N: 2 ** 15, r: 8, p: 1, salt: salt.toString('base64') },
    verifier: Buffer.from(box.seal(new TextEncoder().encode('piv-station keyring v1'), 'keyring/verifier')).toString('base64'),
    currentMasterKeyVersion: 1,
    masterKeys: { '1': Buffer.from(box.seal(masterKey, 'keyring/master-key/v1')).toString('base64') },
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'keyring.json'), JSON.stringify(file));
  return { masterKey, sealedElsewhere: box.seal(new TextEncoder().encode('an escrowed PUK'), 'escrow:PUK:card-1') };
}

describe('scrypt parameters stored with the keyring', () => {
  it('a keyring made with the older cost (N = 2^15) still opens, with its own parameters', () => {
    const dir = tempDir();
    const old = olderKeyring(dir, 'an older station passphrase');
    const k = openKeyring(dir, { passphrase: 'an older station passphrase' });
    expect(k.kdf).toEqual({ N: 2 ** 15, r: 8, p: 1 });
    expect(Buffer.from(k.masterKey(1)).equals(Buffer.from(old.masterKey))).toBe(true);
    expect(new TextDecoder().decode(k.box.open(old.sealedElsewhere, 'escrow:PUK:card-1'))).toBe('an escrowed PUK');
  });

  it('a keyring file asking for absurd parameters is refused as STORE before any derivation', () => {
    const dir = tempDir();
    olderKeyring(dir, 'whatever passphrase');
    const file = JSON.parse(readFileSync(join(dir, 'keyring.json'), 'utf8'));
    for (const kdf of [{ ...file.kdf, N: 2 ** 24 }, { ...file.kdf, N: 1000 }, { ...file.kdf, r: 0 }, { ...file.kdf, N: 2 ** 10 }]) {
      writeFileSync(join(dir, 'keyring.json'), JSON.stringify({ ...file, kdf }));
      expect(() => openKeyring(dir, { passphrase: 'whatever passphrase' })).toThrow(expect.objectContaining({ code: 'STORE' }));
    }
  });
});

describe('rekeyKeyring and finishRekey (a passphrase change)', () => {
  it('raises the cost of an older keyring; only the new passphrase opens it; the retired key opens old secrets until finished', () => {
    const dir = tempDir();
    const old = olderKeyring(dir, 'the old station passphrase');
    const k = openKeyring(dir, { passphrase: 'the old station passphrase' });
    const rekeyed = rekeyKeyring(k, 'a brand new station passphrase');
    expect(rekeyed.resealPending).toBe(true);
    expect(rekeyed.kdf).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expectLocked(() => openKeyring(dir, { passphrase: 'the old station passphrase' }));

    // Interrupted here: the file opens with the new passphrase and still opens what the old key sealed.
    const reopened = openKeyring(dir, { passphrase: 'a brand new station passphrase' });
    expect(reopened.resealPending).toBe(true);
    expect(Buffer.from(reopened.masterKey(1)).equals(Buffer.from(old.masterKey))).toBe(true);
    expect(reopened.box.isCurrent(old.sealedElsewhere, 'escrow:PUK:card-1')).toBe(false);
    const resealed = reopened.box.reseal(old.sealedElsewhere, 'escrow:PUK:card-1');
    expect(reopened.box.isCurrent(resealed, 'escrow:PUK:card-1')).toBe(true);

    const finished = finishRekey(reopened);
    expect(finished.resealPending).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'keyring.json'), 'utf8')).retiredKeys).toBeUndefined();
    const after = openKeyring(dir, { passphrase: 'a brand new station passphrase' });
    expect(new TextDecoder().decode(after.box.open(resealed, 'escrow:PUK:card-1'))).toBe('an escrowed PUK');
    // What was not sealed again no longer opens: the old key is gone.
    expectLocked(() => after.box.open(old.sealedElsewhere, 'escrow:PUK:card-1'));
    expect(Buffer.from(after.masterKey(1)).equals(Buffer.from(old.masterKey))).toBe(true);
  });

  it('an unprotected training keyring has no passphrase to change', () => {
    const k = openKeyring(tempDir(), { training: true });
    expect(() => rekeyKeyring(k, 'a brand new station passphrase')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
