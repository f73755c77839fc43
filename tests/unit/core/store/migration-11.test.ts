/**
 * Migration 11 (issue 10): the officer login throttle table, and outbox
 * events without a person (the station's own stream), keeping every row.
 */
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../../../electron/core/store/migrations.js';
import { openDatabase } from '../../../../native/sqlite.js';

const MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'login throttle, station notifications') + 1;

function columns(db: ReturnType<typeof openDatabase>, table: string): { name: string; notnull: number }[] {
  return db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; notnull: number }[];
}
function indexes(db: ReturnType<typeof openDatabase>, table: string): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name NOT LIKE 'sqlite_%' ORDER BY name").all(table) as { name: string }[]).map((r) => r.name);
}

const ROW = {
  id: '11111111-2222-4333-8444-555555555555',
  type: 'card.produced',
  stream: 'person:p1',
  seq: 1,
  person_id: 'p1',
  card_id: 'c1',
  request_id: null,
  payload_json: '{"id":"x"}',
  created_at: '2025-01-01T00:00:00.000Z',
  attempts: 2,
  next_attempt_at: '2025-01-01T00:01:00.000Z',
  last_attempt_at: '2025-01-01T00:00:30.000Z',
  delivered_at: null,
  dead_at: null,
  last_error: 'HTTP 503',
};

describe('migration 11: login throttle, station notifications', () => {
  it('is migration 11 and keeps every outbox row, column and index', () => {
    expect(MIGRATION).toBe(11);
    const db = openDatabase(':memory:');
    runMigrations(db, MIGRATIONS.slice(0, MIGRATION - 1));
    const cols = Object.keys(ROW);
    db.prepare(`INSERT INTO outbox_events (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`).run(ROW);
    const before = { columns: columns(db, 'outbox_events').map((c) => c.name), indexes: indexes(db, 'outbox_events') };
    expect(runMigrations(db, MIGRATIONS.slice(0, MIGRATION))).toEqual([MIGRATION]);
    expect(db.prepare('SELECT * FROM outbox_events').all()).toEqual([ROW]);
    expect(columns(db, 'outbox_events').map((c) => c.name)).toEqual(before.columns);
    expect(indexes(db, 'outbox_events')).toEqual(before.indexes);
    expect(columns(db, 'outbox_events').find((c) => c.name === 'person_id')?.notnull).toBe(0);
  });

  it('a station event may have no person; a person stream still needs one', () => {
    const db = openDatabase(':memory:');
    runMigrations(db);
    const insert = db.prepare(
      "INSERT INTO outbox_events (id, type, stream, seq, person_id, payload_json, created_at, next_attempt_at) VALUES (?, 'audit.head_signed', ?, 1, NULL, '{}', 't', 't')",
    );
    insert.run('11111111-2222-4333-8444-000000000001', 'station:audit');
    expect(() => insert.run('11111111-2222-4333-8444-000000000002', 'person:p9')).toThrow(/CHECK/);
  });

  it('officer_login_throttle: one row per username, failures never negative', () => {
    const db = openDatabase(':memory:');
    runMigrations(db);
    expect(columns(db, 'officer_login_throttle').map((c) => c.name)).toEqual(['username', 'failures', 'last_failure_at', 'next_attempt_at', 'locked_at']);
    const insert = db.prepare("INSERT INTO officer_login_throttle (username, failures, last_failure_at) VALUES (?, ?, '2025-01-01T00:00:00.000Z')");
    insert.run('reg', 1);
    expect(() => insert.run('reg', 2)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run('other', -1)).toThrow(/CHECK/);
    expect(() => insert.run('', 1)).toThrow(/CHECK/);
  });
});
