/**
 * Start-up time (issue 14), from the build (`npm run build`: dist/ and
 * renderer/dist):
 *
 * - `station --help`: `node dist/electron/cli/main.js --help` spawned N times,
 *   from spawn to exit; beside it `node -e 0`, Node's own start-up on this
 *   machine, the floor of any command.
 * - The browser host's first interactive officer screen: Chromium (Debian's,
 *   driven by playwright-core, launched before the clock starts) waits while
 *   the host is spawned with `--training --no-pcsc --port 0`; the clock stops
 *   when the first-run or login screen is on the page with its first field
 *   enabled. Also split: spawn → the host prints its URL, and URL → screen. On
 *   a data dir that exists (the officer's every morning; one untimed launch
 *   creates it), and once on a new one (the first launch, which creates the
 *   training keys). The host as `npm start` runs it, the bundle
 *   (dist/host-bundle/main.mjs, scripts/bundle-host.mjs), and beside it tsc's
 *   output (dist/electron/host/main.js). --no-pcsc: the shared pcscd readers
 *   stay out of a figures run; opening pcsclite costs a few ms.
 *
 * Figures only; nothing is asserted. Environment: BENCH_STARTUP_RUNS (CLI 20,
 * host 5; BENCH_QUICK=1: 8 and 3, and the bundle only), BENCH_CHROMIUM (/usr/bin/chromium).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { ms, percentiles } from './results.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI_MAIN = join(ROOT, 'dist', 'electron', 'cli', 'main.js');
/** The host builds, as `npm start` prefers them: the bundle, then tsc's output. */
const HOST_BUILDS = [
  { name: 'bundle (dist/host-bundle/main.mjs, what npm start runs)', main: join(ROOT, 'dist', 'host-bundle', 'main.mjs') },
  { name: 'tsc output (dist/electron/host/main.js)', main: join(ROOT, 'dist', 'electron', 'host', 'main.js') },
];
const RENDERER_INDEX = join(ROOT, 'renderer', 'dist', 'index.html');
const QUICK = process.env.BENCH_QUICK === '1';
/** The line the host prints once it listens (electron/host/main.ts URL_LINE_PREFIX). */
const HOST_READY = /PIV Station browser host: (\S+)/;
/** The officer's first screen: first run (no officer yet) or login, with its first field enabled. */
const FIRST_SCREEN = '[data-testid=first-run-screen] input:enabled, [data-testid=login-screen] input:enabled';
/** Longest a launch may take before the bench gives up on it. */
const LAUNCH_TIMEOUT_MS = 60_000;

/** Median, p95 and fastest of some timings, in ms. */
export interface Timing {
  runs: number;
  medianMs: number;
  p95Ms: number;
  minMs: number;
}

/** One host build's launches. */
export interface HostFigures {
  build: string;
  /** Spawn → the page's first interactive screen, on an existing data dir. */
  interactive: Timing;
  /** Spawn → the host's URL line, on an existing data dir. */
  listening: Timing;
  /** CPU time of the host process from spawn to its URL line and to the interactive screen (Linux; else null). */
  listeningCpu: Timing | null;
  interactiveCpu: Timing | null;
  /** The first launch on a new data dir (creates the training keys), spawn → interactive screen. */
  firstLaunchMs: number;
}

/** What {@link benchStartup} measured; a part is empty or null, with the reason in `skipped`, when it could not run. */
export interface StartupFigures {
  /** `node -e 0`: Node's start-up alone. */
  node: Timing;
  /** `node dist/electron/cli/main.js --help`, spawn to exit. */
  cliHelp: Timing | null;
  /** How the host was driven. */
  hostHow: string;
  /** Per host build found, the first as `npm start` runs it. */
  hosts: HostFigures[];
  skipped: string[];
}

/**
 * CPU time (user + system) process `pid` has used so far, in ms, from Linux's
 * /proc/PID/stat (fields 14 and 15, in USER_HZ ticks of 10 ms); null elsewhere.
 * The wall time of a loaded machine includes waiting for a CPU; this does not.
 */
function cpuMsOf(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function timing(times: number[]): Timing {
  const p = percentiles(times);
  return { runs: times.length, medianMs: ms(p.median), p95Ms: ms(p.p95), minMs: ms(Math.min(...times)) };
}

/** Spawns `node args…` and resolves with the ms from spawn to exit. @throws Error when it exits non-zero */
function timeProcess(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

/**
 * One launch of the host on `dataDir`, the page loaded in `browser`: spawn →
 * URL line → first interactive screen. The host is stopped (SIGTERM) before it resolves.
 */
async function launchHost(browser: Browser, hostMain: string, dataDir: string): Promise<{ listeningMs: number; interactiveMs: number; listeningCpuMs: number | null; interactiveCpuMs: number | null }> {
  const start = performance.now();
  const child = spawn(process.execPath, [hostMain, '--data-dir', dataDir, '--training', '--no-pcsc', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const page = await browser.newPage();
  let listeningCpuMs: number | null = null;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The host printed no URL within ${LAUNCH_TIMEOUT_MS} ms: ${output}`)), LAUNCH_TIMEOUT_MS);
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        const m = HOST_READY.exec(output);
        if (m) {
          clearTimeout(timer);
          listeningCpuMs = cpuMsOf(child.pid);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`The host exited (${code}) before listening: ${output}`));
      });
    });
    const listeningMs = performance.now() - start;
    await page.goto(url, { waitUntil: 'commit', timeout: LAUNCH_TIMEOUT_MS });
    await page.locator(FIRST_SCREEN).first().waitFor({ state: 'visible', timeout: LAUNCH_TIMEOUT_MS });
    const interactiveMs = performance.now() - start;
    return { listeningMs, interactiveMs, listeningCpuMs, interactiveCpuMs: cpuMsOf(child.pid) };
  } finally {
    await page.close();
    child.kill('SIGTERM');
    await exited;
  }
}

/** One host build: a first launch on a new data dir, then `runs` launches on it. */
async function benchHost(browser: Browser, build: (typeof HOST_BUILDS)[number], runs: number, row: (label: string, t: Timing) => void, log: (line: string) => void): Promise<HostFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'piv-station-bench-startup-'));
  try {
    const first = await launchHost(browser, build.main, join(dataDir, 'station'));
    const launches: Awaited<ReturnType<typeof launchHost>>[] = [];
    for (let i = 0; i < runs; i++) launches.push(await launchHost(browser, build.main, join(dataDir, 'station')));
    const cpu = (pick: (r: (typeof launches)[number]) => number | null) => (launches.every((r) => pick(r) !== null) ? timing(launches.map((r) => pick(r)!)) : null);
    const figures: HostFigures = {
      build: build.name,
      interactive: timing(launches.map((r) => r.interactiveMs)),
      listening: timing(launches.map((r) => r.listeningMs)),
      listeningCpu: cpu((r) => r.listeningCpuMs),
      interactiveCpu: cpu((r) => r.interactiveCpuMs),
      firstLaunchMs: ms(first.interactiveMs),
    };
    log(`browser host, ${build.name}:`);
    row('  spawn → URL printed', figures.listening);
    row('  spawn → first screen interactive', figures.interactive);
    if (figures.listeningCpu) row('  host process CPU until URL printed', figures.listeningCpu);
    if (figures.interactiveCpu) row('  host process CPU until screen interactive', figures.interactiveCpu);
    log(`${'  new data dir: spawn → first screen'.padEnd(52)} ${figures.firstLaunchMs.toFixed(0)} ms (once)`);
    return figures;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Measures the start-up figures and prints them.
 * @param options.runs  spawns per CLI figure and launches per host figure (default BENCH_STARTUP_RUNS, else 20 and 5; BENCH_QUICK: 8 and 3)
 * @param options.log   where the lines go (default console.log)
 * @returns the figures, times in ms; parts that need a missing build or browser are null and named in `skipped`
 */
export async function benchStartup(options: { runs?: number; log?: (line: string) => void } = {}): Promise<StartupFigures> {
  const log = options.log ?? ((line: string) => console.log(line));
  const given = options.runs ?? (process.env.BENCH_STARTUP_RUNS ? Number(process.env.BENCH_STARTUP_RUNS) : undefined);
  const cliRuns = given ?? (QUICK ? 8 : 20);
  const hostRuns = given ?? (QUICK ? 3 : 5);
  const skipped: string[] = [];
  log(`\nStart-up (from the build; ${cliRuns} spawns per CLI figure, ${hostRuns} host launches)`);
  const row = (label: string, t: Timing) => log(`${label.padEnd(52)} median ${t.medianMs.toFixed(0).padStart(5)} ms  p95 ${t.p95Ms.toFixed(0).padStart(5)} ms  fastest ${t.minMs.toFixed(0).padStart(5)} ms`);

  const nodeTimes: number[] = [];
  for (let i = 0; i < cliRuns; i++) nodeTimes.push(await timeProcess(['-e', '0']));
  const node = timing(nodeTimes);
  row('node -e 0 (Node alone)', node);

  let cliHelp: Timing | null = null;
  if (existsSync(CLI_MAIN)) {
    const times: number[] = [];
    for (let i = 0; i < cliRuns; i++) times.push(await timeProcess([CLI_MAIN, '--help']));
    cliHelp = timing(times);
    row('station --help', cliHelp);
  } else skipped.push(`station --help: ${CLI_MAIN} is missing (npm run build)`);

  const hosts: HostFigures[] = [];
  const hostHow = 'Chromium (playwright-core, headless) launched first; the host spawned with --training --no-pcsc --port 0';
  const chromiumPath = process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium';
  // BENCH_QUICK: only the build npm start runs (the tsc output's launches took a third of the quick run).
  const builds = HOST_BUILDS.filter((b) => existsSync(b.main)).slice(0, QUICK ? 1 : undefined);
  if (builds.length === 0 || !existsSync(RENDERER_INDEX)) skipped.push(`browser host: the build is missing (npm run build)`);
  else if (!existsSync(chromiumPath)) skipped.push(`browser host: no Chromium at ${chromiumPath}`);
  else {
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      for (const build of builds) hosts.push(await benchHost(browser, build, hostRuns, row, log));
    } finally {
      await browser.close();
    }
  }
  for (const s of skipped) log(`skipped: ${s}`);
  return { node, cliHelp, hostHow, hosts, skipped };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { writeResultsSection } = await import('./results.js');
  benchStartup()
    .then((figures) => writeResultsSection('startup', figures))
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
