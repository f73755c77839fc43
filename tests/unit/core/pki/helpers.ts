/** Test helpers for the PKI tests: node:crypto "cards" and openssl in temp dirs. */
import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CardPublicKey } from '../../../../electron/core/pki/types.js';
import type { KeyAlgorithm } from '../../../../electron/core/piv/constants.js';

const execFileAsync = promisify(execFile);

export interface SoftKey {
  publicKey: CardPublicKey;
  privateKey: KeyObject;
  /** Signs like a PIV card behind the station would, in X.509 form (DER ECDSA / PKCS#1 v1.5). */
  sign(hash: 'sha256' | 'sha384'): (tbs: Uint8Array) => Promise<Uint8Array>;
}

export function softKey(alg: KeyAlgorithm): SoftKey {
  const pair =
    alg === 'RSA2048'
      ? generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 })
      : generateKeyPairSync('ec', { namedCurve: alg === 'P256' ? 'prime256v1' : 'secp384r1' });
  return {
    publicKey: { algorithm: alg, spki: new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' })) },
    privateKey: pair.privateKey,
    sign: (hash) => async (tbs) => new Uint8Array(nodeSign(hash, tbs, pair.privateKey)),
  };
}

/** Runs openssl; resolves with stdout/stderr and the exit code instead of throwing. */
export async function openssl(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync('openssl', args, { cwd });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

export function pem(label: string, der: Uint8Array): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'pki-test-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function put(dir: string, name: string, data: string | Uint8Array): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, data);
  return p;
}
