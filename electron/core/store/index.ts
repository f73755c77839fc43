/** The station store: migrations, repositories and record types. */
export { openStore, type StationStore, type StoreOptions } from './store.js';
export { MIGRATIONS, runMigrations, schemaVersion, type Migration } from './migrations.js';
export * from './records.js';
