/**
 * The keyring passphrase of the Electron station (DESIGN.md "Lock and
 * secrets"): a random 32-byte value, created on first start, stored in the
 * data dir encrypted with Electron's safeStorage (OS keychain: DPAPI,
 * Keychain, libsecret/KWallet). The officer never types it.
 *
 * On Linux without a keyring service safeStorage falls back to `basic_text`,
 * which encrypts with a fixed, public key: that is no protection, so the
 * station refuses it unless the data dir is an explicit training one.
 *
 * Takes a safeStorage-like object, so tests run without Electron.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StationError } from '../core/errors.js';
import { KEYRING_FILE } from '../boot/data-dir.js';
import { writeFileAtomic } from '../core/atomic-file.js';

/** File in the data dir holding the safeStorage-encrypted passphrase. */
export const PASSPHRASE_FILE = 'keyring-passphrase.safestorage';
/** Length of the random passphrase, in bytes (encoded base64url). */
export const PASSPHRASE_BYTES = 32;
/** safeStorage's Linux fallback with a hard-coded key. */
export const INSECURE_BACKEND = 'basic_text';

/** The part of Electron's `safeStorage` the station uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron; absent elsewhere. */
  getSelectedStorageBackend?(): string;
}

/** How the station's secrets are opened. */
export type ShellSecrets = { training: false; passphrase: string } | { training: true };

/**
 * Returns the keyring passphrase for `dataDir`, creating and storing it on first start.
 *
 * @param training  true only for a data dir started with `--training`: then
 *                  no passphrase is used (the keyring is an unprotected training one)
 *                  and safeStorage is not needed
 * @param platform  `process.platform` (the backend is asked on Linux only)
 * @throws StationError SECRETS_LOCKED when safeStorage is unavailable, uses the
 *         `basic_text` fallback (Linux, no keyring service), or cannot decrypt the stored passphrase
 */
export function shellSecrets(dataDir: string, storage: SafeStorageLike, training: boolean, platform: NodeJS.Platform = process.platform): ShellSecrets {
  if (training) return { training: true };
  if (!storage.isEncryptionAvailable()) {
    throw new StationError('SECRETS_LOCKED', 'The operating system cannot protect the station secrets (no keychain available): start a keyring service, or use a training station.', {}, false);
  }
  const backend = platform === 'linux' ? storage.getSelectedStorageBackend?.() : undefined;
  if (backend === INSECURE_BACKEND) {
    throw new StationError(
      'SECRETS_LOCKED',
      'No desktop keyring (GNOME Keyring or KWallet) is running, so the station secrets could not be protected: start one and open the station again, or start a training station with --training.',
      { backend },
      false,
    );
  }
  const path = join(dataDir, PASSPHRASE_FILE);
  if (!existsSync(path)) {
    // A keyring made elsewhere (CLI with STATION_PASSPHRASE) has another passphrase: a new random one would lock it for good.
    if (existsSync(join(dataDir, KEYRING_FILE))) {
      throw new StationError('SECRETS_LOCKED', 'This data directory was set up with a passphrase outside the desktop app: open it with the station command and STATION_PASSPHRASE.', {}, false);
    }
    const passphrase = randomBytes(PASSPHRASE_BYTES).toString('base64url');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileAtomic(path, storage.encryptString(passphrase).toString('base64'));
    return { training: false, passphrase };
  }
  try {
    return { training: false, passphrase: storage.decryptString(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')) };
  } catch {
    throw new StationError('SECRETS_LOCKED', "The station's secrets cannot be opened by this user's keychain: sign in as the user who set up this station.", { file: PASSPHRASE_FILE }, false);
  }
}
