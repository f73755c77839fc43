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
  /**
   * The migration rebuilds a table other tables reference (SQLite cannot
   * alter a CHECK): foreign keys are switched off around its transaction and
   * `PRAGMA foreign_key_check` must come back empty before it commits
   * (https://www.sqlite.org/lang_altertable.html §7).
   */
  rebuildsReferencedTable?: boolean;
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

/**
 * v2 (issue 4): officers and roles, card requests, CPRs, batches; cards gain
 * the card number and the 'approved' status (table rebuilt, data and indexes
 * kept); persons gain the IDPRS person id and a trigram full-text index so a
 * substring search stays fast at 100 000+ persons.
 */
const V2_WORKFLOW = `
CREATE TABLE officers (
  id             TEXT PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 3 AND 32),
  display_name   TEXT NOT NULL CHECK (length(display_name) > 0),
  password_hash  TEXT NOT NULL CHECK (length(password_hash) > 0),
  status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  person_id      TEXT NULL REFERENCES persons (id),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  last_login_at  TEXT NULL
);

CREATE TABLE officer_roles (
  officer_id  TEXT NOT NULL REFERENCES officers (id),
  role        TEXT NOT NULL CHECK (role IN ('registration', 'approver', 'production', 'security', 'auditor', 'admin')),
  PRIMARY KEY (officer_id, role)
);

CREATE TABLE cards_v2 (
  id                 TEXT PRIMARY KEY,
  person_id          TEXT NOT NULL REFERENCES persons (id),
  card_profile       TEXT NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('approved', 'in_production', 'production_failed', 'produced', 'cancelled', 'active', 'suspended', 'revoked', 'expired')),
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
  card_number        TEXT NULL UNIQUE CHECK (card_number IS NULL OR ${digits('card_number', 8)}),
  UNIQUE (agency_code, system_code, credential_number)
);
INSERT INTO cards_v2 (id, person_id, card_profile, status, chip_serial, guid, fascn, agency_code, system_code, credential_number,
    expiration_date, mgmt_key_alg, mgmt_key_version, mgmt_key_state, created_at, updated_at)
  SELECT id, person_id, card_profile, status, chip_serial, guid, fascn, agency_code, system_code, credential_number,
    expiration_date, mgmt_key_alg, mgmt_key_version, mgmt_key_state, created_at, updated_at FROM cards;
DROP TABLE cards;
ALTER TABLE cards_v2 RENAME TO cards;
CREATE INDEX cards_person ON cards (person_id);
CREATE INDEX cards_chip_serial ON cards (chip_serial);

CREATE TABLE card_requests (
  id               TEXT PRIMARY KEY,
  person_id        TEXT NOT NULL REFERENCES persons (id),
  profile          TEXT NOT NULL CHECK (profile IN ('employee', 'contractor', 'visitor')),
  state            TEXT NOT NULL CHECK (state IN ('requested', 'approved', 'rejected', 'cancelled', 'in_production', 'production_failed', 'produced')),
  source           TEXT NOT NULL CHECK (source IN ('desk', 'kiosk', 'idprs')),
  requested_by     TEXT NULL REFERENCES officers (id),
  decided_by       TEXT NULL REFERENCES officers (id),
  decided_at       TEXT NULL,
  decision_reason  TEXT NULL,
  card_id          TEXT NULL UNIQUE REFERENCES cards (id),
  cpr_id           TEXT NULL,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX card_requests_state ON card_requests (state, created_at);
CREATE INDEX card_requests_person ON card_requests (person_id);
CREATE INDEX card_requests_cpr ON card_requests (cpr_id);

CREATE TABLE cprs (
  id                  TEXT PRIMARY KEY,
  received_at         TEXT NOT NULL,
  idprs_request_id    TEXT NULL,
  person_external_id  TEXT NULL,
  status              TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'deleted')),
  error_code          TEXT NULL,
  message             TEXT NULL,
  document_sha256     TEXT NULL,
  request_id          TEXT NULL REFERENCES card_requests (id)
);
CREATE INDEX cprs_idprs_request ON cprs (idprs_request_id);
CREATE INDEX cprs_person_external ON cprs (person_external_id);

CREATE TABLE batches (
  id           TEXT PRIMARY KEY,
  status       TEXT NOT NULL CHECK (status IN ('running', 'paused', 'done', 'cancelled')),
  readers_json TEXT NOT NULL,
  created_by   TEXT NULL REFERENCES officers (id),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);

CREATE TABLE batch_items (
  batch_id     TEXT NOT NULL REFERENCES batches (id),
  request_id   TEXT NOT NULL REFERENCES card_requests (id),
  ordinal      INTEGER NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  reader_name  TEXT NULL,
  job_id       TEXT NULL REFERENCES jobs (id),
  failure      TEXT NULL,
  updated_at   TEXT NOT NULL,
  PRIMARY KEY (batch_id, request_id),
  UNIQUE (batch_id, ordinal)
);

ALTER TABLE persons ADD COLUMN external_id TEXT NULL;
CREATE UNIQUE INDEX persons_external_id ON persons (external_id);

-- Trigram index: substring search ("%ovel%") without a full scan. Kept in sync by triggers.
CREATE VIRTUAL TABLE persons_fts USING fts5 (
  given_name, surname, full_name, email, employee_id,
  content = '', contentless_delete = 1, tokenize = 'trigram'
);
INSERT INTO persons_fts (rowid, given_name, surname, full_name, email, employee_id)
  SELECT rowid, given_name, surname, given_name || ' ' || surname, coalesce(email, ''), coalesce(employee_id, '') FROM persons;
CREATE TRIGGER persons_fts_insert AFTER INSERT ON persons BEGIN
  INSERT INTO persons_fts (rowid, given_name, surname, full_name, email, employee_id)
  VALUES (new.rowid, new.given_name, new.surname, new.given_name || ' ' || new.surname, coalesce(new.email, ''), coalesce(new.employee_id, ''));
END;
CREATE TRIGGER persons_fts_update AFTER UPDATE ON persons BEGIN
  DELETE FROM persons_fts WHERE rowid = old.rowid;
  INSERT INTO persons_fts (rowid, given_name, surname, full_name, email, employee_id)
  VALUES (new.rowid, new.given_name, new.surname, new.given_name || ' ' || new.surname, coalesce(new.email, ''), coalesce(new.employee_id, ''));
END;
CREATE TRIGGER persons_fts_delete AFTER DELETE ON persons BEGIN
  DELETE FROM persons_fts WHERE rowid = old.rowid;
END;
`;

/**
 * v3: the notification outbox (issue 5, electron/core/notifications): one row
 * per event to the IDPRS, written in the transaction of the change; `seq`
 * orders a stream (a person's events); a row is pending until delivered or
 * dead. The HMAC secret shared with the IDPRS, sealed by the keyring's box.
 */
const V3_OUTBOX = `
CREATE TABLE outbox_events (
  id               TEXT PRIMARY KEY CHECK (length(id) = 36),
  type             TEXT NOT NULL CHECK (length(type) > 0),
  stream           TEXT NOT NULL CHECK (length(stream) > 0),
  seq              INTEGER NOT NULL CHECK (seq >= 1),
  person_id        TEXT NOT NULL,
  card_id          TEXT NULL,
  request_id       TEXT NULL,
  payload_json     TEXT NOT NULL CHECK (json_valid(payload_json)),
  created_at       TEXT NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  TEXT NOT NULL,
  last_attempt_at  TEXT NULL,
  delivered_at     TEXT NULL,
  dead_at          TEXT NULL,
  last_error       TEXT NULL,
  UNIQUE (stream, seq),
  CHECK (delivered_at IS NULL OR dead_at IS NULL)
);
CREATE INDEX outbox_events_pending ON outbox_events (stream, seq) WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_events_due ON outbox_events (next_attempt_at) WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_events_dead ON outbox_events (dead_at) WHERE dead_at IS NOT NULL;
CREATE INDEX outbox_events_card ON outbox_events (card_id);

CREATE TABLE notification_secret (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  sealed  BLOB NOT NULL,
  set_at  TEXT NOT NULL
);
`;

/**
 * v4 (issue 5, electron/core/audit): the audit log becomes a hash chain.
 * Each event gains `prev_hash` and `hash` (lowercase hex SHA-256, see
 * electron/core/audit/chain.ts); rows written before this migration are
 * chained once when the store opens (SQL cannot compute the hash), so the
 * UPDATE trigger now lets exactly that through: filling both chain columns
 * of a row that has neither, nothing else. Signed chain heads and the
 * station's audit signing keys (private key sealed by the keyring's box)
 * are append-only too.
 */
const V4_AUDIT_CHAIN = `
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT NULL;
ALTER TABLE audit_events ADD COLUMN hash TEXT NULL;
DROP TRIGGER audit_events_no_update;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  WHEN NOT (
    old.hash IS NULL AND old.prev_hash IS NULL AND new.hash IS NOT NULL AND new.prev_hash IS NOT NULL
    AND new.seq IS old.seq AND new.at IS old.at AND new.actor IS old.actor AND new.action IS old.action
    AND new.outcome IS old.outcome AND new.person_id IS old.person_id AND new.card_id IS old.card_id
    AND new.job_id IS old.job_id AND new.details_json IS old.details_json
  )
  BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

CREATE TABLE audit_keys (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  algorithm           TEXT NOT NULL CHECK (algorithm IN ('ECDSA-P256-SHA256')),
  public_key_spki     BLOB NOT NULL,
  sealed_private_key  BLOB NOT NULL,
  created_at          TEXT NOT NULL
);
CREATE TRIGGER audit_keys_no_update BEFORE UPDATE ON audit_keys
  BEGIN SELECT RAISE(ABORT, 'audit keys are append-only'); END;
CREATE TRIGGER audit_keys_no_delete BEFORE DELETE ON audit_keys
  BEGIN SELECT RAISE(ABORT, 'audit keys are append-only'); END;

CREATE TABLE audit_heads (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  seq        INTEGER NOT NULL CHECK (seq >= 1),
  hash       TEXT NOT NULL,
  at         TEXT NOT NULL,
  key_id     INTEGER NOT NULL REFERENCES audit_keys (id),
  signature  BLOB NOT NULL
);
CREATE INDEX audit_heads_seq ON audit_heads (seq);
CREATE TRIGGER audit_heads_no_update BEFORE UPDATE ON audit_heads
  BEGIN SELECT RAISE(ABORT, 'signed audit heads are append-only'); END;
CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_heads
  BEGIN SELECT RAISE(ABORT, 'signed audit heads are append-only'); END;
`;

/**
 * v5: PUK rotations in flight (issue 5 "PIN unlock"). The new PUK is escrowed
 * BEFORE CHANGE REFERENCE DATA puts it on the card; until the card confirms,
 * the previous PUK stays here (sealed, never plaintext) so an interrupted
 * rotation can always be recovered: one of the two is on the card.
 */
const V5_PUK_ROTATIONS = `
CREATE TABLE puk_rotations (
  card_id          TEXT PRIMARY KEY REFERENCES cards (id),
  sealed_previous  BLOB NOT NULL,
  started_at       TEXT NOT NULL
);
`;

/**
 * v6: the notification delivery lease (issue 5): one row naming the delivery
 * worker that may send the outbox now and until when. A worker renews it on
 * every pass; another worker (a second station face on the same data dir,
 * `station outbox deliver`) sends nothing until it expires, so exactly one
 * worker per data dir delivers, and a killed worker is replaced once its
 * lease runs out.
 */
const V6_DELIVERY_LEASE = `
CREATE TABLE notification_delivery_lease (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  holder      TEXT NOT NULL CHECK (length(holder) > 0),
  expires_at  TEXT NOT NULL
);
`;

/**
 * v7: administered card profiles (issue 4). The validated profile JSON per
 * id, a version that increments on every change (jobs record the version they
 * were produced under), and who changed it last. Rows are seeded from
 * config.json's `profiles` by the profile registry on first use.
 */
const V7_CARD_PROFILES = `
CREATE TABLE card_profiles (
  id          TEXT PRIMARY KEY CHECK (id IN ('employee', 'contractor', 'visitor')),
  profile     TEXT NOT NULL CHECK (json_valid(profile)),
  version     INTEGER NOT NULL CHECK (version >= 1),
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL CHECK (length(updated_by) > 0)
);
`;

/**
 * v8: browsing persons (issue 4, persons.list) in the order the list shows
 * them — surname, given name (case-insensitive), id — at any page depth: one
 * index for everyone and one per affiliation filter, so a deep page at
 * 100 000 persons is an index walk instead of a sort of every row.
 */
const V8_PERSON_BROWSE = `
CREATE INDEX persons_browse ON persons (surname COLLATE NOCASE, given_name COLLATE NOCASE, id);
CREATE INDEX persons_browse_affiliation ON persons (affiliation, surname COLLATE NOCASE, given_name COLLATE NOCASE, id);
`;

/**
 * v9: what each card showed it can do (issue 9): the capabilities probed when
 * production identified it (optional vendor extensions, extended length,
 * advertised algorithms) and the retry counts it ended with, as JSON
 * (electron/contract/card-capabilities.ts). NULL for cards never identified.
 */
const V9_CARD_CAPABILITIES = `
ALTER TABLE cards ADD COLUMN capabilities TEXT NULL CHECK (capabilities IS NULL OR json_valid(capabilities));
`;

/**
 * v10 (issue 10): CPR freshness and job claims across processes.
 * - `cprs` remembers, per received CPR, whether its signature verified and the
 *   signed submission time (the CPR's `submittedAt`, UTC): the intake refuses a
 *   verified document or IDPRS request id seen before, and a CPR not newer than
 *   the last one accepted for the person (electron/core/workflow/cpr-intake.ts).
 *   Rows from before know no time; those whose outcome proves a verified
 *   signature (accepted, or refused on their merits) are marked verified.
 * - `job_leases`: the one claim on a running production job, shared by every
 *   process on the data dir (electron/core/issuance/job-claims.ts). A row with
 *   an expiry, not a lock held by a process, so a crashed holder's claim ends.
 */
const V10_CPR_FRESHNESS_JOB_LEASES = `
ALTER TABLE cprs ADD COLUMN submitted_at TEXT NULL;
ALTER TABLE cprs ADD COLUMN verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1));
UPDATE cprs SET verified = 1
 WHERE status = 'accepted' OR request_id IS NOT NULL OR error_code IN ('CPR_PERSON_UNKNOWN', 'CPR_REQUEST_EXISTS', 'CPR_ID_CONFLICT');
CREATE INDEX cprs_document_sha256 ON cprs (document_sha256);

CREATE TABLE job_leases (
  job_id      TEXT PRIMARY KEY REFERENCES jobs (id),
  holder      TEXT NOT NULL CHECK (length(holder) > 0),
  expires_at  TEXT NOT NULL
);
`;

/**
 * v11 (issue 10): officer login throttling, and notifications that concern
 * the station rather than a person.
 * - `officer_login_throttle`: per username (known or not, so the answer never
 *   tells which exist), the consecutive failed logins, when the next attempt
 *   is allowed (growing delays, or a time-limited lockout) and whether the
 *   account is locked until an administrator unlocks it
 *   (electron/core/workflow/login-throttle.ts).
 * - `outbox_events.person_id` may be null: the station's own stream
 *   (`station:audit`, the signed audit chain heads sent to the IDPRS as an
 *   anchor outside the data dir). SQLite cannot drop a NOT NULL, so the table
 *   is rebuilt with the same columns, rows and indexes; no table references it.
 */
const V11_LOGIN_THROTTLE_STATION_NOTIFICATIONS = `
CREATE TABLE officer_login_throttle (
  username         TEXT PRIMARY KEY CHECK (length(username) > 0),
  failures         INTEGER NOT NULL CHECK (failures >= 0),
  last_failure_at  TEXT NOT NULL,
  next_attempt_at  TEXT NULL,
  locked_at        TEXT NULL
);
CREATE INDEX officer_login_throttle_last_failure ON officer_login_throttle (last_failure_at);

CREATE TABLE outbox_events_v11 (
  id               TEXT PRIMARY KEY CHECK (length(id) = 36),
  type             TEXT NOT NULL CHECK (length(type) > 0),
  stream           TEXT NOT NULL CHECK (length(stream) > 0),
  seq              INTEGER NOT NULL CHECK (seq >= 1),
  person_id        TEXT NULL,
  card_id          TEXT NULL,
  request_id       TEXT NULL,
  payload_json     TEXT NOT NULL CHECK (json_valid(payload_json)),
  created_at       TEXT NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  TEXT NOT NULL,
  last_attempt_at  TEXT NULL,
  delivered_at     TEXT NULL,
  dead_at          TEXT NULL,
  last_error       TEXT NULL,
  UNIQUE (stream, seq),
  CHECK (delivered_at IS NULL OR dead_at IS NULL),
  CHECK (person_id IS NOT NULL OR stream NOT LIKE 'person:%')
);
INSERT INTO outbox_events_v11 (id, type, stream, seq, person_id, card_id, request_id, payload_json, created_at, attempts, next_attempt_at, last_attempt_at, delivered_at, dead_at, last_error)
  SELECT id, type, stream, seq, person_id, card_id, request_id, payload_json, created_at, attempts, next_attempt_at, last_attempt_at, delivered_at, dead_at, last_error FROM outbox_events;
DROP TABLE outbox_events;
ALTER TABLE outbox_events_v11 RENAME TO outbox_events;
CREATE INDEX outbox_events_pending ON outbox_events (stream, seq) WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_events_due ON outbox_events (next_attempt_at) WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_events_dead ON outbox_events (dead_at) WHERE dead_at IS NOT NULL;
CREATE INDEX outbox_events_card ON outbox_events (card_id);
`;

/** The migration that made the audit log a hash chain: the store chains older events at the opening that applies it. */
export const AUDIT_CHAIN_MIGRATION = 4;

/**
 * v12 (issue 10 "One rule book"): the card object records who did what, so
 * separation of duties can be checked on every path from the card itself:
 * the officer who requested it, the approver who approved its request (null
 * when its profile needed no approval), the officer whose call produced it,
 * and the officer of its last lifecycle operation; and the status a
 * suspension interrupted, so resume goes back to exactly that status (a card
 * awaiting collection stays awaiting collection). Existing cards take the
 * requester and approver of their request, the producer of their last
 * production run and the status their last suspension recorded.
 */
const V12_CARD_PARTIES = `
ALTER TABLE cards ADD COLUMN requested_by TEXT NULL REFERENCES officers (id);
ALTER TABLE cards ADD COLUMN approved_by TEXT NULL REFERENCES officers (id);
ALTER TABLE cards ADD COLUMN produced_by TEXT NULL REFERENCES officers (id);
ALTER TABLE cards ADD COLUMN lifecycle_by TEXT NULL REFERENCES officers (id);
ALTER TABLE cards ADD COLUMN suspended_from TEXT NULL CHECK (suspended_from IS NULL OR suspended_from IN ('produced', 'active'));
UPDATE cards SET
  requested_by = (SELECT r.requested_by FROM card_requests r WHERE r.card_id = cards.id),
  approved_by = (SELECT r.decided_by FROM card_requests r WHERE r.card_id = cards.id AND r.state <> 'rejected'),
  produced_by = (SELECT o.id FROM audit_events e JOIN officers o ON o.username = e.actor
                  WHERE e.card_id = cards.id AND e.action = 'request.production' ORDER BY e.seq DESC LIMIT 1);
UPDATE cards SET suspended_from = coalesce(
    (SELECT CASE json_extract(e.details_json, '$.previousStatus') WHEN 'produced' THEN 'produced' ELSE 'active' END
       FROM audit_events e WHERE e.card_id = cards.id AND e.action = 'card.suspended' ORDER BY e.seq DESC LIMIT 1),
    'active')
  WHERE status = 'suspended';
`;

/**
 * v13 (issue 14): person search and browse at 1 000 000 persons
 * (electron/core/store/persons.ts).
 * - Search answers each kind of match from an index walked in the order it is
 *   shown, so it stops after a page: surname prefixes and "surname, given" from
 *   persons_browse (v8); given-name prefixes and "given surname" from
 *   persons_given_browse, which replaces persons_given_name (its first column);
 *   employee-id prefixes, case-insensitively, from persons_employee_id_nocase
 *   (the UNIQUE index compares case-sensitively). persons_surname is the first
 *   column of persons_browse: dropped, one index less to write per person.
 * - person_counts: how many persons each affiliation has, kept by triggers in
 *   the transaction of every change, so a browse page shows its exact total
 *   without counting a million rows.
 * No ANALYZE: each of these queries has one usable index (the migration's test
 * checks the plans with and without statistics), and statistics taken on a new,
 * empty table would only mislead the planner later.
 */
const V13_PERSON_SEARCH_AT_SCALE = `
CREATE INDEX persons_given_browse ON persons (given_name COLLATE NOCASE, surname COLLATE NOCASE, id);
DROP INDEX persons_given_name;
DROP INDEX persons_surname;
CREATE INDEX persons_employee_id_nocase ON persons (employee_id COLLATE NOCASE);

CREATE TABLE person_counts (
  affiliation  TEXT PRIMARY KEY CHECK (affiliation IN ('employee', 'contractor', 'visitor')),
  n            INTEGER NOT NULL CHECK (n >= 0)
);
INSERT INTO person_counts (affiliation, n)
  SELECT a.affiliation, (SELECT count(*) FROM persons p WHERE p.affiliation = a.affiliation)
  FROM (SELECT 'employee' AS affiliation UNION ALL SELECT 'contractor' UNION ALL SELECT 'visitor') a;
CREATE TRIGGER persons_count_insert AFTER INSERT ON persons BEGIN
  UPDATE person_counts SET n = n + 1 WHERE affiliation = new.affiliation;
END;
CREATE TRIGGER persons_count_delete AFTER DELETE ON persons BEGIN
  UPDATE person_counts SET n = n - 1 WHERE affiliation = old.affiliation;
END;
CREATE TRIGGER persons_count_affiliation AFTER UPDATE OF affiliation ON persons WHEN old.affiliation <> new.affiliation BEGIN
  UPDATE person_counts SET n = n - 1 WHERE affiliation = old.affiliation;
  UPDATE person_counts SET n = n + 1 WHERE affiliation = new.affiliation;
END;
`;

/**
 * v14 (issue 11): the cardholder's portrait. Every accepted photo is a new version (the current one
 * is the highest); a card records the version it was made with, so a reprint prints the face on its
 * chip even after the photo was replaced. Only the stored JPEG (450 × 600) is kept, never the
 * camera frame or the imported file; who stored it and when, for the audit trail.
 */
const V14_PERSON_PHOTOS = `
CREATE TABLE person_photos (
  person_id    TEXT NOT NULL REFERENCES persons (id),
  version      INTEGER NOT NULL CHECK (version >= 1),
  jpeg         BLOB NOT NULL CHECK (length(jpeg) > 0),
  width        INTEGER NOT NULL CHECK (width > 0),
  height       INTEGER NOT NULL CHECK (height > 0),
  sha256       TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
  source       TEXT NOT NULL CHECK (source IN ('camera', 'file', 'idprs')),
  captured_by  TEXT NOT NULL CHECK (length(captured_by) > 0),
  captured_at  TEXT NOT NULL,
  PRIMARY KEY (person_id, version)
);
`;

/**
 * v15 (issue 11): card face layouts per card profile (validated JSON, the Zone 11F seal image,
 * a version that increments on every change, as card_profiles), and the reprint count of a card.
 */
const V15_CARD_LAYOUTS = `
CREATE TABLE card_layouts (
  profile_id   TEXT PRIMARY KEY CHECK (profile_id IN ('employee', 'contractor', 'visitor')),
  layout       TEXT NOT NULL CHECK (json_valid(layout)),
  seal         BLOB NULL,
  seal_format  TEXT NULL CHECK (seal_format IN ('png', 'jpeg')),
  version      INTEGER NOT NULL CHECK (version >= 1),
  updated_at   TEXT NOT NULL,
  updated_by   TEXT NOT NULL CHECK (length(updated_by) > 0),
  CHECK ((seal IS NULL) = (seal_format IS NULL))
);
ALTER TABLE cards ADD COLUMN reprint_count INTEGER NOT NULL DEFAULT 0 CHECK (reprint_count >= 0);
`;

/**
 * The SQL that gives every row of `table` a short number for people (v16 requests, v17 batches):
 * a nullable `number` column, the rows there are numbered in creation order (created_at, then
 * rowid), a unique index, and the named sequence set past the highest number, so new rows draw
 * numbers that were never handed out.
 * @param table the table (a constant of this file, never input)
 * @param index the unique index's name
 * @param sequence the row of `sequences` new numbers come from
 */
function numberedRowsSql(table: string, index: string, sequence: string): string {
  return `ALTER TABLE ${table} ADD COLUMN number INTEGER NULL CHECK (number IS NULL OR number >= 1);
UPDATE ${table} SET number = (
  SELECT n FROM (SELECT id, row_number() OVER (ORDER BY created_at, rowid) AS n FROM ${table}) AS ordered
  WHERE ordered.id = ${table}.id
);
CREATE UNIQUE INDEX ${index} ON ${table} (number);
INSERT INTO sequences (name, next_value) SELECT '${sequence}', coalesce(max(number), 0) + 1 FROM ${table} WHERE true
  ON CONFLICT (name) DO UPDATE SET next_value = max(next_value, excluded.next_value);
`;
}

/**
 * v16 (issue 12): a short number per card request, for people (kiosk receipt, batch files, messages),
 * beside the UUID the programs use. Existing requests are numbered in creation order; new ones
 * draw from the 'card-request-number' sequence, so a number is never handed out twice, even after a
 * request is deleted. A terminated card keeps the officer's reason as said (lost, stolen, damaged,
 * left, key-compromise) beside its certificates' RFC 5280 CRL reason, so screens say "lost", not
 * "keyCompromise"; cards terminated before keep null.
 */
const V16_REQUEST_NUMBERS = `
ALTER TABLE cards ADD COLUMN termination_reason TEXT NULL CHECK (termination_reason IN ('lost', 'stolen', 'damaged', 'left', 'key-compromise'));
${numberedRowsSql('card_requests', 'card_requests_number', 'card-request-number')}`;

/**
 * v17 (issue 12): a short number per batch, for people ("B-000012": the batch screen, the CLI,
 * messages such as "already queued in batch B-000012"), beside the UUID the programs use, as
 * v16 did for requests. Existing batches are numbered in creation order; new ones draw from the
 * 'batch-number' sequence, so a number is never handed out twice.
 */
const V17_BATCH_NUMBERS = `
${numberedRowsSql('batches', 'batches_number', 'batch-number')}`;

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  { id: 1, name: 'initial schema', up: V1_INITIAL },
  { id: 2, name: 'officers, card requests, CPRs, batches, card numbers, person search', up: V2_WORKFLOW, rebuildsReferencedTable: true },
  { id: 3, name: 'notification outbox', up: V3_OUTBOX },
  { id: 4, name: 'audit hash chain, signed heads', up: V4_AUDIT_CHAIN },
  { id: 5, name: 'PUK rotations in flight', up: V5_PUK_ROTATIONS },
  { id: 6, name: 'notification delivery lease', up: V6_DELIVERY_LEASE },
  { id: 7, name: 'administered card profiles', up: V7_CARD_PROFILES },
  { id: 8, name: 'person browse indexes', up: V8_PERSON_BROWSE },
  { id: 9, name: 'card capabilities', up: V9_CARD_CAPABILITIES },
  { id: 10, name: 'CPR freshness, job leases', up: V10_CPR_FRESHNESS_JOB_LEASES },
  { id: 11, name: 'login throttle, station notifications', up: V11_LOGIN_THROTTLE_STATION_NOTIFICATIONS },
  { id: 12, name: 'card parties and suspension origin', up: V12_CARD_PARTIES },
  { id: 13, name: 'person search and browse at scale', up: V13_PERSON_SEARCH_AT_SCALE },
  { id: 14, name: 'person photos', up: V14_PERSON_PHOTOS },
  { id: 15, name: 'card layouts and reprint count', up: V15_CARD_LAYOUTS },
  { id: 16, name: 'request numbers, termination reasons', up: V16_REQUEST_NUMBERS },
  { id: 17, name: 'batch numbers', up: V17_BATCH_NUMBERS },
];

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
    // PRAGMA foreign_keys is a no-op inside a transaction: switch it around the transaction.
    const fkWasOn = migration.rebuildsReferencedTable ? (db.pragma('foreign_keys', { simple: true }) as number) === 1 : false;
    if (fkWasOn) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(migration.up);
        if (migration.rebuildsReferencedTable && (db.pragma('foreign_key_check') as unknown[]).length > 0) {
          throw new Error('foreign key check failed');
        }
        record.run(migration.id, migration.name, now().toISOString());
      })();
    } catch {
      throw new StationError('STORE', 'The station database could not be upgraded.', { migration: migration.id });
    } finally {
      if (fkWasOn) db.pragma('foreign_keys = ON');
    }
    applied.push(migration.id);
  }
  return applied;
}
