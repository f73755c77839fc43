/**
 * Read-only looks into a station's data dir while its browser host runs
 * (SQLite in WAL mode: a second connection reads a consistent snapshot), for
 * assertions the UI does not show, such as the status of every certificate a
 * job caused to be issued.
 */
import { join } from 'node:path';
import { openDatabase } from '../../native/sqlite.js';
import { openStore } from '../../electron/core/store/store.js';
import type { CertificateRecord } from '../../electron/core/store/records.js';
import { stationJson } from './station-cli.js';

/** Every certificate issued for job `jobId` (slot, serial, status …), oldest first. */
export function certificatesOfJob(dataDir: string, jobId: string): CertificateRecord[] {
  const db = openDatabase(join(dataDir, 'station.sqlite'));
  try {
    return openStore(db).certificates.listByJob(jobId);
  } finally {
    db.close();
  }
}

/** A person to seed before the host starts. */
export interface SeedPerson {
  givenName: string;
  surname: string;
  email: string;
  employeeId: string;
  affiliation?: 'employee' | 'contractor' | 'visitor';
}

/**
 * Adds persons with the CLI (`station person add`) on `dataDir`, creating the
 * training data dir on first use. @returns their ids, in order
 */
export async function seedPersons(dataDir: string, persons: SeedPerson[]): Promise<string[]> {
  const ids: string[] = [];
  for (const p of persons) {
    const added = await stationJson<{ id: string }>(dataDir, [
      'person', 'add',
      '--given-name', p.givenName,
      '--surname', p.surname,
      '--email', p.email,
      '--employee-id', p.employeeId,
      '--affiliation', p.affiliation ?? 'employee',
    ]);
    ids.push(added.id);
  }
  return ids;
}
