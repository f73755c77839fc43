/**
 * A training station with two in-process training readers, for batch tests:
 * cards are inserted and pulled like an operator does, and production jobs
 * really run on the virtual cards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStationRoot, type Station } from '../../../../electron/boot/open-station.js';
import { StationError } from '../../../../electron/core/errors.js';
import type { CardTransport, ReaderProvider, ReaderStatus } from '../../../../electron/core/piv/transport.js';
import { TrainingReaderProvider } from '../../../../native/virtual-card/training-reader.js';

/** Reader names of the two training readers. */
export const READER_A = 'Batch Reader A';
export const READER_B = 'Batch Reader B';

/** Several TrainingReaderProviders behind one ReaderProvider (like pcscd with several readers). */
export class MultiTrainingReaders implements ReaderProvider {
  readonly byName = new Map<string, TrainingReaderProvider>();

  constructor(names: string[]) {
    for (const name of names) this.byName.set(name, new TrainingReaderProvider({ readerName: name }));
  }

  reader(name: string): TrainingReaderProvider {
    const r = this.byName.get(name);
    if (!r) throw new Error(`no test reader ${name}`);
    return r;
  }

  async listReaders(): Promise<ReaderStatus[]> {
    const out: ReaderStatus[] = [];
    for (const r of this.byName.values()) out.push(...(await r.listReaders()));
    return out;
  }

  async connect(readerName: string): Promise<CardTransport> {
    const r = this.byName.get(readerName);
    if (!r) throw new StationError('NO_READER', 'There is no reader by that name.', { reader: readerName });
    return r.connect(readerName);
  }

  watch(onChange: (readers: ReaderStatus[]) => void): () => void {
    const emit = () => void this.listReaders().then(onChange);
    const offs = [...this.byName.values()].map((r) => r.watch(emit));
    return () => offs.forEach((off) => off());
  }

  async close(): Promise<void> {
    for (const r of this.byName.values()) await r.close();
  }
}

/** A training data dir opened with the given readers. */
export interface BatchTestStation {
  station: Station;
  dataDir: string;
  /** Reopens the station on the same data dir (a restart). */
  reopen(): Promise<Station>;
  close(): Promise<void>;
}

/** Opens a training station over `readers` on a fresh temporary data dir. */
export async function openBatchTestStation(readers: ReaderProvider): Promise<BatchTestStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'piv-station-batch-'));
  const ctx: BatchTestStation = {
    station: await openStationRoot({ dataDir, training: true, readers }),
    dataDir,
    async reopen() {
      await ctx.station.close();
      ctx.station = await openStationRoot({ dataDir, training: true, readers });
      return ctx.station;
    },
    async close() {
      await ctx.station.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return ctx;
}
