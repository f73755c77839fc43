/**
 * Runs the `station` CLI as a child process (through tsx, so tests need no
 * build), asynchronously: a virtual card attached in the test process keeps
 * answering vpcd while the CLI works.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { RunResult } from './vpcd-card.js';
import { DEFAULT_CONFIG } from '../../electron/core/config/station-config.js';
import { ROLES } from '../../electron/core/workflow/types.js';
import { openStore } from '../../electron/core/store/store.js';
import { openDatabase } from '../../native/sqlite.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'electron', 'cli', 'main.ts');

/** The officer the helper logs in as (all roles), created on first use of a data dir. */
export const CLI_OFFICER = { username: 'cli-tester', password: 'cli test officer password' } as const;

/** Options of one CLI run. */
export interface StationRunOptions {
  timeoutMs?: number;
  /** Run as this officer (default CLI_OFFICER); null: no --as. */
  as?: { username: string; password: string } | null;
  /** Extra environment (e.g. STATION_NEW_PASSWORD). */
  env?: Record<string, string>;
  /** Aborting kills the CLI with SIGKILL, as a crash or a power cut would (no clean-up runs). */
  kill?: AbortSignal;
}

/** CLI child processes still running (stopped at the end of each test file: see child-cleanup.ts). */
const liveChildren = new Set<ChildProcess>();

/**
 * Stops every CLI child this test file started that is still running (SIGTERM,
 * then SIGKILL after `graceMs`): a test that failed half-way must not leave a
 * `batch run` or card process behind to take the next file's cards.
 */
export async function stopLiveCliProcesses(graceMs = 3_000): Promise<void> {
  const children = [...liveChildren];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  liveChildren.clear();
}

/** Tracks a child process until it exits, so the end of the test file stops it if it still runs. */
export function trackChild(child: ChildProcess): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

/** Runs the CLI asynchronously with `env` added; never throws on a non-zero exit. */
function runCli(args: string[], timeoutMs: number, env: Record<string, string>, kill?: AbortSignal): Promise<RunResult> {
  return new Promise((resolve) => {
    const killing = kill ? { signal: kill, killSignal: 'SIGKILL' as const } : {};
    const child = execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ...env }, ...killing }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) || (err && code === -1 ? String(err) : '') });
    });
    trackChild(child);
    // Always close stdin: a command that prompts must fail at once, not hang (EPIPE if it already exited is not an error).
    child.stdin?.on('error', () => undefined);
    child.stdin?.end();
  });
}

const prepared = new Map<string, Promise<void>>();

/**
 * Makes `dataDir` a test station on first use: a config where every profile
 * needs no approval and the requester may produce (issue 2's direct
 * `produce --person` stays allowed; `directProduction: false` keeps the
 * defaults; `producerDiffersFromRequester` sets the agency's two-officer
 * rule, by default off exactly when direct production is on) and the all-roles CLI_OFFICER
 * as its first officer. Later calls for the same dir do nothing.
 */
export function prepareStationDir(dataDir: string, opts: { directProduction?: boolean; producerDiffersFromRequester?: boolean } = {}): Promise<void> {
  let p = prepared.get(dataDir);
  if (!p) {
    p = (async () => {
      if (!existsSync(join(dataDir, 'config.json'))) {
        mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        const direct = opts.directProduction !== false;
        const profiles = direct ? DEFAULT_CONFIG.profiles.map((q) => ({ ...q, approvalRequired: false })) : DEFAULT_CONFIG.profiles;
        const separationOfDuties = { producerDiffersFromRequester: opts.producerDiffersFromRequester ?? !direct };
        writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ ...DEFAULT_CONFIG, profiles, separationOfDuties }, null, 2), { mode: 0o600 });
      }
      const r = await runCli(['--data-dir', dataDir, '--training', 'officer', 'add', '--username', CLI_OFFICER.username, '--roles', ROLES.join(',')], 120_000, {
        STATION_PASSWORD: CLI_OFFICER.password,
      });
      if (r.code !== 0 && !r.stderr.includes('already')) throw new Error(`test officer not created: ${r.stderr}`);
    })();
    prepared.set(dataDir, p);
  }
  return p;
}

/** Runs `station --data-dir DIR --training [--as OFFICER] ARGS…` (password in STATION_PASSWORD). */
export async function station(dataDir: string, args: string[], opts: StationRunOptions = {}): Promise<RunResult> {
  await prepareStationDir(dataDir);
  const as = opts.as === undefined ? CLI_OFFICER : opts.as;
  const env: Record<string, string> = { ...opts.env };
  if (as) env.STATION_PASSWORD = as.password;
  return runCli(['--data-dir', dataDir, '--training', ...(as ? ['--as', as.username] : []), ...args], opts.timeoutMs ?? 120_000, env, opts.kill);
}

/** Runs the CLI with --json and parses stdout. @throws when the exit code differs from `expectCode` */
export async function stationJson<T = Record<string, unknown>>(dataDir: string, args: string[], expectCode = 0, opts: StationRunOptions = {}): Promise<T> {
  const r = await station(dataDir, [...args, '--json'], opts);
  if (r.code !== expectCode) throw new Error(`station ${args.join(' ')} exited ${r.code} (expected ${expectCode}): ${r.stderr}\n${r.stdout}`);
  return JSON.parse(r.stdout) as T;
}

export { ROOT };

/** What `station produce … --json` prints (the fields tests read), whether the production succeeded or not. */
export interface ProduceOutcomeJson {
  jobId: string;
  status: string;
  failedStep?: string;
  error?: { code: string; message: string };
  card: { id: string };
}

/** The certificates the station recorded for a card (read from its store after a CLI run). */
export function recordedCertificates(dataDir: string, cardId: string): { serial: string; slot: string; status: string }[] {
  const db = openDatabase(join(dataDir, 'station.sqlite'));
  try {
    return openStore(db)
      .certificates.listByCard(cardId)
      .map((c) => ({ serial: c.serial, slot: c.slot, status: c.status }));
  } finally {
    db.close();
  }
}

import { spawn, type ChildProcess } from 'node:child_process';

/** A `station virtual-card attach` process: the card in the reader until it exits. */
export interface CardProcess {
  child: ChildProcess;
  /** Resolves when the process has exited (card pulled or detached). */
  exited: Promise<number | null>;
  /** Detaches the card (SIGTERM) and waits for the process to end. */
  stop(): Promise<void>;
}

/**
 * Starts `station virtual-card attach --state STATE [extra…]` and resolves once
 * it reports the card attached.
 */
export async function attachCardProcess(statePath: string, extra: string[] = []): Promise<CardProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'virtual-card', 'attach', '--state', statePath, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('attached')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`virtual-card attach exited ${code}: ${out}`)));
  });
  return {
    child,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
