/**
 * Officer password hashing: scrypt (RFC 7914) from node:crypto with a random
 * 16-byte salt per officer. The parameters travel inside the hash string, so
 * stronger parameters later still verify old hashes:
 *
 *   scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>
 *
 * Default cost N=2^15, r=8, p=1 (OWASP Password Storage Cheat Sheet minimum
 * for scrypt; ~32 MiB, ~50-100 ms per hash).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters. */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

const SCHEME = 'scrypt';
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** scrypt needs 128·N·r bytes; allow twice that so node's 32 MiB default cap does not refuse N=2^15. */
const maxmem = (p: ScryptParams) => 256 * p.N * p.r;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, { N: params.N, r: params.r, p: params.p, maxmem: maxmem(params) }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * Hashes a password for storage.
 * @param password the officer's password (NFKC-normalised before hashing, NIST SP 800-63B §5.1.1.2)
 * @returns the self-describing hash string
 */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return [SCHEME, params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * True when `password` matches `stored` (constant-time comparison).
 * A malformed stored hash never matches.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== SCHEME) return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!Number.isInteger(N) || !Number.isInteger(r) || !Number.isInteger(p)) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length !== KEY_BYTES) return false;
  try {
    const key = await derive(password, salt, { N: N!, r: r!, p: p! });
    return timingSafeEqual(key, expected);
  } catch {
    return false;
  }
}

/** Letters of a generated password: lower-case letters and digits without the look-alikes 0/o, 1/l/i. */
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * A new random password for an account reset (issue 12 obs. 9): 20 letters
 * of a 31-letter alphabet (about 99 bits, rejection-sampled so every letter
 * is equally likely) in groups of four joined by dashes, so it can be read
 * out and typed; long enough for the password rule (NIST SP 800-63B
 * §5.1.1.2: at least 8 characters for a generated secret; ours asks 12).
 */
export function generatePassword(): string {
  const letters: string[] = [];
  while (letters.length < 20) {
    for (const b of randomBytes(32)) {
      // 248 = 8 × 31: bytes at or above it would favour the first letters.
      if (b < 248 && letters.length < 20) letters.push(PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]!);
    }
  }
  return [0, 4, 8, 12, 16].map((i) => letters.slice(i, i + 4).join('')).join('-');
}
