/**
 * Schema migrations: an ordered list, each applied once, in its own
 * transaction, and recorded in `schema_migrations`. Never edit a released
 * migration: add the next one (tests/unit/core/store/migrations.test.ts has
 * one test per migration).
 */
import type { Database } from 'better-sqlite3';
import { StationError } from '../errors.js';

/** One schema step. `id`s are 1, 2, 3… in order. */
export interface Migration {
  id: number;
  name: string;
  /** SQL run as one script inside the migration's transaction. */
  up: string;
}

/** SQL condition: `col` is exactly `n` uppercase hex digits. */
function upperHex(col: string, n: number): string {
  return `(length(${col}) = ${n} AND ${col} NOT GLOB '*[^0-9A-F]*')`;
}

/** SQL condition: `col` is exactly `n` decimal digits. */
function digits(col: string, n: number): string {
  return `(length(${col}) = ${n} AND ${col} NOT GLOB '*[^0-9]*')`;
}

/** v1: persons, cards, sequences, jobs, job_steps, certificates, escrow, audit_events. */
const V1_INITIAL = `
CREATE TABLE persons (
  id           TEXT PRIMARY KEY,
  given_name   TEXT NOT NULL CHECK (length(given_name) > 0),
  surname      TEXT NOT NULL CHECK (length(surname) > 0),
  email        TEXT NULL,
  employee_id  TEXT NULL UNIQUE,
  affiliation  TEXT NOT NULL CHECK (affiliation IN ('employee', 'contractor', 'visitor')),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE INDEX persons_surname ON persons (surname COLLATE NOCASE);
CREATE INDEX persons_given_name ON persons (given_name COLLATE NOCASE);
CREATE INDEX persons_email ON persons (email COLLATE NOCASE);

CREATE TABLE cards (
  id                 TEXT PRIMARY KEY,
  person_id          TEXT NOT NULL REFERENCES persons (id),
  card_profile       TEXT NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('in_production', 'production_failed', 'produced', 'cancelled', 'active', 'suspended', 'revoked', 'expired')),
  chip_serial        INTEGER NULL,
  guid               TEXT NOT NULL UNIQUE CHECK ${upperHex('guid', 32)},
  fascn              TEXT NOT NULL CHECK ${upperHex('fascn', 50)},
  agency_code        TEXT NOT NULL CHECK ${digits('agency_code', 4)},
  system_code        TEXT NOT NULL CHECK ${digits('system_code', 4)},
  credential_number  TEXT NOT NULL CHECK ${digits('credential_number', 6)},
  expiration_date    TEXT NOT NULL CHECK (expiration_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  mgmt_key_alg       TEXT NULL,
  mgmt_key_version   INTEGER NULL,
  mgmt_key_state     TEXT NOT NULL DEFAULT 'transport' CHECK (mgmt_key_state IN ('transport', 'locking', 'locked')),
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  UNIQUE (agency_code, system_code, credential_number)
);
CREATE INDEX cards_person ON cards (person_id);
CREATE INDEX cards_chip_serial ON cards (chip_serial);

CREATE TABLE sequences (
  name        TEXT PRIMARY KEY,
  next_value  INTEGER NOT NULL
);

CREATE TABLE jobs (
  id             TEXT PRIMARY KEY,
  kind           TEXT NOT NULL DEFAULT 'produce',
  card_id        TEXT NOT NULL REFERENCES cards (id),
  person_id      TEXT NOT NULL REFERENCES persons (id),
  reader_name    TEXT NULL,
  status         TEXT NOT NULL CHECK (status IN ('pending', 'running', 'failed', 'done', 'cancelled')),
  failed_step    TEXT NULL,
  error_json     TEXT NULL,
  params_json    TEXT NOT NULL DEFAULT '{}',
  cancel_reason  TEXT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE INDEX jobs_status ON jobs (status);
CREATE INDEX jobs_card ON jobs (card_id);

CREATE TABLE job_steps (
  job_id       TEXT NOT NULL REFERENCES jobs (id),
  name         TEXT NOT NULL,
  ordinal      INTEGER NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('pending', 'running', 'in_progress', 'done', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  started_at   TEXT NULL,
  finished_at  TEXT NULL,
  error_json   TEXT NULL,
  data_json    TEXT NULL,
  PRIMARY KEY (job_id, name),
  UNIQUE (job_id, ordinal)
);

CREATE TABLE certificates (
  serial             TEXT PRIMARY KEY CHECK (length(serial) > 0 AND serial NOT GLOB '*[^0-9A-F]*'),
  card_id            TEXT NOT NULL REFERENCES cards (id),
  job_id             TEXT NULL REFERENCES jobs (id),
  slot               TEXT NOT NULL,
  public_key_spki    TEXT NOT NULL CHECK (length(public_key_spki) > 0 AND public_key_spki NOT GLOB '*[^0-9A-F]*'),
  der                BLOB NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('valid', 'revoked', 'hold')),
  not_before         TEXT NOT NULL,
  not_after          TEXT NOT NULL,
  issued_at          TEXT NOT NULL,
  revoked_at         TEXT NULL,
  revocation_reason  TEXT NULL
);
CREATE INDEX certificates_card ON certificates (card_id);
CREATE INDEX certificates_job ON certificates (job_id);

-- Only blobs the caller already sealed: the store never sees a plaintext secret.
CREATE TABLE escrow (
  card_id     TEXT NOT NULL REFERENCES cards (id),
  kind        TEXT NOT NULL CHECK (kind IN ('PUK')),
  sealed      BLOB NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (card_id, kind)
);

-- Append-only. No foreign keys: an event may name an id that was refused or never created.
CREATE TABLE audit_events (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  at            TEXT NOT NULL,
  actor         TEXT NOT NULL,
  action        TEXT NOT NULL,
  outcome       TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'refused')),
  person_id     TEXT NULL,
  card_id       TEXT NULL,
  job_id        TEXT NULL,
  details_json  TEXT NULL
);
CREATE INDEX audit_events_card ON audit_events (card_id);
CREATE INDEX audit_events_job ON audit_events (job_id);
CREATE INDEX audit_events_person ON audit_events (person_id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
`;

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [{ id: 1, name: 'initial schema', up: V1_INITIAL }];

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  applied_at  TEXT NOT NULL
)`;

/** Highest migration id recorded in `db` (0 for a new database). */
export function schemaVersion(db: Database): number {
  db.exec(CREATE_MIGRATIONS_TABLE);
  const row = db.prepare('SELECT max(id) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

/**
 * Applies every migration of `migrations` newer than the database, each in
 * its own transaction (a failing migration leaves the previous version intact).
 *
 * @param db         an open better-sqlite3 database
 * @param migrations defaults to {@link MIGRATIONS}; ids must ascend from 1
 * @param now        clock for `applied_at`
 * @returns the ids applied by this call
 * @throws StationError STORE when the database is newer than this station or a migration fails
 */
export function runMigrations(db: Database, migrations: readonly Migration[] = MIGRATIONS, now: () => Date = () => new Date()): number[] {
  migrations.forEach((m, i) => {
    if (m.id !== i + 1) throw new StationError('INTERNAL', 'Schema migrations are out of order.', { migration: m.id });
  });
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new StationError('STORE', 'The station database was created by a newer version of the station; update the station.', {
      databaseVersion: current,
      supportedVersion: migrations.length,
    });
  }
  const record = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const migration of migrations.slice(current)) {
    try {
      db.transaction(() => {
        db.exec(migration.up);
        record.run(migration.id, migration.name, now().toISOString());
      })();
    } catch {
      throw new StationError('STORE', 'The station database could not be upgraded.', { migration: migration.id });
    }
    applied.push(migration.id);
  }
  return applied;
}
