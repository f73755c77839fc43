/**
 * The card administrator key (9B) block cipher: one ECB block, as the
 * GENERAL AUTHENTICATE challenge-response needs (SP 800-73-4 Part 2 App. A.1/A.2;
 * SP 800-78-4 Table 6-2 algorithm identifiers).
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { Alg, MGMT_KEY_LENGTH, type ManagementKeyAlgorithm } from '../../electron/core/piv/constants.js';

/** node:crypto (OpenSSL) cipher name per management key algorithm, ECB without padding. */
const CIPHER_NAME: Record<ManagementKeyAlgorithm, string> = {
  TDEA: 'des-ede3',
  AES128: 'aes-128-ecb',
  AES192: 'aes-192-ecb',
  AES256: 'aes-256-ecb',
};

/** Challenge/witness length in bytes: the cipher block (8 for 3DES, 16 for AES). */
export function blockLength(alg: ManagementKeyAlgorithm): number {
  return alg === 'TDEA' ? 8 : 16;
}

/**
 * The management key algorithm for a GA / FF algorithm byte, or undefined.
 * 3DES is accepted as 03 (YubiKey) and 00 (SP 800-73-4 examples).
 */
export function managementAlgorithmOf(algByte: number): ManagementKeyAlgorithm | undefined {
  switch (algByte) {
    case Alg.TDEA_3KEY:
    case Alg.TDEA_3KEY_ALT:
      return 'TDEA';
    case Alg.AES_128:
      return 'AES128';
    case Alg.AES_192:
      return 'AES192';
    case Alg.AES_256:
      return 'AES256';
    default:
      return undefined;
  }
}

/** True when `key` has the length `alg` needs. */
export function isValidManagementKey(alg: ManagementKeyAlgorithm, key: Uint8Array): boolean {
  return key.length === MGMT_KEY_LENGTH[alg];
}

/** E_K(block): encrypts exactly one block (length = blockLength(alg)). */
export function encryptBlock(alg: ManagementKeyAlgorithm, key: Uint8Array, block: Uint8Array): Uint8Array {
  const cipher = createCipheriv(CIPHER_NAME[alg], key, null);
  cipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(block), cipher.final()]));
}

/** A fresh random challenge or witness of one block. */
export function randomBlock(alg: ManagementKeyAlgorithm): Uint8Array {
  return new Uint8Array(randomBytes(blockLength(alg)));
}
