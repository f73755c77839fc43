/**
 * Runs `npm run package:check` (scripts/package-check.mjs): builds dist/, packs
 * `--linux dir` offline with a placeholder Electron and checks the archive.
 * About 20 s. Not in the default unit/integration projects: run with
 * `npx vitest run --config tests/packaging/vitest.config.ts`.
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * Runs the check without blocking the test worker: a synchronous child of 100 s
 * starves vitest's worker RPC, which then fails the run with "Timeout calling
 * onTaskUpdate" on a loaded machine although the check passed.
 */
function runPackageCheck(): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/package-check.mjs'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, status: error ? (typeof error.code === 'number' ? error.code : 1) : 0 });
    });
  });
}

describe('package:check', () => {
  it('packs offline and the package holds the shell, the preload, the renderer and the unpacked addons', async () => {
    const r = await runPackageCheck();
    const out = r.stdout;
    expect(out, r.stderr).toContain('ok    electron-builder packed offline');
    for (const line of [
      'archive holds dist/electron/shell/main.js',
      'archive holds dist/preload/preload.cjs',
      'archive holds renderer/dist/index.html',
      'package.json in the archive: main is dist/electron/shell/main.js',
      'better-sqlite3 unpacked at app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'pcsclite unpacked at app.asar.unpacked/node_modules/pcsclite/build/Release/pcsclite.node',
    ]) {
      expect(out).toContain(`ok    ${line}`);
    }
    // Dev addons are built for Node: the check must say so in the abi-check's words, not crash.
    expect(out).toMatch(/better-sqlite3 was built for ABI \d+ \(Node \d+\) but this is Electron \d+ \(ABI \d+\)/);
    expect(out).not.toContain('FAIL');
    expect(r.status).toBe(0);
  }, 180_000);
});
