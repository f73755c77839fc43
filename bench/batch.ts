/**
 * Mass-production throughput (issue 4 "Benchmark"): cards per hour of a batch
 * with 1 and with 2 vpcd readers through the real pcscd. The bench plays the
 * operator: whenever a reader is empty it inserts a blank virtual card, and
 * takes each card out as soon as its batch item is done. Figures, not a test.
 *
 * The batch runs through the core's StationApi (batches.start, batch.changed)
 * as a card production administrator. Time runs from batches.start to the
 * last card done, so it includes the operator's card changes as pcscd sees them.
 *
 * Environment: BENCH_BATCH_CARDS (default 6 per run), BENCH_READER / BENCH_VPCD_PORT
 * ("Virtual PCD 00 00", 35963), BENCH_READER_2 / BENCH_VPCD_PORT_2 ("Virtual PCD 00 01", 35964).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualPivCard } from '../native/virtual-card/card.js';
import { attachToVpcd, type VpcdLink } from '../native/vpcd/link.js';
import { PcscReaderProvider } from '../native/pcsc/index.js';
import { openStationRoot } from '../electron/boot/open-station.js';
import type { BatchView } from '../electron/contract/station-api.js';

const CARDS = Number(process.env.BENCH_BATCH_CARDS ?? 6);
const READERS = [
  { name: process.env.BENCH_READER ?? 'Virtual PCD 00 00', port: Number(process.env.BENCH_VPCD_PORT ?? 35963) },
  { name: process.env.BENCH_READER_2 ?? 'Virtual PCD 00 01', port: Number(process.env.BENCH_VPCD_PORT_2 ?? 35964) },
];
const PASSWORD = 'benchmark officer password';
const CONNECTION = 'bench';
const OPERATOR_TICK_MS = 50;
const MS_PER_HOUR = 3_600_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForCard(pcsc: PcscReaderProvider, reader: string, present: boolean): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const r = (await pcsc.listReaders()).find((x) => x.name === reader);
    if (r && r.cardPresent === present) return;
    await sleep(50);
  }
  throw new Error(`pcscd did not report the card ${present ? 'in' : 'out of'} ${reader}`);
}

/** One batch of `CARDS` visitor cards on `readerCount` readers; returns cards per hour. */
async function runBatch(pcsc: PcscReaderProvider, readerCount: number): Promise<{ cardsPerHour: number; seconds: number; stationFigure: number | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'piv-station-bench-batch-'));
  // The provider is shared with the other benchmarks: the station must not close it.
  const shared = { listReaders: () => pcsc.listReaders(), connect: (n: string) => pcsc.connect(n), watch: (cb: Parameters<typeof pcsc.watch>[0]) => pcsc.watch(cb), close: async () => {} };
  const station = await openStationRoot({ dataDir: join(dir, 'station'), training: true, readers: shared });
  const readers = READERS.slice(0, readerCount);
  const links = new Map<string, { link: VpcdLink; serial: number } | undefined>();
  try {
    await station.officers.add({ username: 'bench.admin', displayName: 'Bench Admin', password: PASSWORD, roles: ['admin', 'production'] }, { kind: 'anonymous' });
    const core = station.core();
    const login = await core.dispatch('auth.login', { username: 'bench.admin', password: PASSWORD }, CONNECTION);
    if (!login.ok) throw new Error(login.error.message);
    const requestIds: string[] = [];
    for (let i = 0; i < CARDS; i++) {
      const p = station.store.persons.add({ givenName: 'Bench', surname: `Visitor${i}`, affiliation: 'visitor' });
      requestIds.push(station.requests.create({ personId: p.id, profile: 'visitor' }, { kind: 'idprs' }).id);
    }
    const get = async (batchId: string) => {
      const r = await core.dispatch('batches.get', { batchId }, CONNECTION);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as BatchView;
    };
    const t0 = performance.now();
    const started = await core.dispatch('batches.start', { requestIds, readers: readers.map((r) => r.name) }, CONNECTION);
    if (!started.ok) throw new Error(started.error.message);
    const { batchId } = started.value as { batchId: string };
    let inserted = 0;
    let view = await get(batchId);
    while (view.status !== 'done') {
      for (const reader of readers) {
        const current = links.get(reader.name);
        if (current) {
          const mine = view.items.find((i) => i.jobId && station.store.cards.get(station.store.jobs.get(i.jobId)!.cardId)?.chipSerial === current.serial);
          if (mine?.state === 'failed') throw new Error(`a benchmark card failed: ${mine.failure}`);
          if (mine?.state !== 'done') continue;
          await current.link.detach();
          await waitForCard(pcsc, reader.name, false);
          links.set(reader.name, undefined);
        }
        if (inserted >= CARDS) continue;
        const card = VirtualPivCard.create();
        links.set(reader.name, { link: await attachToVpcd(card, { port: reader.port }), serial: card.serial });
        inserted++;
        await waitForCard(pcsc, reader.name, true);
      }
      await sleep(OPERATOR_TICK_MS);
      view = await get(batchId);
    }
    const ms = performance.now() - t0;
    return { cardsPerHour: Math.round((CARDS / ms) * MS_PER_HOUR), seconds: Math.round(ms / 100) / 10, stationFigure: view.cardsPerHour };
  } finally {
    for (const [reader, current] of links) {
      if (!current) continue;
      await current.link.detach();
      await waitForCard(pcsc, reader, false).catch(() => undefined);
    }
    await station.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints batch throughput with 1 and 2 readers. `pcsc` stays open (the caller owns it). */
export async function benchBatch(pcsc: PcscReaderProvider): Promise<void> {
  console.log(`\nMass production: a batch of ${CARDS} visitor cards (P-256, four slots, locked, verified) through pcscd`);
  console.log('readers  seconds  cards/hour  (station figure)');
  for (const n of [1, 2]) {
    const r = await runBatch(pcsc, n);
    console.log(`${String(n).padEnd(8)} ${String(r.seconds).padEnd(8)} ${String(r.cardsPerHour).padEnd(11)} (${r.stationFigure ?? '-'})`);
  }
}
