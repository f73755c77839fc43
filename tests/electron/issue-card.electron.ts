/**
 * Issue a card in the real Electron shell (Playwright `_electron.launch`):
 * the hardened window loads the renderer from app://, the preload exposes
 * exactly `window.station`, and an officer produces a card on the embedded
 * training reader of a `--training` station.
 *
 * Runs only where STATION_ELECTRON_PATH points to an Electron binary, with the
 * app built (dist/, dist/preload/preload.cjs, renderer/dist) and the native
 * addons rebuilt for that Electron (`npx electron-builder install-app-deps`
 * on a networked host): otherwise the shell's abi-check refuses to start, and
 * this spec fails with that sentence rather than a timeout.
 *   STATION_ELECTRON_PATH=… npx vitest run --config tests/electron/vitest.config.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkAddons } from '../../native/abi-check.js';
import { TRAINING_READER_NAME } from '../../native/virtual-card/training-reader.js';
import { allowDirectProduction } from '../support/e2e-config.js';
import { login } from '../support/e2e-session.js';
import { CLI_OFFICER, prepareStationDir } from '../support/station-cli.js';
import { chooseProfile, chooseReader, goToIssue, produce, registerPerson, stepStates, typePin, waitForOutcome, waitForReaderKind, PRODUCTION_TIMEOUT_MS } from '../support/e2e-ui.js';

const electronPath = process.env.STATION_ELECTRON_PATH;
const appDir = fileURLToPath(new URL('../..', import.meta.url));
const PIN = '135790';

/** The Electron binary's NODE_MODULE_VERSION, asked of the binary itself. */
function electronAbi(path: string): { modules: number; electron: string; node: string } {
  const out = execFileSync(path, ['-p', 'JSON.stringify(process.versions)'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8' });
  const v = JSON.parse(out) as { modules: string; electron: string; node: string };
  return { modules: Number(v.modules), electron: v.electron, node: v.node };
}

describe.skipIf(!electronPath)('issue a card in the Electron shell', () => {
  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    const problems = checkAddons(electronAbi(electronPath!)).filter((c) => !c.ok).map((c) => c.problem);
    expect(problems, 'native addons must be rebuilt for this Electron').toEqual([]);
    dataDir = mkdtempSync(join(tmpdir(), 'piv-station-electron-'));
    // The same preparation as the browser specs: an all-roles officer made by the CLI, and direct employee production allowed.
    await prepareStationDir(dataDir, { directProduction: false });
    allowDirectProduction(dataDir, ['employee']);
    app = await _electron.launch({
      executablePath: electronPath!,
      args: [appDir, '--training'],
      env: { ...process.env, STATION_DATA_DIR: dataDir, NODE_ENV: 'test' } as Record<string, string>,
    });
    page = await app.firstWindow();
  });

  afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('the window is hardened and the renderer sees only window.station', async () => {
    expect(page.url()).toMatch(/^app:\/\/station\//);
    const seen = await page.evaluate(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      return {
        bridgeKeys: Object.keys((w.station ?? {}) as object).sort(),
        require: typeof w.require,
        process: typeof w.process,
        module: typeof w.module,
      };
    });
    expect(seen).toEqual({ bridgeKeys: ['invoke', 'subscribe'], require: 'undefined', process: 'undefined', module: 'undefined' });
    // One window only, showing the station's entry page.
    const windows = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.webContents.getURL()));
    expect(windows).toEqual([expect.stringMatching(/^app:\/\/station\//)]);
    // Navigation away from app:// is blocked: the page stays where it is.
    await page.evaluate(() => {
      (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
    });
    await expect(page.waitForURL(/example\.com/, { timeout: 3_000 })).rejects.toThrow();
    expect(page.url()).toMatch(/^app:\/\/station\//);
    // window.open is denied.
    expect(await page.evaluate(() => (globalThis as unknown as { open(url: string): unknown }).open('https://example.com/') === null)).toBe(true);
  });

  test('register, choose the training reader, produce: every step done, the PUK shown once', async () => {
    await login(page, CLI_OFFICER);
    await expect.poll(() => page.getByTestId('training-banner').isVisible()).toBe(true);
    await waitForReaderKind(page, TRAINING_READER_NAME, /PIV card/);
    await goToIssue(page);
    await registerPerson(page, { givenName: 'Mary', surname: 'Jackson', email: 'mary.jackson@example.test', employeeId: 'E-1958', affiliation: 'employee' });
    await chooseProfile(page, 'employee');
    await chooseReader(page, TRAINING_READER_NAME);
    await typePin(page, PIN);
    const jobId = await produce(page);
    expect(jobId).toMatch(/\S/);
    expect(await waitForOutcome(page, PRODUCTION_TIMEOUT_MS)).toEqual({ kind: 'done' });
    const steps = await stepStates(page);
    expect(steps.length).toBeGreaterThanOrEqual(10);
    expect(steps.filter((s) => s.state !== 'done')).toEqual([]);
    expect(((await page.getByTestId('puk-value').textContent()) ?? '').trim()).toMatch(/^\d{8}$/);
    expect(await page.content()).not.toContain(PIN);
  });
});
