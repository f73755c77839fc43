/**
 * The station keyring (DESIGN.md "Lock and secrets"): the secret box that
 * seals everything at rest, and the versioned station master keys used to
 * derive per-card management keys.
 *
 * File `<dataDir>/keyring.json`:
 * - protected: the scrypt parameters and salt it was made with (so the cost can
 *   be raised later while keyrings made with a lower one still open); the box
 *   key = scrypt(passphrase); a sealed verifier; master keys sealed with the box.
 * - training (created explicitly without a passphrase): `"training": true` and the box key in
 *   clear; secrets are still sealed, so the file format is the same, but nothing is protected.
 *
 * A passphrase change (see {@link rekeyKeyring}) derives a new box key with a
 * new salt and today's cost. The file then also holds the old box key, sealed
 * with the new one (`retiredKeys`), until every secret of the station has been
 * sealed again with the new key (pki/reseal.ts): an interruption leaves a
 * station that opens with the new passphrase and finishes the work at its
 * next start.
 */
import { randomBytes, scryptSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StationError } from '../errors.js';
import { writeFileAtomic } from '../atomic-file.js';
import { createSecretBox, type SecretBox } from './secret-box.js';

/** scrypt parameters (RFC 7914 §2): cost N (a power of two), block size r, parallelism p. */
export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

/** Unlocked keyring. */
export interface Keyring {
  readonly box: SecretBox;
  /** True for a keyring created for training (unprotected when created without a passphrase: then `box.protected` is false). */
  readonly training: boolean;
  /** Station master key (32 bytes) of the given version, for management-key derivation. Throws NOT_FOUND_RECORD if unknown. */
  masterKey(version: number): Uint8Array;
  readonly currentMasterKeyVersion: number;
  /** The scrypt parameters of a protected keyring (absent for an unprotected training keyring). */
  readonly kdf?: ScryptParameters;
  /** True while a passphrase change has secrets left to seal again (the box still opens the retired key's). */
  readonly resealPending: boolean;
}

export const KEYRING_FILE = 'keyring.json';
const FORMAT = 1;
const BOX_KEY_BYTES = 32;
const MASTER_KEY_BYTES = 32;
const SALT_BYTES = 16;
/**
 * scrypt cost of new keyrings and passphrase changes: N = 2^17, r = 8, p = 1, which takes
 * 128·N·r = 128 MiB and a fraction of a second, per guess (RFC 7914 §2; OWASP's minimum for
 * scrypt is N = 2^17). Keyrings made with another cost open with theirs.
 */
export const SCRYPT_PARAMETERS: ScryptParameters = { N: 2 ** 17, r: 8, p: 1 };
/**
 * Largest scrypt memory a keyring file may ask for (128·N·r·p): 1 GiB. A keyring.json edited to
 * ask for more is refused instead of exhausting memory.
 */
const SCRYPT_MAX_BYTES = 1024 * 1024 * 1024;
const VERIFIER_LABEL = 'keyring/verifier';
const VERIFIER_PLAIN = new TextEncoder().encode('piv-station keyring v1');
const RETIRED_KEY_LABEL = 'keyring/retired-box-key';
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
  /** During a passphrase change: earlier box keys, sealed with the current one, until everything is sealed again. */
  retiredKeys?: string[];
}

function lockedError(): StationError {
  return new StationError(
    'SECRETS_LOCKED',
    "The station's secrets are locked: set STATION_PASSPHRASE (or enter the passphrase) to open this data directory.",
  );
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

/** scrypt memory of `p` in bytes (RFC 7914: 128·N·r·p). */
function scryptBytes(p: ScryptParameters): number {
  return 128 * p.N * p.r * p.p;
}

/** True when `p` are parameters this station runs: N a power of two ≥ 2^14, r and p ≥ 1, memory ≤ 1 GiB. */
function sensibleParameters(p: Partial<ScryptParameters>): p is ScryptParameters {
  const { N, r, p: par } = p;
  return (
    Number.isInteger(N) && Number.isInteger(r) && Number.isInteger(par) &&
    N! >= 2 ** 14 && (N! & (N! - 1)) === 0 && r! >= 1 && par! >= 1 &&
    scryptBytes(p as ScryptParameters) <= SCRYPT_MAX_BYTES
  );
}

function scryptKey(passphrase: string, salt: Uint8Array, p: ScryptParameters): Uint8Array {
  // maxmem above the 128·N·r·p the derivation needs (Node refuses anything tighter).
  return new Uint8Array(scryptSync(passphrase.normalize('NFC'), salt, BOX_KEY_BYTES, { N: p.N, r: p.r, p: p.p, maxmem: 2 * scryptBytes(p) }));
}

/** A fresh salt and the box key it gives `passphrase` at today's cost. */
function deriveNewKey(passphrase: string): { key: Uint8Array; kdf: NonNullable<KeyringFile['kdf']> } {
  const salt = randomBytes(SALT_BYTES);
  return { key: scryptKey(passphrase, salt, SCRYPT_PARAMETERS), kdf: { name: 'scrypt', ...SCRYPT_PARAMETERS, salt: b64(salt) } };
}

/** What a protected keyring needs to be re-keyed, kept out of its public shape: its file, box key and retired keys. */
interface KeyMaterial {
  path: string;
  file: KeyringFile;
  key: Uint8Array;
  retired: Uint8Array[];
}
const keyMaterial = new WeakMap<Keyring, KeyMaterial>();

function toKeyring(file: KeyringFile, box: SecretBox, material?: Omit<KeyMaterial, 'file'>): Keyring {
  // Check the verifier first so a wrong passphrase is reported as such, before any master key is touched.
  box.open(unb64(file.verifier), VERIFIER_LABEL);
  const keys = new Map<number, Uint8Array>();
  for (const [v, sealed] of Object.entries(file.masterKeys)) keys.set(Number(v), box.open(unb64(sealed), masterKeyLabel(Number(v))));
  const keyring: Keyring = {
    box,
    training: file.training,
    currentMasterKeyVersion: file.currentMasterKeyVersion,
    kdf: file.kdf ? { N: file.kdf.N, r: file.kdf.r, p: file.kdf.p } : undefined,
    resealPending: (file.retiredKeys?.length ?? 0) > 0,
    masterKey(version: number): Uint8Array {
      const k = keys.get(version);
      if (!k) throw new StationError('NOT_FOUND_RECORD', 'This station has no master key of that version.', { version });
      return Uint8Array.from(k);
    },
  };
  if (material) keyMaterial.set(keyring, { ...material, file });
  return keyring;
}

function createKeyring(path: string, opts: { passphrase?: string; training?: boolean }): Keyring {
  let boxKey: Uint8Array;
  const file: Partial<KeyringFile> = { format: FORMAT, currentMasterKeyVersion: 1 };
  if (opts.passphrase !== undefined && opts.passphrase !== '') {
    const derived = deriveNewKey(opts.passphrase);
    boxKey = derived.key;
    file.training = opts.training === true;
    file.kdf = derived.kdf;
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
  return toKeyring(file as KeyringFile, box, file.kdf ? { path, key: boxKey, retired: [] } : undefined);
}

/** True when `dataDir` has a keyring (opening it will not create one). */
export function keyringExists(dataDir: string): boolean {
  return existsSync(join(dataDir, KEYRING_FILE));
}

function readKeyringFile(path: string): KeyringFile {
  let file: KeyringFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as KeyringFile;
  } catch {
    throw new StationError('STORE', 'The station keyring file cannot be read.', { file: KEYRING_FILE });
  }
  if (file.format !== FORMAT || typeof file.verifier !== 'string' || typeof file.masterKeys !== 'object') {
    throw new StationError('STORE', 'The station keyring file has an unknown format.', { file: KEYRING_FILE });
  }
  if (file.kdf && !sensibleParameters(file.kdf)) {
    throw new StationError('STORE', 'The station keyring file asks for scrypt parameters this station does not use.', { file: KEYRING_FILE });
  }
  return file;
}

/** The box key of a protected keyring file, and the retired keys it still holds. @throws SECRETS_LOCKED */
function unlock(file: KeyringFile, passphrase: string | undefined): { key: Uint8Array; retired: Uint8Array[] } {
  if (!file.kdf || passphrase === undefined || passphrase === '') throw lockedError();
  const key = scryptKey(passphrase, unb64(file.kdf.salt), file.kdf);
  const current = createSecretBox(key, true);
  try {
    current.open(unb64(file.verifier), VERIFIER_LABEL);
  } catch {
    throw lockedError();
  }
  const retired = (file.retiredKeys ?? []).map((sealed) => current.open(unb64(sealed), RETIRED_KEY_LABEL));
  return { key, retired };
}

/**
 * Opens `<dataDir>/keyring.json`, creating it (and `dataDir`) on first use.
 *
 * - Creation with `passphrase`: protected keyring (scrypt {@link SCRYPT_PARAMETERS}, 16-byte salt).
 *   The passphrase's strength is the caller's to check first (pki/passphrase-policy.ts).
 * - Creation with `training: true` and no passphrase: unprotected training keyring (`box.protected === false`).
 * - Opening a training keyring never needs a passphrase; opening a protected one needs the right one,
 *   and uses the scrypt parameters the file was made with.
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
  const file = readKeyringFile(path);
  if (file.trainingKey !== undefined) return toKeyring(file, createSecretBox(unb64(file.trainingKey), false));
  const { key, retired } = unlock(file, opts.passphrase);
  return toKeyring(file, createSecretBox(key, true, retired), { path, key, retired });
}

/** The key material of a protected keyring opened by this module. @throws StationError INVALID_INPUT otherwise */
function materialOf(keyring: Keyring): KeyMaterial {
  const m = keyMaterial.get(keyring);
  if (!m) throw new StationError('INVALID_INPUT', 'This data dir has no passphrase to change: it was created unprotected (training).');
  return m;
}

/**
 * First step of a passphrase change: the keyring file now opens with `newPassphrase` (a new salt,
 * today's scrypt cost {@link SCRYPT_PARAMETERS}), its verifier and master keys are sealed with the
 * new box key, and it keeps the old box key (and any still retired) sealed with the new one.
 * Written atomically: the file opens with the old passphrase or the new one, never neither.
 *
 * Every other secret of the station is then sealed again (core/reseal.ts) and {@link finishRekey}
 * drops the retired keys. The passphrase's strength is the caller's to check first.
 *
 * @param keyring the open, protected keyring
 * @returns the keyring as it now opens: `resealPending` true, its box sealing with the new key
 * @throws StationError INVALID_INPUT for an unprotected training keyring
 */
export function rekeyKeyring(keyring: Keyring, newPassphrase: string): Keyring {
  const { path, file, key, retired } = materialOf(keyring);
  const derived = deriveNewKey(newPassphrase);
  const kept = [key, ...retired];
  const box = createSecretBox(derived.key, true, kept);
  const masterKeys = Object.fromEntries(Object.keys(file.masterKeys).map((v) => [v, b64(box.seal(keyring.masterKey(Number(v)), masterKeyLabel(Number(v))))]));
  const next: KeyringFile = {
    ...file,
    kdf: derived.kdf,
    verifier: b64(box.seal(VERIFIER_PLAIN, VERIFIER_LABEL)),
    masterKeys,
    retiredKeys: kept.map((k) => b64(box.seal(k, RETIRED_KEY_LABEL))),
  };
  writeFileAtomic(path, JSON.stringify(next, null, 2));
  return toKeyring(next, box, { path, key: derived.key, retired: kept });
}

/**
 * Last step of a passphrase change, once every secret of the station opens with the current key:
 * the keyring file forgets the retired keys (written atomically).
 * @param keyring the open keyring whose `resealPending` is true
 * @returns the keyring without retired keys (its box opens only what the current key sealed)
 */
export function finishRekey(keyring: Keyring): Keyring {
  const { path, file, key } = materialOf(keyring);
  const next: KeyringFile = { ...file };
  delete next.retiredKeys;
  writeFileAtomic(path, JSON.stringify(next, null, 2));
  return toKeyring(next, createSecretBox(key, true), { path, key, retired: [] });
}
