/**
 * File modes of a data dir (issue 13 "Hardening: file modes"): the data dir
 * and the CPR drop folder's processed/ and rejected/ are 0700; the database,
 * its WAL and shared-memory files, the keyring, the config and the CA files
 * are 0600 — also for a data dir an older version left world-readable, and
 * under the usual umask 022.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStationRoot } from '../../../electron/boot/open-station.js';
import { CprFolderWatcher, PROCESSED_DIR, REJECTED_DIR } from '../../../electron/servers/cpr-folder.js';
import { TrainingReaderProvider } from '../../../native/virtual-card/training-reader.js';

const mode = (path: string) => statSync(path).mode & 0o777;
let dir: string;
let umask: number;
beforeEach(() => {
  umask = process.umask(0o022);
  dir = mkdtempSync(join(tmpdir(), 'file-modes-'));
});
afterEach(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

describe('data dir file modes', () => {
  it('a new data dir: 0700, and every file of the station 0600, the database WAL and shared memory included', async () => {
    const dataDir = join(dir, 'station');
    const station = await openStationRoot({ dataDir, training: true, readers: new TrainingReaderProvider() });
    try {
      station.store.persons.add({ givenName: 'Ada', surname: 'Lovelace', affiliation: 'employee' });
      expect(mode(dataDir)).toBe(0o700);
      for (const file of ['station.sqlite', 'station.sqlite-wal', 'station.sqlite-shm', 'keyring.json', 'config.json']) {
        expect(mode(join(dataDir, file)), file).toBe(0o600);
      }
      expect(mode(join(dataDir, 'ca'))).toBe(0o700);
      for (const file of readdirSync(join(dataDir, 'ca'), { withFileTypes: true }).filter((e) => e.isFile())) {
        expect(mode(join(dataDir, 'ca', file.name)), file.name).toBe(0o600);
      }
    } finally {
      await station.close();
    }
  });

  it('a data dir an older version left open to others is closed at the next start', async () => {
    const dataDir = join(dir, 'old');
    const first = await openStationRoot({ dataDir, training: true, readers: new TrainingReaderProvider() });
    await first.close();
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'station.sqlite'), 0o644);
    const again = await openStationRoot({ dataDir, training: true, readers: new TrainingReaderProvider() });
    try {
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, 'station.sqlite'))).toBe(0o600);
      expect(mode(join(dataDir, 'station.sqlite-wal'))).toBe(0o600);
    } finally {
      await again.close();
    }
  });
});

describe('CPR drop folder', () => {
  it('processed/ and rejected/ are 0700, also when they existed before with broader modes', async () => {
    mkdirSync(join(dir, REJECTED_DIR), { mode: 0o755 });
    chmodSync(join(dir, REJECTED_DIR), 0o755);
    const watcher = await CprFolderWatcher.start({ dir, intake: { submit: async () => ({ status: 'rejected', code: 'CPR_MALFORMED', message: 'x' }) as never }, settleMs: 0 }, { watching: false });
    await watcher.close();
    expect(mode(join(dir, PROCESSED_DIR))).toBe(0o700);
    expect(mode(join(dir, REJECTED_DIR))).toBe(0o700);
  });
});
