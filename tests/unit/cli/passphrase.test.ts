/**
 * `station passphrase change` from the command line (issue 13): an
 * administrator changes a protected data dir's passphrase; afterwards the old
 * one is refused and the new one opens it. The CLI runs as a child process
 * (tsx), on a protected (not training) data dir.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../support/station-cli.js';

const OLD = 'the first station passphrase';
const NEW = 'violet tractor mango whistle';
const PASSWORD = 'an administrator password';
const dir = mkdtempSync(join(tmpdir(), 'cli-passphrase-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function station(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'electron/cli/main.ts'), '--data-dir', join(dir, 'station'), ...args], { env: { ...process.env, STATION_PASSWORD: PASSWORD, ...env }, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
    child.stdin?.end();
  });
}

describe('station passphrase change', () => {
  it('an administrator changes it: the old passphrase no longer opens the data dir, the new one does', async () => {
    const created = await station(['officer', 'add', '--username', 'admin', '--roles', 'admin'], { STATION_PASSPHRASE: OLD });
    expect(created.code, created.stderr).toBe(0);
    const weak = await station(['--as', 'admin', 'passphrase', 'change'], { STATION_PASSPHRASE: OLD, STATION_NEW_PASSPHRASE: 'station12345' });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/The passphrase (is too easy to guess|must have at least 12 characters).*\[INVALID_INPUT\]/);
    const changed = await station(['--as', 'admin', 'passphrase', 'change', '--json'], { STATION_PASSPHRASE: OLD, STATION_NEW_PASSPHRASE: NEW });
    expect(changed.code, changed.stderr).toBe(0);
    expect(JSON.parse(changed.stdout)).toMatchObject({ caKeys: 3, kdf: { N: 131072, r: 8, p: 1 } });
    const old = await station(['--as', 'admin', 'officer', 'list'], { STATION_PASSPHRASE: OLD });
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('[SECRETS_LOCKED]');
    const fresh = await station(['--as', 'admin', 'officer', 'list'], { STATION_PASSPHRASE: NEW });
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).toContain('admin');
  }, 240_000);
});
