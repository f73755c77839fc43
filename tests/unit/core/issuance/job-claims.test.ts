/**
 * One claim per job (issue 10, finding 12 "A job can run twice"): an early
 * throw never leaves a job "running" for good; a second process on the same
 * data dir (a child process, as the CLI beside the browser host) retrying or
 * cancelling a running job gets JOB_STATE; a crashed holder's claim expires.
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { openStationRoot as openStation, type Station } from '../../../../electron/boot/open-station.js';
import { isStationError } from '../../../../electron/core/errors.js';
import { JOB_LEASE_TTL_MS } from '../../../../electron/core/issuance/job-claims.js';
import type { ReaderProvider } from '../../../../electron/core/piv/transport.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';

let t: TrainingStation | undefined;
const others: Station[] = [];
afterEach(async () => {
  await Promise.all(others.splice(0).map((s) => s.close()));
  await t?.close();
  t = undefined;
});

/** A second "process" on the same data dir: its own database connection and job registry. */
async function secondStation(ts: TrainingStation, readers: ReaderProvider, now?: () => Date): Promise<Station> {
  const s = await openStation({ dataDir: ts.dataDir, training: true, readers, now });
  others.push(s);
  return s;
}

/** A reader provider whose `connect` waits until `open()` is called, and says when it is waiting. */
function gatedReaders(inner: ReaderProvider): { readers: ReaderProvider; waiting: Promise<void>; open(): void } {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  let waitingNow!: () => void;
  const waiting = new Promise<void>((r) => (waitingNow = r));
  return {
    readers: {
      ...inner,
      listReaders: () => inner.listReaders(),
      watch: (l) => inner.watch(l),
      close: () => inner.close(),
      async connect(name) {
        waitingNow();
        await gate;
        return inner.connect(name);
      },
    },
    waiting,
    open,
  };
}

const jobState = (e: unknown) => isStationError(e, 'JOB_STATE');

const CHILD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'support', 'job-child.ts');
/** Runs tests/support/job-child.ts (another process on the data dir) and returns its JSON answer. */
async function inChild(dataDir: string, verb: 'retry' | 'cancel' | 'claim-and-die', jobId: string, readerName?: string): Promise<unknown> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD, dataDir, verb, jobId, ...(readerName ? [readerName] : [])], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

describe('job claims', () => {
  test('an early throw releases the job: the next run starts instead of answering "already running"', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    const personId = t.addPerson({ affiliation: 'visitor' });
    const job = t.station.production.createJob({ personId, readerName: t.readerName });
    // The listener fails at the very first event, before any step.
    const failing = () => {
      throw new Error('listener broke');
    };
    await expect(t.station.production.retry(job.id, t.readerName, undefined, failing)).rejects.toThrow('listener broke');
    expect(t.station.production.claims.isRunning(job.id)).toBe(false);
    const again = await t.station.production.retry(job.id, t.readerName, undefined);
    expect(again.job.status).toBe('done');
  });

  test('a second process retrying or cancelling a running job gets JOB_STATE; once it ends, the job is free', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    const gated = gatedReaders(t.reader);
    const first = await secondStation(t, gated.readers);
    const personId = t.addPerson({ affiliation: 'visitor' });
    const job = first.production.createJob({ personId, readerName: t.readerName });
    const running = first.production.retry(job.id, t.readerName, undefined);
    await gated.waiting; // this process holds the job and waits for its card session

    expect(await inChild(t.dataDir, 'retry', job.id, t.readerName)).toEqual({ code: 'JOB_STATE' });
    expect(await inChild(t.dataDir, 'cancel', job.id)).toEqual({ code: 'JOB_STATE' });

    gated.open();
    expect((await running).job.status).toBe('done');
    expect(first.production.claims.isRunning(job.id)).toBe(false);
  });

  test("a crashed holder's claim expires: the job can be retried after the lease time", async () => {
    t = await openTrainingStation({}, { directProduction: true });
    const personId = t.addPerson({ affiliation: 'visitor' });
    const job = t.station.production.createJob({ personId, readerName: t.readerName });
    // Another process claims the job and dies without releasing it (its lease row stays).
    expect(await inChild(t.dataDir, 'claim-and-die', job.id)).toEqual({ claimed: job.id });

    let clock = new Date();
    const survivor = await secondStation(t, t.reader, () => clock);
    await expect(survivor.production.retry(job.id, t.readerName, undefined)).rejects.toSatisfy(jobState);
    clock = new Date(clock.getTime() + JOB_LEASE_TTL_MS + 1);
    expect(survivor.production.claims.isRunning(job.id)).toBe(false);
    expect((await survivor.production.retry(job.id, t.readerName, undefined)).job.status).toBe('done');
  });

  test('in one process the registry is shared: a claim held by the core refuses the engine run', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    const personId = t.addPerson({ affiliation: 'visitor' });
    const job = t.station.production.createJob({ personId, readerName: t.readerName });
    const claim = t.station.production.claims.claim(job.id);
    await expect(t.station.production.retry(job.id, t.readerName, undefined)).rejects.toSatisfy(jobState);
    expect(() => t!.station.production.claims.claim(job.id)).toThrow(/already running/);
    claim.release();
    claim.release(); // idempotent
    expect(t.station.production.claims.isRunning(job.id)).toBe(false);
  });
});
