/**
 * A station process that kills itself (SIGKILL: no clean-up, no flush, as a
 * crash or a power cut) at an exact point of a production or a batch, for the
 * crash sweeps (issue 13). Run with
 * `node --import tsx tests/reliability/support/crash-child.ts '<CrashPlan JSON>'`.
 *
 * The points are counted, never timed: `apdu N` dies once the Nth R-APDU of
 * the run has come back from pcscd (before the station acts on it); `write N`
 * dies right after the Nth SQL statement that changes the store ran (inside
 * its transaction when there is one, so that transaction is lost). Counting
 * starts when the run starts, after the station is open.
 *
 * Standard output (a pipe: written synchronously on Linux, so nothing printed
 * before the kill is lost) carries one JSON line per step the run finished or
 * skipped, `{"finished": STEP}`, after the engine's event, so the parent can
 * tell the store's checkpoints from what the dead process had got to; and,
 * when no point was given and the run ended, `{"report": {apdus, writes, status}}`:
 * how a sweep learns how many points a run has.
 */
import Database from 'better-sqlite3';
import { openStationRoot } from '../../../electron/boot/open-station.js';
import type { CardTransport, ReaderProvider } from '../../../electron/core/piv/transport.js';
import { PcscReaderProvider } from '../../../native/pcsc/index.js';

/** What the parent asks of one child. */
export interface CrashPlan {
  dataDir: string;
  reader: string;
  pin: string;
  /** produce: a direct production for `personId`; batch: a batch of `requestIds` on `reader`, followed until no item is left. */
  run: { kind: 'produce'; personId: string } | { kind: 'batch'; requestIds: string[]; officer: { username: string; password: string } };
  /** Where to die; absent: run to the end and report the counts. */
  killAt?: { kind: 'apdu' | 'write'; n: number };
}

/** What a child that was not killed reports. */
export interface CrashChildReport {
  apdus: number;
  writes: number;
  status: string;
}

const CONNECTION = 'crash-child';
const plan = JSON.parse(process.argv[2] ?? '') as CrashPlan;
let counting = false;
let apdus = 0;
let writes = 0;

const die = () => process.kill(process.pid, 'SIGKILL');
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

// Store writes: every statement that changes the database, however it is run (RETURNING statements read).
const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i;
const statementProto = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;
for (const method of ['run', 'get', 'all'] as const) {
  const original = statementProto[method]!;
  statementProto[method] = function (this: { source: string }, ...args: unknown[]) {
    const result = original.apply(this, args);
    if (counting && WRITE.test(this.source)) {
      writes++;
      if (plan.killAt?.kind === 'write' && writes === plan.killAt.n) die();
    }
    return result;
  };
}

/** The real PC/SC provider, its transports counting R-APDUs. */
function countingReaders(inner: PcscReaderProvider): ReaderProvider {
  return {
    listReaders: () => inner.listReaders(),
    watch: (onChange) => inner.watch(onChange),
    close: () => inner.close(),
    async connect(name) {
      const t = await inner.connect(name);
      const counted: CardTransport = {
        readerName: t.readerName,
        atr: t.atr,
        close: (d) => t.close(d),
        async transmit(capdu) {
          const r = await t.transmit(capdu);
          if (counting) {
            apdus++;
            if (plan.killAt?.kind === 'apdu' && apdus === plan.killAt.n) die();
          }
          return r;
        },
      };
      return counted;
    },
  };
}

const readers = countingReaders(await PcscReaderProvider.open());
const station = await openStationRoot({ dataDir: plan.dataDir, training: true, readers, background: plan.run.kind === 'batch' });
const logStep = (e: { type: string; step?: string }) => {
  if ((e.type === 'job.step.finished' || e.type === 'job.step.skipped') && e.step) print({ finished: e.step });
};
let status: string;
if (plan.run.kind === 'produce') {
  counting = true;
  const outcome = await station.production.produce({ personId: plan.run.personId, readerName: plan.reader, pin: plan.pin }, logStep);
  status = outcome.job.status;
} else {
  const core = station.core();
  const login = await core.dispatch('auth.login', plan.run.officer, CONNECTION);
  if (!login.ok) throw new Error(`login: ${login.error.code}`);
  // Event-driven: the batch has settled when its batch.changed says no item remains.
  const settled = new Promise<void>((resolve) => {
    core.subscribe(CONNECTION, (event, payload) => {
      if (event === 'job.event') logStep(payload as { type: string; step?: string });
      if (event === 'batch.changed' && (payload as { remaining: number }).remaining === 0) resolve();
    });
  });
  counting = true;
  const started = await core.dispatch('batches.start', { requestIds: plan.run.requestIds, readers: [plan.reader] }, CONNECTION);
  if (!started.ok) throw new Error(`batches.start: ${started.error.code} ${started.error.message}`);
  const { batchId } = started.value as { batchId: string };
  await settled;
  const view = await core.dispatch('batches.get', { batchId }, CONNECTION);
  if (!view.ok) throw new Error(`batches.get: ${view.error.code}`);
  status = (view.value as { status: string }).status;
}
counting = false;
print({ report: { apdus, writes, status } satisfies CrashChildReport });
await station.close();
