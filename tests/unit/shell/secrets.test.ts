import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PASSPHRASE_FILE, shellSecrets, type SafeStorageLike } from '../../../electron/shell/secrets.js';
import { openKeyring, KEYRING_FILE } from '../../../electron/core/pki/keyring.js';
import { StationError } from '../../../electron/core/errors.js';

/** A keychain stand-in: reversible, but the stored bytes are not the plain passphrase. */
function fakeStorage(backend: string, available = true): SafeStorageLike & { encrypted: number } {
  return {
    encrypted: 0,
    isEncryptionAvailable: () => available,
    encryptString(plain: string) {
      this.encrypted++;
      return Buffer.from(`sealed:${Buffer.from(plain).toString('hex')}`);
    },
    decryptString(enc: Buffer) {
      const s = enc.toString();
      if (!s.startsWith('sealed:')) throw new Error('cannot decrypt');
      return Buffer.from(s.slice('sealed:'.length), 'hex').toString();
    },
    getSelectedStorageBackend: () => backend,
  };
}

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'shell-secrets-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof StationError ? e.code : 'not a StationError';
  }
  return undefined;
}

describe('shellSecrets', () => {
  it('creates a random 32-byte passphrase once, stores it only encrypted, and returns the same one later', () => {
    const dir = tempDir();
    const storage = fakeStorage('gnome_libsecret');
    const first = shellSecrets(dir, storage, false, 'linux');
    if (first.training) throw new Error('expected a protected station');
    expect(Buffer.from(first.passphrase, 'base64url')).toHaveLength(32);
    const stored = readFileSync(join(dir, PASSPHRASE_FILE), 'utf8');
    expect(stored).not.toContain(first.passphrase);
    const again = shellSecrets(dir, storage, false, 'linux');
    expect(again).toEqual(first);
    expect(storage.encrypted).toBe(1);
    // The passphrase really opens a protected keyring.
    const keyring = openKeyring(dir, { passphrase: first.passphrase });
    expect(keyring.box.protected).toBe(true);
    expect(openKeyring(dir, { passphrase: first.passphrase }).masterKey(1)).toEqual(keyring.masterKey(1));
  });

  it('creates the data dir on first start (mode 0700)', () => {
    const dir = join(tempDir(), 'new', 'station');
    const s = shellSecrets(dir, fakeStorage('kwallet6'), false, 'linux');
    expect(s.training).toBe(false);
    expect(existsSync(join(dir, PASSPHRASE_FILE))).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('two data dirs get different passphrases', () => {
    const a = shellSecrets(tempDir(), fakeStorage('kwallet5'), false, 'linux');
    const b = shellSecrets(tempDir(), fakeStorage('kwallet5'), false, 'linux');
    expect(a).not.toEqual(b);
  });

  it('refuses the Linux basic_text fallback (fixed key) and writes nothing', () => {
    const dir = tempDir();
    let err: unknown;
    try {
      shellSecrets(dir, fakeStorage('basic_text'), false, 'linux');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StationError);
    expect((err as StationError).code).toBe('SECRETS_LOCKED');
    expect((err as StationError).message).toMatch(/keyring/i);
    expect((err as StationError).message).toContain('--training');
    expect(existsSync(join(dir, PASSPHRASE_FILE))).toBe(false);
  });

  it('allows basic_text only for an explicit training station, which uses no passphrase', () => {
    const dir = tempDir();
    expect(shellSecrets(dir, fakeStorage('basic_text'), true, 'linux')).toEqual({ training: true });
    expect(existsSync(join(dir, PASSPHRASE_FILE))).toBe(false);
  });

  it('refuses when no encryption is available at all', () => {
    expect(codeOf(() => shellSecrets(tempDir(), fakeStorage('gnome_libsecret', false), false, 'linux'))).toBe('SECRETS_LOCKED');
  });

  it('does not ask for a backend outside Linux', () => {
    const s = shellSecrets(tempDir(), fakeStorage('basic_text'), false, 'win32');
    expect(s.training).toBe(false);
  });

  it('refuses a stored passphrase this keychain cannot decrypt', () => {
    const dir = tempDir();
    writeFileSync(join(dir, PASSPHRASE_FILE), Buffer.from('garbage').toString('base64'));
    expect(codeOf(() => shellSecrets(dir, fakeStorage('gnome_libsecret'), false, 'linux'))).toBe('SECRETS_LOCKED');
  });

  it('refuses a data dir whose keyring was made with another passphrase, without replacing anything', () => {
    const dir = tempDir();
    openKeyring(dir, { passphrase: 'a passphrase typed in the CLI' });
    const before = readFileSync(join(dir, KEYRING_FILE), 'utf8');
    expect(codeOf(() => shellSecrets(dir, fakeStorage('gnome_libsecret'), false, 'linux'))).toBe('SECRETS_LOCKED');
    expect(existsSync(join(dir, PASSPHRASE_FILE))).toBe(false);
    expect(readFileSync(join(dir, KEYRING_FILE), 'utf8')).toBe(before);
  });
});
