/**
 * A station on a temporary training data dir with the in-process training
 * reader (no pcscd): for engine tests that do not claim PC/SC.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStation, type Station } from '../../electron/boot/open-station.js';
import { TrainingReaderProvider, TRAINING_READER_NAME } from '../../native/virtual-card/training-reader.js';
import { VirtualPivCard, type VirtualCardOptions } from '../../native/virtual-card/card.js';

export interface TrainingStation {
  station: Station;
  reader: TrainingReaderProvider;
  readerName: string;
  card: VirtualPivCard;
  dataDir: string;
  /** Adds a sample person and returns its id. */
  addPerson(overrides?: Partial<{ givenName: string; surname: string; email: string | null; employeeId: string | null; affiliation: 'employee' | 'contractor' | 'visitor' }>): string;
  close(): Promise<void>;
}

/** Opens a training station with a blank virtual card inserted in the training reader. */
export async function openTrainingStation(cardOptions: VirtualCardOptions = {}): Promise<TrainingStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'piv-station-test-'));
  const reader = new TrainingReaderProvider();
  const card = VirtualPivCard.create(cardOptions);
  reader.insert(card);
  const station = await openStation({ dataDir, training: true, readers: reader });
  let n = 0;
  return {
    station,
    reader,
    readerName: TRAINING_READER_NAME,
    card,
    dataDir,
    addPerson(overrides = {}) {
      n++;
      return station.store.persons.add({
        givenName: 'Dana',
        surname: `Tester${n}`,
        email: `dana${n}@example.test`,
        employeeId: String(100200 + n),
        affiliation: 'employee',
        ...overrides,
      }).id;
    },
    async close() {
      await station.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
