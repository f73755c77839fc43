/**
 * Scale (issue 14): a batch on 1, 2, 4 and 8 in-process readers, each card a
 * virtual card that answers as slowly as a real one (PUBLISHED_CARD_TIMING:
 * key generation P-256 0.3 s, RSA-2048 8 s, per-APDU and per-operation
 * delays; sources in native/virtual-card/timing.ts). The bench plays the
 * operator: an empty reader gets a blank card, a finished card comes out.
 * Cards per hour, and the speed-up over one reader. Figures, not a test.
 *
 * The batch runs through the core's StationApi (batches.start, batches.get) as
 * a card production administrator, like bench/batch.ts, on readers that need
 * no pcscd (TrainingReaderProvider, one per reader, behind one provider).
 * The cards' key pairs are made before each batch's clock starts (keyPool):
 * the cards wait the published generation time, as a real card's chip works
 * while the station's CPU is free.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualPivCard } from '../native/virtual-card/card.js';
import { TrainingReaderProvider } from '../native/virtual-card/training-reader.js';
import type { CardTiming } from '../native/virtual-card/timing.js';
import { generateSlotKey, type KeyGenerator } from '../native/virtual-card/slot-crypto.js';
import { openStationRoot } from '../electron/boot/open-station.js';
import type { BatchView } from '../electron/contract/station-api.js';
import type { CardProfile } from '../electron/contract/card-profile.js';
import type { ReaderProvider, ReaderStatus } from '../electron/core/piv/transport.js';

const PASSWORD = 'benchmark officer password';
const CONNECTION = 'bench';
const MS_PER_HOUR = 3_600_000;
type Profile = 'employee' | 'contractor' | 'visitor';
/** The key algorithm of every slot of the batch's cards. */
export type ScaleAlgorithm = 'P256' | 'RSA2048';

/** Several in-process readers behind one ReaderProvider. */
function readersOf(providers: { name: string; provider: TrainingReaderProvider }[]): ReaderProvider {
  const list = async () => (await Promise.all(providers.map((p) => p.provider.listReaders()))).flat();
  return {
    listReaders: list,
    connect: (name) => {
      const p = providers.find((x) => x.name === name);
      if (!p) return providers[0]!.provider.connect(name);
      return p.provider.connect(name);
    },
    watch(onChange: (readers: ReaderStatus[]) => void) {
      const offs = providers.map((p) => p.provider.watch(() => void list().then(onChange)));
      return () => offs.forEach((off) => off());
    },
    close: async () => {},
  };
}

/** Figures of one batch. */
export interface ScaleRun {
  readers: number;
  cards: number;
  seconds: number;
  cardsPerHour: number;
  speedUp: number;
}

/** Keys every card of a batch generates: four slots (the profiles' 9A, 9C, 9D, 9E). */
const KEYS_PER_CARD = 4;

/**
 * The key pairs a batch's cards will generate, made before the clock starts: a real card
 * generates on its own chip, in the time `timing.generateMs` gives (which the cards wait),
 * while this process generating RSA-2048 keys for 8 cards at once would spend the CPU the
 * station's batch is measured on (about 0.2 s of CPU per key here). Each key is used once.
 */
async function keyPool(algorithm: ScaleAlgorithm, count: number): Promise<KeyGenerator> {
  const keys: KeyObject[] = [];
  for (let i = 0; i < count; i++) keys.push(await generateSlotKey(algorithm));
  return async (alg) => (alg === algorithm ? keys.pop() : undefined) ?? generateSlotKey(alg);
}

/** One batch of `cards` cards of `profile` on `readerCount` in-process readers. */
async function runBatch(readerCount: number, cards: number, timing: CardTiming, profile: Profile, algorithm: ScaleAlgorithm): Promise<Omit<ScaleRun, 'speedUp'>> {
  const dir = mkdtempSync(join(tmpdir(), 'piv-station-bench-scale-'));
  const providers = Array.from({ length: readerCount }, (_, i) => {
    const name = `Bench Reader ${i + 1}`;
    return { name, provider: new TrainingReaderProvider({ readerName: name }) };
  });
  const station = await openStationRoot({ dataDir: join(dir, 'station'), training: true, readers: readersOf(providers) });
  try {
    await station.officers.add({ username: 'bench.admin', displayName: 'Bench Admin', password: PASSWORD, roles: ['admin', 'production'] }, { kind: 'anonymous' });
    const core = station.core();
    const login = await core.dispatch('auth.login', { username: 'bench.admin', password: PASSWORD }, CONNECTION);
    if (!login.ok) throw new Error(login.error.message);
    if (algorithm === 'RSA2048') {
      const current = await core.dispatch('profiles.get', { id: profile }, CONNECTION);
      if (!current.ok) throw new Error(current.error.message);
      const { algorithms: now } = current.value as CardProfile;
      const algorithms = Object.fromEntries(Object.keys(now).map((slot) => [slot, 'RSA2048'])) as CardProfile['algorithms'];
      const updated = await core.dispatch('profiles.update', { id: profile, patch: { algorithms } }, CONNECTION);
      if (!updated.ok) throw new Error(updated.error.message);
    }
    const requestIds: string[] = [];
    for (let i = 0; i < cards; i++) {
      const p = station.store.persons.add({ givenName: 'Bench', surname: `Scale${i}`, affiliation: 'visitor' });
      requestIds.push(station.requests.create({ personId: p.id, profile }, { kind: 'idprs' }).id);
    }
    const get = async (batchId: string) => {
      const r = await core.dispatch('batches.get', { batchId }, CONNECTION);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as BatchView;
    };
    const generateKey = await keyPool(algorithm, cards * KEYS_PER_CARD);
    let inserted = 0;
    const serials = new Map<string, number>();
    const fill = () => {
      for (const { name, provider } of providers) {
        if (provider.card || inserted >= cards) continue;
        const card = VirtualPivCard.create({ faults: { timing, generateKey } });
        provider.insert(card);
        serials.set(name, card.serial);
        inserted++;
      }
    };
    fill();
    const t0 = performance.now();
    const started = await core.dispatch('batches.start', { requestIds, readers: providers.map((r) => r.name) }, CONNECTION);
    if (!started.ok) throw new Error(started.error.message);
    const { batchId } = started.value as { batchId: string };
    // The operator looks at the batch as the screen does, on its events.
    let changed = false;
    let wake: (() => void) | undefined;
    const off = core.subscribe(CONNECTION, (event) => {
      if (event !== 'batch.changed') return;
      changed = true;
      wake?.();
    });
    let view = await get(batchId);
    while (view.status !== 'done') {
      if (!changed) await new Promise<void>((resolve) => (wake = resolve));
      changed = false;
      view = await get(batchId);
      for (const { name, provider } of providers) {
        const serial = serials.get(name);
        if (!provider.card || serial === undefined) continue;
        const mine = view.items.find((i) => i.jobId && station.store.cards.get(station.store.jobs.get(i.jobId)!.cardId)?.chipSerial === serial);
        if (mine?.state === 'failed') throw new Error(`a benchmark card failed: ${mine.failure}`);
        if (mine?.state === 'done') provider.remove();
      }
      fill();
    }
    off();
    const ms = performance.now() - t0;
    return { readers: readerCount, cards, seconds: Math.round(ms / 100) / 10, cardsPerHour: Math.round((cards / ms) * MS_PER_HOUR) };
  } finally {
    await station.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Batches on each of `readerCounts` readers (`cardsPerReader` cards per reader,
 * every key `algorithm`); speed-up over the first count (1 in every run of the bench).
 */
export async function benchScale(
  timing: CardTiming,
  cardsPerReader: number,
  readerCounts: readonly number[],
  algorithm: ScaleAlgorithm = 'P256',
  profile: Profile = 'visitor',
): Promise<ScaleRun[]> {
  console.log(
    `\nScale: a batch of ${cardsPerReader} ${profile} card(s) per in-process reader, every key ${algorithm}, cards answering as real cards do (key generation ${timing.generateMs[algorithm]} ms)`,
  );
  console.log('readers  cards  seconds  cards/hour  speed-up');
  const runs: ScaleRun[] = [];
  // One card first, not counted: the first production of a process also loads and compiles the station's code.
  await runBatch(1, 1, timing, profile, algorithm);
  for (const n of readerCounts) {
    const r = await runBatch(n, n * cardsPerReader, timing, profile, algorithm);
    const speedUp = runs[0] ? Math.round((r.cardsPerHour / runs[0].cardsPerHour) * 100) / 100 : 1;
    runs.push({ ...r, speedUp });
    console.log(`${String(n).padEnd(8)} ${String(r.cards).padEnd(6)} ${String(r.seconds).padEnd(8)} ${String(r.cardsPerHour).padEnd(11)} ${speedUp}×`);
  }
  return runs;
}
