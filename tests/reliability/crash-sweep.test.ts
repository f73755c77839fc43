/**
 * Issue 13, "Crash sweeps", through the real pcscd: a station process
 * (support/crash-child.ts) produces a card, or runs a one-card batch, and
 * kills itself with SIGKILL at an exact point, by APDU index or by store
 * write, or is killed by the test while the card answers its Nth APDU (the
 * card has acted, the station never hears the answer): counted, not timed. The station then starts again on the same data
 * dir, its clock past the dead process's job lease, as a desk restarted a
 * minute later would. Every point must leave: the steps the store holds as
 * done exactly those the dead process finished (at most the one in flight
 * also), a job that completes on retry (a batch: that the restarted station
 * resumes) on the card still in the reader, a card that passes
 * `station verify` with a valid certificate exactly for each key on it,
 * `PRAGMA integrity_check` ok, every audit and outbox event of the job once
 * (job.created, card.produced, the card.produced notification), at most one
 * failing management-key authentication on the card, and an audit chain that
 * verifies.
 *
 * Points: `npm test` a seeded sample; `npm run test:sweeps` points spread
 * evenly over every run (at least 50 for production and 50 for the batch).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATION_STOPPED_SENTENCE, type BatchView } from '../../electron/core/issuance/batch-service.js';
import { JOB_LEASE_TTL_MS } from '../../electron/core/issuance/job-claims.js';
import { openDatabase } from '../../native/sqlite.js';
import type { PersonalityName } from '../../native/virtual-card/personality.js';
import { trackChild, ROOT } from '../support/station-cli.js';
import { VPCD_READER } from '../support/vpcd-card.js';
import type { CrashChildReport, CrashPlan } from './support/crash-child.js';
import { SWEEP_ALL, SWEEP_SEED, spreadPoints } from './support/sweep-plan.js';
import { caAgreesWithCards, failedManagementAuthentications, openSweepStation, pcscdPid, pinOnCard, readerFree, SWEEP_PIN, type InsertedCard, type SweepStation } from './support/sweep-station.js';

const CHILD = join(ROOT, 'tests', 'reliability', 'support', 'crash-child.ts');
const PERSONALITY: PersonalityName = 'yubikey-like';
/**
 * Points per (run kind × counter): spread over the whole run under `npm run
 * test:sweeps` (26 × 3 counters = 78 per run kind), a seeded sample in `npm
 * test` (4 × 3 × 2 = 24 station processes, first and last point included: each
 * costs a process start, a production and a retry, about 15 s).
 */
const POINTS = { full: 26, sample: 4 } as const;
/** The restarted station's clock: past the lease the killed process left (job-claims.ts). */
const afterLease = () => new Date(Date.now() + JOB_LEASE_TTL_MS + 5_000);

let dir: string;
let dataDir: string;
/** The restarted station (opened once: every point's restart sees the same clock offset). */
let desk: SweepStation;
const counts: string[] = [];
/** pcscd's pid when the sweep began. */
let pcscd: number | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-crash-sweep-'));
  dataDir = join(dir, 'station');
  pcscd = pcscdPid();
  desk = await openSweepStation(dataDir, { now: afterLease });
  await desk.login();
});

afterAll(async () => {
  await desk?.close();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`\ncrash sweep (${SWEEP_ALL ? 'spread over every run' : `sample, SWEEP_SEED=${SWEEP_SEED}`}):\n${counts.map((c) => `  ${c}\n`).join('')}`);
});

/** How one crash child ended: its signal or code, the steps it finished (stdout), its report when it ran to the end. */
interface ChildEnd {
  signal: NodeJS.Signals | null;
  code: number | null;
  finished: string[];
  report?: CrashChildReport;
  stderr: string;
}

/** Runs one crash child to its end or its kill; `onSpawn` gets the process (a card-side fault may kill it). */
function runChild(plan: CrashPlan, onSpawn?: (child: ChildProcess) => void): Promise<ChildEnd> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(child);
    onSpawn?.(child);
    let out = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // 'close', not 'exit': every line the child printed before it died has been read.
    child.once('close', (code, signal) => {
      const lines = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { finished?: string; report?: CrashChildReport });
      const finished = lines.flatMap((l) => (l.finished ? [l.finished] : []));
      const report = lines.find((l) => l.report)?.report;
      resolve({ code, signal, stderr, finished, ...(report ? { report } : {}) });
    });
  });
}

/** PRAGMA integrity_check on its own connection, as a tool opening the file after the crash would. */
function integrity(): string {
  const db = openDatabase(join(dataDir, 'station.sqlite'));
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

/** Audit actions and outbox types of one job / card, with their counts. */
function eventsOf(jobId: string, cardId: string): { audit: Record<string, number>; outbox: Record<string, number> } {
  const audit: Record<string, number> = {};
  for (const e of desk.station.store.audit.list({ jobId })) audit[e.action] = (audit[e.action] ?? 0) + 1;
  const outbox: Record<string, number> = {};
  const rows = desk.station.store.db.prepare('SELECT type, count(*) AS n FROM outbox_events WHERE card_id = ? GROUP BY type').all(cardId) as { type: string; n: number }[];
  for (const r of rows) outbox[r.type] = r.n;
  return { audit, outbox };
}

/**
 * After the crash and the restart: the store's done steps are the ones the dead
 * process finished, plus at most the one it was in; nothing of the job is
 * failed or lost.
 */
function expectCheckpoint(jobId: string, finished: string[], where: string): void {
  const steps = desk.station.store.jobs.steps(jobId);
  const done = steps.filter((s) => s.status === 'done').map((s) => s.name);
  for (const name of finished) expect(done, `${where}: step ${name} finished before the crash`).toContain(name);
  const beyond = done.filter((n) => !finished.includes(n));
  expect(beyond.length, `${where}: done in the store but not finished by the process: ${beyond.join(', ')}`).toBeLessThanOrEqual(1);
  if (beyond.length === 1) {
    const order = steps.map((s) => s.name);
    const next = order.find((n) => !finished.includes(n));
    expect(beyond[0], `${where}: only the step in flight may be ahead of the log`).toBe(next);
  }
}

/** What every point must leave once the job is done again. */
async function expectCompleted(jobId: string, card: InsertedCard, where: string): Promise<void> {
  const job = desk.station.store.jobs.get(jobId)!;
  expect(job.status, where).toBe('done');
  // The job's runs, not the check after it (station verify on a card without 9B metadata tries the factory key once by design).
  const refused = failedManagementAuthentications(card.trace);
  // A production sets the PIN it was given; a batch generates one, which the card holds.
  const pin = pinOnCard(card.card);
  if (job.kind === 'produce' && job.params.pinSource === 'given') expect(pin, `${where}: the PIN the officer gave`).toBe(SWEEP_PIN);
  const verified = await desk.verify(pin);
  expect(verified.failed, where).toEqual([]);
  expect(caAgreesWithCards(desk.station, new Map([[job.cardId, card.card]])), where).toEqual([]);
  expect(refused, `${where}: failing 9B authentications on the card`).toBeLessThanOrEqual(1);
  expect(integrity(), where).toBe('ok');
  const { audit, outbox } = eventsOf(jobId, job.cardId);
  expect(audit['job.created'], `${where}: job.created`).toBe(1);
  expect(audit['card.produced'], `${where}: card.produced`).toBe(1);
  expect(outbox['card.produced'], `${where}: card.produced notification`).toBe(1);
  expect(outbox['card.production_failed'] ?? 0, `${where}: a crash is not a failed production`).toBe(0);
}

/** The reference run of a kind: how many APDUs and store writes it has, and how many APDUs the card answered from insertion (a batch probes the card before its run). */
async function reference(kind: 'produce' | 'batch'): Promise<CrashChildReport & { cardApdus: number }> {
  const card = await desk.insert(join(dir, `ref-${kind}.json`), PERSONALITY);
  try {
    const r = await runChild(await planFor(kind, 'ref', undefined));
    expect(r.code, r.stderr).toBe(0);
    expect(r.report!.status).toBe('done');
    return { ...r.report!, cardApdus: card.trace.length };
  } finally {
    await card.remove();
  }
}

async function planFor(kind: 'produce' | 'batch', label: string, killAt: CrashPlan['killAt']): Promise<CrashPlan> {
  const personId = desk.addPerson(`crash ${kind} ${label}`);
  if (kind === 'produce') return { dataDir, reader: VPCD_READER, pin: SWEEP_PIN, run: { kind, personId }, killAt };
  const request = await desk.call<{ id: string; state: string }>('requests.create', { personId, profile: 'employee' });
  expect(request.state).toBe('approved');
  return { dataDir, reader: VPCD_READER, pin: SWEEP_PIN, run: { kind, requestIds: [request.id], officer: await desk.secondOfficer() }, killAt };
}

/** The job a plan's run made (undefined when the crash came before the job was stored). */
function jobOf(plan: CrashPlan): { id: string } | undefined {
  const db = desk.station.store.db;
  if (plan.run.kind === 'produce') return db.prepare('SELECT id FROM jobs WHERE person_id = ?').get(plan.run.personId) as { id: string } | undefined;
  return db.prepare('SELECT job_id AS id FROM batch_items WHERE request_id = ? AND job_id IS NOT NULL').get(plan.run.requestIds[0]) as { id: string } | undefined;
}

describe.each(['produce', 'batch'] as const)('the station killed during a %s', (kind) => {
  test('at every point: restarted, the job is at its last checkpoint and completes; store, audit and outbox intact', async () => {
    const ref = await reference(kind);
    const tally: Record<string, number> = {};
    // apdu: the station dies once the Nth R-APDU came back; write: right after its Nth store write;
    // card: the test kills it while the card answers its Nth APDU (the card has acted, the station never hears it).
    for (const counter of ['apdu', 'write', 'card'] as const) {
      const last = counter === 'apdu' ? ref.apdus : counter === 'write' ? ref.writes : ref.cardApdus;
      const points = spreadPoints(last, POINTS.full, POINTS.sample, `${kind}-${counter}`);
      for (const n of points) {
        const label = `${counter}-${n}`;
        const where = `${kind} killed at ${counter} ${n}/${last}`;
        let victim: ChildProcess | undefined;
        // Synchronously, after the card acted on APDU n and before its answer goes back through pcscd.
        const faults = counter === 'card' ? { onApdu: (e: { index: number }) => void (e.index === n && victim?.kill('SIGKILL')) } : {};
        const card = await desk.insert(join(dir, `${kind}-${label}.json`), PERSONALITY, faults);
        try {
          const plan = await planFor(kind, label, counter === 'card' ? undefined : { kind: counter, n });
          const died = await runChild(plan, (child) => (victim = child));
          if (died.report) {
            // This run had fewer points than the reference (a batch's probe can differ): the point lay past its end.
            // A card-side point may come after the run reported its end (a batch's closing probe): nothing of the job was then in flight.
            if (counter !== 'card') expect(counter === 'apdu' ? died.report.apdus : died.report.writes, `${where}: the run ended without reaching its point`).toBeLessThan(n);
            tally.pastTheEnd = (tally.pastTheEnd ?? 0) + 1;
            continue;
          }
          expect(died.signal, `${where}: ${died.stderr}`).toBe('SIGKILL');
          // A station's death must not take pcscd with it (and a sweep must say so, not time out on a reader that no longer reports).
          expect(pcscdPid(), `${where}: pcscd is still the one the sweep started with`).toBe(pcscd);
          expect(integrity(), `${where}: right after the crash`).toBe('ok');
          const job = jobOf(plan);
          // pcscd frees the dead process's card session once it has seen its socket close.
          await readerFree(desk.readers, VPCD_READER);
          if (kind === 'produce') {
            if (!job) {
              // Killed before the job was stored: nothing of it exists; producing again starts afresh.
              expect(died.finished, where).toEqual([]);
              const again = await desk.station.production.produce({ personId: (plan.run as { personId: string }).personId, readerName: VPCD_READER, pin: SWEEP_PIN });
              await expectCompleted(again.job.id, card, where);
            } else {
              expectCheckpoint(job.id, died.finished, where);
              const retried = await desk.station.production.retry(job.id, VPCD_READER, SWEEP_PIN);
              expect(retried.job.status, `${where}: retry ${JSON.stringify(retried.job.error)} (failed step ${retried.job.failedStep})`).toBe('done');
              await expectCompleted(job.id, card, where);
            }
          } else {
            // A desk restarted after the crash: its batch service resumes the batch on the card still in the reader.
            if (job) expectCheckpoint(job.id, died.finished, where);
            const restarted = await openSweepStation(dataDir, { now: afterLease, background: true });
            try {
              const second = await desk.secondOfficer();
              await restarted.station.core().dispatch('auth.login', second, 'desk');
              await batchSettled(restarted, plan);
            } finally {
              await restarted.close();
            }
            const resumed = jobOf(plan);
            expect(resumed, `${where}: the batch made a job`).toBeDefined();
            await expectCompleted(resumed!.id, card, where);
          }
          tally[counter] = (tally[counter] ?? 0) + 1;
        } finally {
          await card.remove();
        }
      }
    }
    const audit = await desk.call<{ ok: boolean; events: number }>('audit.verify', {});
    expect(audit.ok).toBe(true);
    counts.push(`${kind}: ${tally.apdu ?? 0} kill points by APDU (of ${ref.apdus}), ${tally.write ?? 0} by store write (of ${ref.writes}), ${tally.card ?? 0} mid-APDU on the card (of ${ref.cardApdus})${tally.pastTheEnd ? `, ${tally.pastTheEnd} past the run's end` : ''}; audit chain ok over ${audit.events} events`);
  });
});

/**
 * Resolves once the restarted station's batch has finished the plan's request
 * (batch.changed events): its item done or cancelled, or failed again after the
 * restart. Not `remaining === 0`: on open, the item the killed station left
 * running is failed-and-retryable (STATION_STOPPED_SENTENCE) and so no longer
 * counts as remaining before its card has resumed it.
 */
async function batchSettled(station: SweepStation, plan: CrashPlan): Promise<void> {
  if (plan.run.kind !== 'batch') return;
  const requestId = plan.run.requestIds[0]!;
  const core = station.station.core();
  const batchId = station.station.store.db.prepare('SELECT batch_id FROM batch_items WHERE request_id = ?').pluck().get(requestId) as string | undefined;
  if (!batchId) {
    // Killed before the batch was stored: start it again on the restarted desk.
    const settled = new Promise<void>((resolve) => core.subscribe('desk', (event, payload) => event === 'batch.changed' && (payload as { remaining: number }).remaining === 0 && resolve()));
    const started = await core.dispatch('batches.start', { requestIds: [requestId], readers: [VPCD_READER] }, 'desk');
    if (!started.ok) throw new Error(`batches.start: ${started.error.message}`);
    return settled;
  }
  await new Promise<void>((resolve, reject) => {
    const check = async () => {
      const v = await core.dispatch('batches.get', { batchId }, 'desk');
      if (!v.ok) return reject(new Error(v.error.message));
      const item = (v.value as BatchView).items.find((i) => i.requestId === requestId);
      if (!item) return reject(new Error(`batch ${batchId} has no item for request ${requestId}`));
      if (item.state === 'done' || item.state === 'cancelled' || (item.state === 'failed' && item.failure !== STATION_STOPPED_SENTENCE)) resolve();
    };
    core.subscribe('desk', (event, payload) => {
      if (event === 'batch.changed' && (payload as { batchId: string }).batchId === batchId) void check();
    });
    void check();
  });
}
