/**
 * The benchmark's figures file, `bench/results/latest.json` (not committed):
 * one JSON object with the machine it ran on and one section per part of the
 * bench (person search, start-up, cards…). Each part writes its own section
 * and keeps the others, so parts may run separately (BENCH_ONLY) and the file
 * still holds the latest figure of every part.
 *
 * Shape: { machine: Machine, sections: { [name]: { measuredAt, machine, figures } } }.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run bench` writes its figures. */
export const LATEST_RESULTS = join(dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');

/** The machine a figure was measured on; the load average says how busy it was (other users). */
export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  /** 1, 5 and 15 minute load averages when the section was written. */
  loadAverage: number[];
  os: string;
  node: string;
  /**
   * Whether the loopback route to 127.0.0.1 carries `quickack` (scripts/loopback-quickack.sh):
   * without it every APDU through vpcd waits about 40 ms for a delayed ACK, which dominates
   * the vpcd figures. Null where `ip` cannot tell (no iproute2, not Linux).
   */
  loopbackQuickack: boolean | null;
}

/** The machine this process runs on, now. */
export function machine(): Machine {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    loopbackQuickack: loopbackQuickack(),
  };
}

/** Reads the loopback route's `quickack` attribute; null when it cannot be read. */
function loopbackQuickack(): boolean | null {
  try {
    const route = execFileSync('ip', ['route', 'show', 'table', 'local', 'exact', '127.0.0.1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return / quickack 1\b/.test(route);
  } catch {
    return null;
  }
}

interface LatestFile {
  machine?: Machine;
  sections?: Record<string, unknown>;
}

/**
 * Writes one section of latest.json, keeping the others (read, merge, write to
 * a temporary name, fsync, rename: a reader never sees half a file).
 * @param name    the section, e.g. "personSearch"
 * @param figures any JSON value
 * @param path    defaults to {@link LATEST_RESULTS}
 */
export function writeResultsSection(name: string, figures: unknown, path = LATEST_RESULTS): void {
  let latest: LatestFile = {};
  try {
    latest = JSON.parse(readFileSync(path, 'utf8')) as LatestFile;
  } catch {
    // No file yet, or an unreadable one: start afresh.
  }
  const now = machine();
  const next: LatestFile = { ...latest, machine: now, sections: { ...latest.sections, [name]: { measuredAt: new Date().toISOString(), machine: now, figures } } };
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(next, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

/** Median and 95th percentile (nearest rank) of some timings, in the timings' unit. */
export function percentiles(times: readonly number[]): { median: number; p95: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  return { median: rank(50), p95: rank(95) };
}

/** Rounds a duration in ms to 0.01 ms for the figures file. */
export const ms = (t: number): number => Math.round(t * 100) / 100;
