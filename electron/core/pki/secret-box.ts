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

/** Seals and opens secrets. `protected` is false only for an explicitly created training station. */
export interface SecretBox {
  readonly protected: boolean;
  /** Encrypts `plain`, binding `label` (e.g. "ca/root-key") as AAD. Returns the sealed bytes. */
  seal(plain: Uint8Array, label: string): Uint8Array;
  /** Decrypts bytes from `seal` with the same label. Throws StationError SECRETS_LOCKED on a wrong key, label or tampered bytes. */
  open(sealed: Uint8Array, label: string): Uint8Array;
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
 * @throws StationError INVALID_INPUT when the key is not 32 bytes
 */
export function createSecretBox(key: Uint8Array, isProtected: boolean): SecretBox {
  if (key.length !== KEY_LENGTH) {
    throw new StationError('INVALID_INPUT', 'The secret box key must be 32 bytes.', { length: key.length });
  }
  const k = Buffer.from(key);
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
      if (sealed.length < 1 + NONCE_LENGTH + TAG_LENGTH || sealed[0] !== SEALED_FORMAT_V1) throw lockedError();
      const nonce = sealed.subarray(1, 1 + NONCE_LENGTH);
      const tag = sealed.subarray(sealed.length - TAG_LENGTH);
      const body = sealed.subarray(1 + NONCE_LENGTH, sealed.length - TAG_LENGTH);
      try {
        const decipher = createDecipheriv(CIPHER, k, nonce, { authTagLength: TAG_LENGTH });
        decipher.setAAD(aad(label));
        decipher.setAuthTag(tag);
        return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
      } catch {
        // GCM authentication failure: wrong key, wrong label or tampered bytes. Which one is not said.
        throw lockedError();
      }
    },
  };
}
