/**
 * End-to-end harness: the browser host (real core, real pcscd) as a child
 * process on a temporary training data dir, and a headless Chromium driven by
 * playwright-core against it. Every process it starts, it stops.
 *
 * The renderer is built by the test command (`npx vite build --config
 * renderer/vite.config.ts`), never here: this only checks that the build is
 * there and says how to make it when it is not.
 */
import { trackChild } from './station-cli.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { prepareStationDir, ROOT } from './station-cli.js';
import { E2E_OPERATOR, loginAs, type E2eOfficer } from './e2e-session.js';
import { allowDirectProduction, type ProfileId } from './e2e-config.js';

/** Entry point of the browser host (run through tsx, no build needed). */
const HOST_MAIN = join(ROOT, 'electron', 'host', 'main.ts');
/** The renderer build the host serves. */
export const RENDERER_INDEX = join(ROOT, 'renderer', 'dist', 'index.html');
/** Where screenshots go (CI artifacts). */
export const SCREENSHOT_DIR = join(ROOT, 'test-results', 'screenshots');
/** Where host and browser logs go (CI artifacts). */
export const LOG_DIR = join(ROOT, 'test-results', 'e2e-logs');
/** Chromium installed by the system package. */
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
/** The line the host prints once it listens: `PIV Station browser host: <url>`. */
const HOST_READY = /PIV Station browser host: (\S+)/;
/** How long the host may take to compile (tsx), open the data dir and listen. */
const HOST_START_TIMEOUT_MS = 60_000;
/** Grace period between SIGTERM and SIGKILL when stopping a child process. */
const KILL_GRACE_MS = 5_000;
/** Viewport of the officer's screen the UI must be legible at (ui-spec "Accessibility"). */
export const VIEWPORT = { width: 1280, height: 800 } as const;

/**
 * Stops a child process: SIGTERM, then SIGKILL when it is still alive after
 * `graceMs`. Resolves once it has exited. Safe to call twice.
 */
export async function stopProcess(child: ChildProcess, graceMs = KILL_GRACE_MS): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

/** A running browser host. */
export interface HostProcess {
  child: ChildProcess;
  /** The URL it printed (includes `?token=…`). */
  url: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, SIGKILL after 5 s; resolves when it has exited. */
  stop(): Promise<void>;
}

/**
 * Throws a clear error when the renderer has not been built.
 * @throws Error naming the build command
 */
export function requireRendererBuild(): void {
  if (!existsSync(RENDERER_INDEX)) {
    throw new Error(`The renderer is not built (${RENDERER_INDEX} is missing): run \`npm run build:renderer\` (or \`npm run build\`) before the e2e tests.`);
  }
}

/**
 * Starts `node --import tsx electron/host/main.ts --data-dir DIR --training --port 0`
 * and resolves with the URL it prints.
 * @throws Error (with the host's output) when it exits or stays silent for 60 s
 */
export async function startHost(dataDir: string): Promise<HostProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', HOST_MAIN, '--data-dir', dataDir, '--training', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackChild(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const host: HostProcess = { child, url: '', output: () => output, stop: () => stopProcess(child) };
  try {
    host.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The browser host printed no URL within ${HOST_START_TIMEOUT_MS} ms:\n${output}`)), HOST_START_TIMEOUT_MS);
      const onData = () => {
        const m = HOST_READY.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`The browser host exited (${code ?? signal}) before listening:\n${output}`));
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  } catch (e) {
    await stopProcess(child);
    throw e;
  }
  return host;
}

/**
 * Launches headless Chromium with a new empty profile (no QUIC, no background
 * traffic: the machine has no network).
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Makes a test or step name safe for a file name. */
function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
}

/** One test file's station: host, browser, page, data dir. */
export interface E2eStation {
  /** Temporary training data dir (removed by close()). */
  dataDir: string;
  host: HostProcess;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors/warnings seen so far. */
  browserLog: string[];
  /** Saves test-results/screenshots/<test>-<step>.png and returns its path. */
  screenshot(step: string): Promise<string>;
  /**
   * Opens (or reopens) the station's page and logs in as `officer` (default:
   * the CLI helper's all-roles test officer). On a first-run station the
   * first-run screen makes the administrator, who adds the officer first.
   */
  open(officer?: E2eOfficer): Promise<void>;
  /** Writes logs to test-results/e2e-logs, closes Chromium, stops the host, removes the data dir. */
  close(): Promise<void>;
}

/** Options for startE2eStation. */
export interface E2eStationOptions {
  /** Runs before the host starts (e.g. seeding persons with the CLI). */
  seed?: (dataDir: string) => Promise<void>;
  /**
   * Profiles the station may produce without a request and approval (the
   * issue-2 specs' direct production); by default only the station's own
   * defaults apply (visitor).
   */
  directProduction?: ProfileId[];
  /**
   * Start with no officer at all: the spec creates the administrator on the
   * first-run screen (and must not use the CLI before the host starts).
   * Otherwise the data dir is prepared by the CLI helper first: the default
   * configuration and its all-roles test officer, whom `open()` logs in as.
   */
  firstRun?: boolean;
}

/**
 * Starts a host on a new training data dir and a browser on its page.
 * @param testName names the screenshots and logs of this test file
 * @throws Error when the renderer is not built or the host does not start
 */
export async function startE2eStation(testName: string, opts: E2eStationOptions = {}): Promise<E2eStation> {
  requireRendererBuild();
  const base = mkdtempSync(join(tmpdir(), 'piv-station-e2e-'));
  const dataDir = join(base, 'station');
  const cleanups: (() => Promise<void>)[] = [async () => rmSync(base, { recursive: true, force: true })];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    // The specs act as one all-roles officer, so the agency's two-officer rule is off; the request-approval spec
    // (first run, default configuration) keeps it on and works with separate officers.
    if (!opts.firstRun) await prepareStationDir(dataDir, { directProduction: false, producerDiffersFromRequester: false });
    if (opts.seed) await opts.seed(dataDir);
    if (opts.directProduction) allowDirectProduction(dataDir, opts.directProduction);
    const host = await startHost(dataDir);
    cleanups.push(() => host.stop());
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    const browserLog: string[] = [];
    page.on('pageerror', (e) => browserLog.push(`pageerror: ${e.message}`));
    page.on('response', (r) => {
      // The query carries the bridge token: log the path only.
      if (r.status() >= 400) browserLog.push(`HTTP ${r.status()}: ${new URL(r.url()).pathname}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') browserLog.push(`console.${m.type()}: ${m.text()}`);
    });
    const name = fileSafe(testName);
    const station: E2eStation = {
      dataDir,
      host,
      browser,
      context,
      page,
      browserLog,
      async screenshot(step) {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const path = join(SCREENSHOT_DIR, `${name}-${fileSafe(step)}.png`);
        await page.screenshot({ path, fullPage: true });
        return path;
      },
      async open(officer = E2E_OPERATOR) {
        await page.goto(host.url, { waitUntil: 'domcontentloaded' });
        // Every page load is a new bridge connection, hence a new session: log in again.
        await loginAs(page, officer);
      },
      async close() {
        mkdirSync(LOG_DIR, { recursive: true });
        writeFileSync(join(LOG_DIR, `${name}-host.log`), host.output());
        writeFileSync(join(LOG_DIR, `${name}-browser.log`), browserLog.join('\n') + '\n');
        await cleanup();
      },
    };
    return station;
  } catch (e) {
    await cleanup();
    throw e;
  }
}
