/**
 * The station keyring (DESIGN.md "Lock and secrets"): the secret box that
 * seals everything at rest, and the versioned station master keys used to
 * derive per-card management keys.
 *
 * File `<dataDir>/keyring.json`:
 * - protected: scrypt parameters + salt; the box key = scrypt(passphrase); a sealed verifier;
 *   master keys sealed with the box.
 * - training (created explicitly without a passphrase): `"training": true` and the box key in
 *   clear; secrets are still sealed, so the file format is the same, but nothing is protected.
 */
import { randomBytes, scryptSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StationError } from '../errors.js';
import { writeFileAtomic } from '../atomic-file.js';
import { createSecretBox, type SecretBox } from './secret-box.js';

/** Unlocked keyring. */
export interface Keyring {
  readonly box: SecretBox;
  /** True for a keyring created for training (unprotected when created without a passphrase: then `box.protected` is false). */
  readonly training: boolean;
  /** Station master key (32 bytes) of the given version, for management-key derivation. Throws NOT_FOUND_RECORD if unknown. */
  masterKey(version: number): Uint8Array;
  readonly currentMasterKeyVersion: number;
}

export const KEYRING_FILE = 'keyring.json';
const FORMAT = 1;
const BOX_KEY_BYTES = 32;
const MASTER_KEY_BYTES = 32;
const SALT_BYTES = 16;
/** scrypt cost: N = 2^15, r = 8, p = 1 needs 128·N·r = 32 MiB; allow twice that. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const SCRYPT_MAXMEM = 64 * 1024 * 1024;
const VERIFIER_LABEL = 'keyring/verifier';
const VERIFIER_PLAIN = new TextEncoder().encode('piv-station keyring v1');
const masterKeyLabel = (version: number): string => `keyring/master-key/v${version}`;

interface KeyringFile {
  format: number;
  training: boolean;
  /** Present for protected keyrings. */
  kdf?: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  /** Present for training keyrings only: the box key in clear (base64). */
  trainingKey?: string;
  verifier: string;
  currentMasterKeyVersion: number;
  masterKeys: Record<string, string>;
}

function lockedError(): StationError {
  return new StationError(
    'SECRETS_LOCKED',
    "The station's secrets are locked: set STATION_PASSPHRASE (or enter the passphrase) to open this data directory.",
  );
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

function scryptKey(passphrase: string, salt: Uint8Array, p: { N: number; r: number; p: number }): Uint8Array {
  return new Uint8Array(scryptSync(passphrase.normalize('NFC'), salt, BOX_KEY_BYTES, { ...p, maxmem: SCRYPT_MAXMEM }));
}

function toKeyring(file: KeyringFile, box: SecretBox): Keyring {
  // Check the verifier first so a wrong passphrase is reported as such, before any master key is touched.
  box.open(unb64(file.verifier), VERIFIER_LABEL);
  const keys = new Map<number, Uint8Array>();
  for (const [v, sealed] of Object.entries(file.masterKeys)) keys.set(Number(v), box.open(unb64(sealed), masterKeyLabel(Number(v))));
  return {
    box,
    training: file.training,
    currentMasterKeyVersion: file.currentMasterKeyVersion,
    masterKey(version: number): Uint8Array {
      const k = keys.get(version);
      if (!k) throw new StationError('NOT_FOUND_RECORD', 'This station has no master key of that version.', { version });
      return Uint8Array.from(k);
    },
  };
}

function createKeyring(path: string, opts: { passphrase?: string; training?: boolean }): Keyring {
  let boxKey: Uint8Array;
  const file: Partial<KeyringFile> = { format: FORMAT, currentMasterKeyVersion: 1 };
  if (opts.passphrase !== undefined && opts.passphrase !== '') {
    const salt = randomBytes(SALT_BYTES);
    boxKey = scryptKey(opts.passphrase, salt, SCRYPT);
    file.training = opts.training === true;
    file.kdf = { name: 'scrypt', ...SCRYPT, salt: b64(salt) };
  } else if (opts.training === true) {
    boxKey = randomBytes(BOX_KEY_BYTES);
    file.training = true;
    file.trainingKey = b64(boxKey);
  } else {
    throw lockedError();
  }
  const box = createSecretBox(boxKey, file.trainingKey === undefined);
  file.verifier = b64(box.seal(VERIFIER_PLAIN, VERIFIER_LABEL));
  file.masterKeys = { '1': b64(box.seal(randomBytes(MASTER_KEY_BYTES), masterKeyLabel(1))) };
  writeFileAtomic(path, JSON.stringify(file, null, 2));
  return toKeyring(file as KeyringFile, box);
}

/**
 * Opens `<dataDir>/keyring.json`, creating it (and `dataDir`) on first use.
 *
 * - Creation with `passphrase`: protected keyring (scrypt N=2^15, r=8, p=1, 16-byte salt).
 * - Creation with `training: true` and no passphrase: unprotected training keyring (`box.protected === false`).
 * - Opening a training keyring never needs a passphrase; opening a protected one needs the right one.
 *
 * @throws StationError SECRETS_LOCKED when the passphrase is missing or wrong (or when creating without
 *         passphrase and without `training`); STORE when the file is unreadable or malformed
 */
export function openKeyring(dataDir: string, opts: { passphrase?: string; training?: boolean }): Keyring {
  const path = join(dataDir, KEYRING_FILE);
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    return createKeyring(path, opts);
  }
  let file: KeyringFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as KeyringFile;
  } catch {
    throw new StationError('STORE', 'The station keyring file cannot be read.', { file: KEYRING_FILE });
  }
  if (file.format !== FORMAT || typeof file.verifier !== 'string' || typeof file.masterKeys !== 'object') {
    throw new StationError('STORE', 'The station keyring file has an unknown format.', { file: KEYRING_FILE });
  }
  if (file.trainingKey !== undefined) return toKeyring(file, createSecretBox(unb64(file.trainingKey), false));
  if (!file.kdf || opts.passphrase === undefined || opts.passphrase === '') throw lockedError();
  const box = createSecretBox(scryptKey(opts.passphrase, unb64(file.kdf.salt), file.kdf), true);
  try {
    return toKeyring(file, box);
  } catch (e) {
    if (e instanceof StationError && e.code === 'SECRETS_LOCKED') throw lockedError();
    throw e;
  }
}
