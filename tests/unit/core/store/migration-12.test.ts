/**
 * Migration 12: the card records who did what (requester, approver, producer,
 * acting officer) and the status a suspension interrupted. Cards made before
 * it take them from their request, their last production run and their last
 * suspension in the audit log.
 */
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../../../electron/core/store/migrations.js';
import { openDatabase } from '../../../../native/sqlite.js';

const PARTIES_MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'card parties and suspension origin') + 1;
const NOW = '2025-06-01T10:00:00.000Z';

/** A version-11 database with two officers, two cards (one suspended after being produced), their requests and audit events. */
function beforeMigration() {
  const db = openDatabase(':memory:');
  runMigrations(db, MIGRATIONS.slice(0, PARTIES_MIGRATION - 1));
  db.prepare(`INSERT INTO persons (id, given_name, surname, affiliation, created_at, updated_at) VALUES ('p1', 'Ada', 'L', 'employee', ?, ?)`).run(NOW, NOW);
  const officer = db.prepare(`INSERT INTO officers (id, username, display_name, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'x', ?, ?)`);
  officer.run('o-reg', 'reg', 'Reg', NOW, NOW);
  officer.run('o-appr', 'appr', 'Appr', NOW, NOW);
  officer.run('o-prod', 'prod', 'Prod', NOW, NOW);
  const card = db.prepare(
    `INSERT INTO cards (id, person_id, card_profile, status, guid, fascn, agency_code, system_code, credential_number, expiration_date, created_at, updated_at)
     VALUES (?, 'p1', 'employee', ?, ?, ?, '9999', '0001', ?, '2030-12-31', ?, ?)`,
  );
  card.run('c1', 'suspended', 'A'.repeat(32), 'B'.repeat(50), '000001', NOW, NOW);
  card.run('c2', 'active', 'C'.repeat(32), 'D'.repeat(50), '000002', NOW, NOW);
  const request = db.prepare(`INSERT INTO card_requests (id, person_id, profile, state, source, requested_by, decided_by, card_id, created_at, updated_at) VALUES (?, 'p1', 'employee', 'produced', 'desk', 'o-reg', 'o-appr', ?, ?, ?)`);
  request.run('r1', 'c1', NOW, NOW);
  const audit = db.prepare(`INSERT INTO audit_events (at, actor, action, outcome, card_id, details_json) VALUES (?, ?, ?, 'ok', ?, ?)`);
  audit.run(NOW, 'prod', 'request.production', 'c1', '{"requestId":"r1"}');
  audit.run(NOW, 'sec', 'card.suspended', 'c1', '{"previousStatus":"produced"}');
  return db;
}

describe('migration 12: card parties and suspension origin', () => {
  it('is migration 12 and applies on a version-11 database', () => {
    expect(PARTIES_MIGRATION).toBe(12);
    const db = beforeMigration();
    expect(runMigrations(db, MIGRATIONS.slice(0, PARTIES_MIGRATION))).toEqual([12]);
    const columns = (db.prepare('PRAGMA table_info(cards)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['requested_by', 'approved_by', 'produced_by', 'lifecycle_by', 'suspended_from']));
  });

  it('backfills requester and approver from the request, producer from the last production run, the suspension origin from the audit log', () => {
    const db = beforeMigration();
    runMigrations(db);
    expect(db.prepare('SELECT id, requested_by, approved_by, produced_by, lifecycle_by, suspended_from FROM cards ORDER BY id').all()).toEqual([
      { id: 'c1', requested_by: 'o-reg', approved_by: 'o-appr', produced_by: 'o-prod', lifecycle_by: null, suspended_from: 'produced' },
      { id: 'c2', requested_by: null, approved_by: null, produced_by: null, lifecycle_by: null, suspended_from: null },
    ]);
  });

  it('refuses a suspension origin that is no issued status, and officer ids that are no officer', () => {
    const db = beforeMigration();
    runMigrations(db);
    expect(() => db.prepare("UPDATE cards SET suspended_from = 'revoked' WHERE id = 'c1'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE cards SET produced_by = 'nobody' WHERE id = 'c1'").run()).toThrow(/FOREIGN KEY/);
  });
});
