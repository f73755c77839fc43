/**
 * Block cipher operations for the card management key (9B) challenge-response
 * (SP 800-73-4 Part 2 Appendix A.1/A.2; SP 800-78-4 §3: 3TDEA or AES). One
 * block in, one block out, ECB without padding, as the card computes it.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { StationError } from '../errors.js';
import { MGMT_KEY_LENGTH, type ManagementKeyAlgorithm } from './constants.js';

/** Cipher block size in bytes: the witness/challenge length (3TDEA 8, AES 16). */
export const MGMT_BLOCK_SIZE: Record<ManagementKeyAlgorithm, number> = { TDEA: 8, AES128: 16, AES192: 16, AES256: 16 };

const CIPHER_NAME: Record<ManagementKeyAlgorithm, string> = {
  TDEA: 'des-ede3-ecb',
  AES128: 'aes-128-ecb',
  AES192: 'aes-192-ecb',
  AES256: 'aes-256-ecb',
};

/**
 * Checks that `key` has the length `alg` needs (24/16/24/32 bytes).
 * @throws StationError INVALID_INPUT (the message names the lengths, never the key)
 */
export function checkManagementKey(alg: ManagementKeyAlgorithm, key: Uint8Array): void {
  if (key.length !== MGMT_KEY_LENGTH[alg]) {
    throw new StationError('INVALID_INPUT', `A ${alg} management key must be ${MGMT_KEY_LENGTH[alg]} bytes long.`, {
      algorithm: alg,
      length: key.length,
    });
  }
}

function run(encrypt: boolean, alg: ManagementKeyAlgorithm, key: Uint8Array, block: Uint8Array): Uint8Array {
  checkManagementKey(alg, key);
  if (block.length !== MGMT_BLOCK_SIZE[alg]) {
    throw new StationError('MALFORMED_RESPONSE', 'The card sent an authentication block of the wrong size.', {
      length: block.length,
    });
  }
  const c = encrypt ? createCipheriv(CIPHER_NAME[alg], key, null) : createDecipheriv(CIPHER_NAME[alg], key, null);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
}

/** E_K(block), one cipher block. @throws StationError INVALID_INPUT (key size), MALFORMED_RESPONSE (block size) */
export function encryptManagementBlock(alg: ManagementKeyAlgorithm, key: Uint8Array, block: Uint8Array): Uint8Array {
  return run(true, alg, key, block);
}

/** D_K(block), one cipher block. @throws StationError INVALID_INPUT (key size), MALFORMED_RESPONSE (block size) */
export function decryptManagementBlock(alg: ManagementKeyAlgorithm, key: Uint8Array, block: Uint8Array): Uint8Array {
  return run(false, alg, key, block);
}
