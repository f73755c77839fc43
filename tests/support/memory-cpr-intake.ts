/**
 * The station's CPR intake over an in-memory store, for tests of the intake
 * and its endpoint: the IDPRS manages persons, requests are created as the
 * profile says and cancelled on the IDPRS's delete-request.
 */
import { openStore, type StationStore } from '../../electron/core/store/store.js';
import { openDatabase } from '../../native/sqlite.js';
import { createStationCprIntake } from '../../electron/core/workflow/cpr-station.js';
import type { IdprsIdentity } from './idprs.js';
import { storeRuleBook } from './store-rule-book.js';

/** A fresh in-memory store and the intake that trusts `idprs`. */
export function memoryCprIntake(idprs: IdprsIdentity): { store: StationStore; intake: ReturnType<typeof createStationCprIntake> } {
  const store = openStore(openDatabase(':memory:'));
  const intake = createStationCprIntake({
    dataDir: '/nonexistent',
    store,
    rules: storeRuleBook(store),
    idprs: { signerCertificate: idprs.certPem, managesPersons: true, http: { host: '127.0.0.1', port: 0 } },
    requests: {
      create: (personId, profile, cprId) => store.requests.create({ personId, profile, source: 'idprs', cprId }),
      deleteForIdprs: async (idprsId) => store.requests.update(store.requests.findByIdprsRequestId(idprsId)!.id, { state: 'cancelled' }),
    },
  });
  return { store, intake };
}
