/**
 * A training data dir configured for CPR intake, and a running
 * `station cpr serve` process on it (child process through tsx).
 */
import { trackChild } from './station-cli.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, type IdprsConfig } from '../../electron/core/config/station-config.js';
import type { IdprsIdentity } from './idprs.js';
import { ROOT } from './station-cli.js';

const CLI = join(ROOT, 'electron', 'cli', 'main.ts');

/** Makes a data dir whose config.json trusts `idprs` (its certificate written as idprs-signer.pem). */
export function idprsDataDir(idprs: IdprsIdentity, idprsConfig: Partial<Omit<IdprsConfig, 'signerCertificate'>> = {}): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'piv-station-cpr-'));
  writeFileSync(join(dataDir, 'idprs-signer.pem'), idprs.certPem);
  const config = { ...DEFAULT_CONFIG, idprs: { signerCertificate: 'idprs-signer.pem', managesPersons: true, ...idprsConfig } };
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify(config, null, 2));
  return dataDir;
}

/** A running `station cpr serve`. */
export interface ServeProcess {
  origin: string;
  child: ChildProcess;
  /** Lines printed so far (stdout). */
  output(): string;
  /** SIGTERM, then waits for the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `station --data-dir DIR --training cpr serve --port 0 [extra…]` and waits for its endpoint line. */
export async function startServe(dataDir: string, extra: string[], env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--data-dir', dataDir, '--training', 'cpr', 'serve', '--port', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  trackChild(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const origin = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /CPR endpoint (https?:\/\/[^\s]+)\/cpr/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`cpr serve exited ${code}: ${err}${out}`)));
  });
  return {
    origin,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
