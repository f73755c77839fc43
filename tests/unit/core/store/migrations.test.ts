import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isStationError } from '../../../../electron/core/errors.js';
import { MIGRATIONS, runMigrations, schemaVersion } from '../../../../electron/core/store/migrations.js';
import { openStore } from '../../../../electron/core/store/store.js';
import { openDatabase } from '../../../../native/sqlite.js';

function tables(db: ReturnType<typeof openDatabase>): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
    (r) => r.name,
  );
}

function columns(db: ReturnType<typeof openDatabase>, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

describe('migration runner', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('applies every migration once, records it, and is a no-op on reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-mig-'));
    dirs.push(dir);
    const path = join(dir, 'station.db');
    const db = openDatabase(path);
    expect(runMigrations(db)).toEqual(MIGRATIONS.map((m) => m.id));
    const recorded = db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all();
    expect(recorded).toEqual(MIGRATIONS.map((m) => ({ id: m.id, name: m.name })));
    db.close();
    const again = openDatabase(path);
    expect(runMigrations(again)).toEqual([]);
    expect(schemaVersion(again)).toBe(MIGRATIONS.length);
    again.close();
  });

  it('refuses a database created by a newer station', () => {
    const db = openDatabase(':memory:');
    runMigrations(db);
    db.prepare("INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, 'future', '2099-01-01T00:00:00.000Z')").run(MIGRATIONS.length + 1);
    try {
      openStore(db);
      expect.unreachable();
    } catch (err) {
      expect(isStationError(err, 'STORE')).toBe(true);
    }
  });

  it('rolls back a failing migration and leaves the previous version intact', () => {
    const db = openDatabase(':memory:');
    const broken = [...MIGRATIONS, { id: MIGRATIONS.length + 1, name: 'broken', up: 'CREATE TABLE half (x); SELECT * FROM no_such_table;' }];
    expect(() => runMigrations(db, broken)).toThrowError(/could not be upgraded/);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(tables(db)).not.toContain('half');
  });
});

describe('migration 1: initial schema', () => {
  it('creates every v1 table with its columns', () => {
    const db = openDatabase(':memory:');
    runMigrations(db, MIGRATIONS.slice(0, 1));
    expect(tables(db)).toEqual(
      ['audit_events', 'cards', 'certificates', 'escrow', 'job_steps', 'jobs', 'persons', 'schema_migrations', 'sequences'].sort(),
    );
    expect(columns(db, 'persons')).toEqual(['id', 'given_name', 'surname', 'email', 'employee_id', 'affiliation', 'created_at', 'updated_at']);
    expect(columns(db, 'cards')).toEqual([
      'id', 'person_id', 'card_profile', 'status', 'chip_serial', 'guid', 'fascn', 'agency_code', 'system_code',
      'credential_number', 'expiration_date', 'mgmt_key_alg', 'mgmt_key_version', 'mgmt_key_state', 'created_at', 'updated_at',
    ]);
    expect(columns(db, 'jobs')).toEqual([
      'id', 'kind', 'card_id', 'person_id', 'reader_name', 'status', 'failed_step', 'error_json', 'params_json', 'cancel_reason', 'created_at', 'updated_at',
    ]);
    expect(columns(db, 'job_steps')).toEqual(['job_id', 'name', 'ordinal', 'status', 'attempts', 'started_at', 'finished_at', 'error_json', 'data_json']);
    expect(columns(db, 'certificates')).toEqual([
      'serial', 'card_id', 'job_id', 'slot', 'public_key_spki', 'der', 'status', 'not_before', 'not_after', 'issued_at', 'revoked_at', 'revocation_reason',
    ]);
    expect(columns(db, 'escrow')).toEqual(['card_id', 'kind', 'sealed', 'created_at']);
    expect(columns(db, 'sequences')).toEqual(['name', 'next_value']);
    expect(columns(db, 'audit_events')).toEqual(['seq', 'at', 'actor', 'action', 'outcome', 'person_id', 'card_id', 'job_id', 'details_json']);
  });

  it('enforces its CHECK, UNIQUE and foreign-key constraints and the append-only audit log', () => {
    const db = openDatabase(':memory:');
    runMigrations(db, MIGRATIONS.slice(0, 1));
    const now = '2025-01-01T00:00:00.000Z';
    const person = db.prepare(
      'INSERT INTO persons (id, given_name, surname, affiliation, employee_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    person.run('p1', 'Ada', 'Lovelace', 'employee', 'E1', now, now);
    expect(() => person.run('p2', 'A', 'B', 'alien', null, now, now)).toThrow(/CHECK/);
    expect(() => person.run('p3', 'A', 'B', 'visitor', 'E1', now, now)).toThrow(/UNIQUE/);
    const card = db.prepare(
      `INSERT INTO cards (id, person_id, card_profile, status, guid, fascn, agency_code, system_code, credential_number, expiration_date, created_at, updated_at)
       VALUES (@id, @person, 'piv', 'in_production', @guid, @fascn, '1234', '5678', @cred, '2030-12-31', @now, @now)`,
    );
    const base = { person: 'p1', guid: 'A'.repeat(32), fascn: 'B'.repeat(50), cred: '000001', now };
    card.run({ ...base, id: 'c1' });
    expect(() => card.run({ ...base, id: 'c2', guid: 'C'.repeat(32) })).toThrow(/UNIQUE/); // same agency/system/credential
    expect(() => card.run({ ...base, id: 'c3', guid: 'a'.repeat(32), cred: '000002' })).toThrow(/CHECK/); // lowercase GUID
    expect(() => card.run({ ...base, id: 'c4', guid: 'D'.repeat(32), cred: '12345' })).toThrow(/CHECK/); // 5-digit credential
    expect(() => card.run({ ...base, id: 'c5', person: 'nobody', guid: 'E'.repeat(32), cred: '000003' })).toThrow(/FOREIGN KEY/);
    expect(db.prepare("SELECT mgmt_key_state FROM cards WHERE id = 'c1'").pluck().get()).toBe('transport');
    db.prepare("INSERT INTO audit_events (at, actor, action, outcome) VALUES (?, 'officer', 'x', 'ok')").run(now);
    expect(() => db.prepare("UPDATE audit_events SET actor = 'someone else'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
  });
});
