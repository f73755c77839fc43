/**
 * Runs the `station` CLI as a child process (through tsx, so tests need no
 * build), asynchronously: a virtual card attached in the test process keeps
 * answering vpcd while the CLI works.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { run, type RunResult } from './vpcd-card.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(ROOT, 'electron', 'cli', 'main.ts');

/** Runs `station --data-dir DIR --training ARGS…`. */
export function station(dataDir: string, args: string[], opts: { timeoutMs?: number } = {}): Promise<RunResult> {
  return run(process.execPath, ['--import', 'tsx', CLI, '--data-dir', dataDir, '--training', ...args], { timeoutMs: opts.timeoutMs ?? 120_000 });
}

/** Runs the CLI with --json and parses stdout. @throws when the exit code differs from `expectCode` */
export async function stationJson<T = Record<string, unknown>>(dataDir: string, args: string[], expectCode = 0): Promise<T> {
  const r = await station(dataDir, [...args, '--json']);
  if (r.code !== expectCode) throw new Error(`station ${args.join(' ')} exited ${r.code} (expected ${expectCode}): ${r.stderr}\n${r.stdout}`);
  return JSON.parse(r.stdout) as T;
}

export { ROOT };

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
