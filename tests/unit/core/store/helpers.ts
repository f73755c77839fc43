/** Test helpers for the store: an in-memory store with a pinned, advancing clock, and valid sample records. */
import { openStore, type StationStore } from '../../../../electron/core/store/store.js';
import type { NewCard, NewPerson } from '../../../../electron/core/store/records.js';
import { openDatabase } from '../../../../native/sqlite.js';

/** A store over ':memory:' whose clock advances one second per reading. */
export function memoryStore(): StationStore {
  let t = Date.parse('2025-03-01T09:00:00.000Z');
  return openStore(openDatabase(':memory:'), { now: () => new Date((t += 1000)) });
}

export const ADA: NewPerson = { givenName: 'Ada', surname: 'Lovelace', email: 'ada@example.gov', employeeId: 'E-1815', affiliation: 'employee' };

let counter = 0;
/** A valid card for `personId`, unique GUID and credential number per call. */
export function sampleCard(personId: string, overrides: Partial<NewCard> = {}): NewCard {
  counter += 1;
  return {
    personId,
    cardProfile: 'piv-standard',
    guid: counter.toString(16).toUpperCase().padStart(32, '0'),
    fascn: 'D4E739DA739CED39CE739D836858210842108421C84210C3EB',
    agencyCode: '1234',
    systemCode: '5678',
    credentialNumber: String(counter).padStart(6, '0'),
    expirationDate: '2030-12-31',
    ...overrides,
  };
}
