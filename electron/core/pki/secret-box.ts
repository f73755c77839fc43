/**
 * Encryption at rest for station secrets (DESIGN.md "Lock and secrets"):
 * master keys, CA private keys, escrowed PUKs.
 *
 * Sealed format: version (1 byte) ‖ nonce (12 bytes) ‖ AES-256-GCM ciphertext ‖ tag (16 bytes).
 * The caller's `label` is bound as additional authenticated data, so a sealed
 * PUK cannot be swapped in where a CA key is expected.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { StationError } from '../errors.js';

/**
 * Seals and opens secrets. `protected` is false only for an explicitly created training station.
 *
 * While a passphrase change is re-sealing the station's secrets (keyring.ts), the box also holds
 * the retired key: it still opens what that key sealed, and seals only with the current key.
 */
export interface SecretBox {
  readonly protected: boolean;
  /** Encrypts `plain` with the current key, binding `label` (e.g. "ca/root-key") as AAD. Returns the sealed bytes. */
  seal(plain: Uint8Array, label: string): Uint8Array;
  /** Decrypts bytes from `seal` with the same label (current key, then retired ones). Throws StationError SECRETS_LOCKED on a wrong key, label or tampered bytes. */
  open(sealed: Uint8Array, label: string): Uint8Array;
  /** True when `sealed` opens with the current key (false: a retired key sealed it, or none of ours). */
  isCurrent(sealed: Uint8Array, label: string): boolean;
  /**
   * `sealed` sealed again with the current key, or the same bytes when the current key sealed it already.
   * @throws StationError SECRETS_LOCKED when no key of the box opens it
   */
  reseal(sealed: Uint8Array, label: string): Uint8Array;
}

/** Format byte in front of every sealed value, so the format can change later. */
const SEALED_FORMAT_V1 = 0x01;
const KEY_LENGTH = 32;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const CIPHER = 'aes-256-gcm';
const LABEL_PREFIX = 'piv-station/secret-box/v1/';

function lockedError(): StationError {
  return new StationError(
    'SECRETS_LOCKED',
    "The station's secrets cannot be opened with this key: check the station passphrase.",
  );
}

function aad(label: string): Buffer {
  return Buffer.from(LABEL_PREFIX + label, 'utf8');
}

/**
 * Builds a SecretBox around a 32-byte AES-256 key.
 *
 * @param key        32 bytes (from scrypt, safeStorage, or a training keyring)
 * @param isProtected false only for a training station whose key is stored in clear
 * @param retiredKeys keys that sealed secrets not yet sealed again with `key` (a passphrase change in progress)
 * @throws StationError INVALID_INPUT when a key is not 32 bytes
 */
export function createSecretBox(key: Uint8Array, isProtected: boolean, retiredKeys: readonly Uint8Array[] = []): SecretBox {
  for (const candidate of [key, ...retiredKeys]) {
    if (candidate.length !== KEY_LENGTH) throw new StationError('INVALID_INPUT', 'The secret box key must be 32 bytes.', { length: candidate.length });
  }
  const k = Buffer.from(key);
  const retired = retiredKeys.map((r) => Buffer.from(r));
  const openWith = (candidate: Buffer, sealed: Uint8Array, label: string): Uint8Array | undefined => {
    if (sealed.length < 1 + NONCE_LENGTH + TAG_LENGTH || sealed[0] !== SEALED_FORMAT_V1) return undefined;
    const nonce = sealed.subarray(1, 1 + NONCE_LENGTH);
    const tag = sealed.subarray(sealed.length - TAG_LENGTH);
    const body = sealed.subarray(1 + NONCE_LENGTH, sealed.length - TAG_LENGTH);
    try {
      const decipher = createDecipheriv(CIPHER, candidate, nonce, { authTagLength: TAG_LENGTH });
      decipher.setAAD(aad(label));
      decipher.setAuthTag(tag);
      return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
    } catch {
      // GCM authentication failure: wrong key, wrong label or tampered bytes.
      return undefined;
    }
  };
  return {
    protected: isProtected,
    seal(plain: Uint8Array, label: string): Uint8Array {
      const nonce = randomBytes(NONCE_LENGTH);
      const cipher = createCipheriv(CIPHER, k, nonce, { authTagLength: TAG_LENGTH });
      cipher.setAAD(aad(label));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return new Uint8Array(Buffer.concat([Buffer.of(SEALED_FORMAT_V1), nonce, body, cipher.getAuthTag()]));
    },
    open(sealed: Uint8Array, label: string): Uint8Array {
      for (const candidate of [k, ...retired]) {
        const plain = openWith(candidate, sealed, label);
        if (plain) return plain;
      }
      // Which of key, label or bytes is wrong is not said.
      throw lockedError();
    },
    isCurrent(sealed: Uint8Array, label: string): boolean {
      return openWith(k, sealed, label) !== undefined;
    },
    reseal(sealed: Uint8Array, label: string): Uint8Array {
      return this.isCurrent(sealed, label) ? sealed : this.seal(this.open(sealed, label), label);
    },
  };
}
