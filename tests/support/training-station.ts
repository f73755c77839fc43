/**
 * A station on a temporary training data dir with the in-process training
 * reader (no pcscd): for engine tests that do not claim PC/SC.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStationRoot, type Station } from '../../electron/boot/open-station.js';
import { TrainingReaderProvider, TRAINING_READER_NAME } from '../../native/virtual-card/training-reader.js';
import { VirtualPivCard, type VirtualCardOptions } from '../../native/virtual-card/card.js';
import { DEFAULT_CONFIG } from '../../electron/core/config/station-config.js';
import type { StationCore } from '../../electron/core/dispatch.js';
import { ROLES, type Officer } from '../../electron/core/workflow/types.js';
import type { PivSession } from '../../electron/core/piv/session.js';
import { withCardSession } from '../../electron/core/piv/card-session.js';

/** The test officer every training station can log in as (all roles). */
export const TEST_OFFICER = { username: 'tester', displayName: 'Test Officer', password: 'training station password' } as const;

/** Options of a training station. */
export interface TrainingStationOptions {
  /**
   * Every card profile without approval and the agency's requester/producer
   * setting off, so one officer may issue a card directly (`production.start`)
   * as before issues 4 and 10.
   */
  directProduction?: boolean;
  /** Fields of config.json to set over the defaults (written before the station opens). */
  config?: Record<string, unknown>;
  /** Clock of the station (session lock, approval dates). */
  now?: () => Date;
}

export interface TrainingStation {
  station: Station;
  reader: TrainingReaderProvider;
  readerName: string;
  card: VirtualPivCard;
  dataDir: string;
  /**
   * Logs the all-roles test officer in on `connectionId` of `core` (creating
   * the officer on first use). @returns the officer
   */
  login(core?: StationCore, connectionId?: string): Promise<Officer>;
  /** Adds a sample person and returns its id. */
  addPerson(overrides?: Partial<{ givenName: string; surname: string; email: string | null; employeeId: string | null; affiliation: 'employee' | 'contractor' | 'visitor' }>): string;
  close(): Promise<void>;
}

/** Opens a training station with a blank virtual card inserted in the training reader. */
export async function openTrainingStation(cardOptions: VirtualCardOptions = {}, options: TrainingStationOptions = {}): Promise<TrainingStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'piv-station-test-'));
  if (options.directProduction || options.config) {
    const profiles = options.directProduction ? DEFAULT_CONFIG.profiles.map((p) => ({ ...p, approvalRequired: false })) : DEFAULT_CONFIG.profiles;
    const separationOfDuties = { producerDiffersFromRequester: !options.directProduction };
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ ...DEFAULT_CONFIG, profiles, separationOfDuties, ...options.config }, null, 2));
  }
  const reader = new TrainingReaderProvider();
  const card = VirtualPivCard.create(cardOptions);
  reader.insert(card);
  const station = await openStationRoot({ dataDir, training: true, readers: reader, now: options.now });
  let n = 0;
  return {
    station,
    reader,
    readerName: TRAINING_READER_NAME,
    card,
    dataDir,
    async login(core = station.core(), connectionId = 'local') {
      if (!station.store.officers.getByUsername(TEST_OFFICER.username)) {
        await station.officers.add({ ...TEST_OFFICER, roles: [...ROLES] }, { kind: 'anonymous' });
      }
      const r = await core.dispatch('auth.login', { username: TEST_OFFICER.username, password: TEST_OFFICER.password }, connectionId);
      if (!r.ok) throw new Error(`test login failed: ${r.error.code}`);
      return r.value as Officer;
    },
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

/** Runs `fn` on a PivSession (PIV selected) over the card in the training reader, then resets the card. */
export async function onTrainingCard<T>(ts: Pick<TrainingStation, 'reader' | 'readerName'>, fn: (s: PivSession) => Promise<T>): Promise<T> {
  return withCardSession(ts.reader, ts.readerName, fn);
}
