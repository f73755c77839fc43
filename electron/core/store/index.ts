/** The station store: migrations, repositories and record types. */
export { openStore, type StationStore, type StoreOptions } from './store.js';
export { MIGRATIONS, runMigrations, schemaVersion, type Migration } from './migrations.js';
export * from './records.js';
export { OFFICER_STATUSES, type OfficerRecord, type NewOfficer, type OfficerStatus } from './officers.js';
export { OPEN_REQUEST_STATES, type NewCardRequest } from './requests.js';
