/**
 * Atomic hand-offs (issue 10, finding 13): a file another program reads is
 * written to a temporary name, fsynced and renamed. A reader in another
 * thread, reading as fast as it can while the file is rewritten, never sees
 * a partial file.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryNameFor, writeFileAtomic } from '../../../electron/core/atomic-file.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'atomic-'));
  dirs.push(d);
  return d;
}

/** Version `n` of the hand-off: a header, 2 MiB of filler, a trailer naming the same version. */
function version(n: number): string {
  return `BEGIN ${n}\n${String(n % 10).repeat(2 * 1024 * 1024)}\nEND ${n}\n`;
}

/**
 * A reader thread: reads `path` until told to stop (Atomics flag), and
 * reports how many reads it made and every read that was not a whole version.
 */
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const flag = new Int32Array(workerData.flag);
let reads = 0; const partial = [];
Atomics.store(flag, 1, 1); // ready
while (Atomics.load(flag, 0) === 0) {
  let text;
  try { text = readFileSync(workerData.path, 'latin1'); } catch (e) { if (e.code === 'ENOENT') continue; throw e; }
  reads++;
  const m = /^BEGIN (\\d+)\\n/.exec(text);
  const whole = m !== null && text.endsWith('\\nEND ' + m[1] + '\\n') && text.length === workerData.length(m[1]);
  if (!whole && partial.length < 5) partial.push(text.length);
}
parentPort.postMessage({ reads, partial });
`;

describe('writeFileAtomic', () => {
  it('a concurrent reader only ever sees a whole version of the file', async () => {
    const dir = tempDir();
    const path = join(dir, 'handoff.txt');
    writeFileAtomic(path, version(0));
    const shared = new SharedArrayBuffer(8);
    const flag = new Int32Array(shared);
    // Every version has the same length except for the digits of n (< 10 here).
    const length = version(0).length;
    const worker = new Worker(READER.replace('workerData.length(m[1])', String(length)), { eval: true, workerData: { path, flag: shared } });
    const report = new Promise<{ reads: number; partial: number[] }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    // Wait for the reader to be reading (an event, not a delay).
    while (Atomics.load(flag, 1) === 0) Atomics.wait(flag, 1, 0, 10);
    for (let n = 1; n <= 9; n++) writeFileAtomic(path, version(n));
    Atomics.store(flag, 0, 1);
    const { reads, partial } = await report;
    await worker.terminate();
    expect(reads).toBeGreaterThan(0);
    expect(partial).toEqual([]);
    expect(readFileSync(path, 'latin1')).toBe(version(9));
  });

  it('leaves no temporary file behind, and writes under a hidden .tmp name folder watchers skip', () => {
    const dir = tempDir();
    const path = join(dir, 'a.result.json');
    writeFileAtomic(path, '{"ok":true}\n');
    expect(readdirSync(dir)).toEqual(['a.result.json']);
    const tmp = temporaryNameFor(path);
    expect(tmp.startsWith(join(dir, '.a.result.json.'))).toBe(true);
    expect(tmp.endsWith('.tmp')).toBe(true);
  });

  it('sets the mode asked for (0600 by default)', () => {
    const dir = tempDir();
    writeFileAtomic(join(dir, 'secret.pdf'), new Uint8Array([1, 2, 3]));
    writeFileAtomic(join(dir, 'public.crl'), new Uint8Array([4]), { mode: 0o644 });
    if (process.platform !== 'win32') {
      expect(statSync(join(dir, 'secret.pdf')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'public.crl')).mode & 0o777 & ~process.umask()).toBe(0o644 & ~process.umask());
    }
    expect([...readFileSync(join(dir, 'secret.pdf'))]).toEqual([1, 2, 3]);
  });

  it('a failed write throws and leaves no temporary file', () => {
    const dir = tempDir();
    // The target is a non-empty directory: the rename fails after the temporary file was written.
    const blocked = join(dir, 'blocked');
    mkdirSync(join(blocked, 'child'), { recursive: true });
    expect(() => writeFileAtomic(blocked, 'new')).toThrow();
    expect(readdirSync(dir)).toEqual(['blocked']);
    expect(() => writeFileAtomic(join(dir, 'missing', 'x.json'), 'x')).toThrow(/ENOENT/);
  });
});
