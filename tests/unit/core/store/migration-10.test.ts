/**
 * Migration 10 (issue 10): CPR freshness columns on `cprs` (the signed
 * submission time, whether the signature verified) and the job lease table.
 */
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../../../electron/core/store/migrations.js';
import { openDatabase } from '../../../../native/sqlite.js';

const MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'CPR freshness, job leases') + 1;

function columns(db: ReturnType<typeof openDatabase>, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

describe('migration 10: CPR freshness, job leases', () => {
  it('is migration 10; marks earlier CPRs verified when their outcome proves a verified signature', () => {
    expect(MIGRATION).toBe(10);
    const db = openDatabase(':memory:');
    runMigrations(db, MIGRATIONS.slice(0, MIGRATION - 1));
    const insert = db.prepare(
      "INSERT INTO cprs (id, received_at, idprs_request_id, status, error_code, document_sha256) VALUES (?, '2025-01-01T00:00:00.000Z', ?, ?, ?, ?)",
    );
    insert.run('accepted', 'R-1', 'accepted', null, 'a'.repeat(64));
    insert.run('unknown-person', 'R-2', 'rejected', 'CPR_PERSON_UNKNOWN', 'b'.repeat(64));
    insert.run('forged', 'R-3', 'rejected', 'CPR_SIGNATURE_INVALID', 'c'.repeat(64));
    insert.run('garbage', null, 'rejected', 'CPR_MALFORMED', 'd'.repeat(64));
    expect(runMigrations(db, MIGRATIONS.slice(0, MIGRATION))).toEqual([MIGRATION]);
    expect(columns(db, 'cprs')).toEqual(expect.arrayContaining(['submitted_at', 'verified']));
    const verified = db.prepare('SELECT id, verified, submitted_at AS submittedAt FROM cprs ORDER BY id').all();
    expect(verified).toEqual([
      { id: 'accepted', verified: 1, submittedAt: null },
      { id: 'forged', verified: 0, submittedAt: null },
      { id: 'garbage', verified: 0, submittedAt: null },
      { id: 'unknown-person', verified: 1, submittedAt: null },
    ]);
    expect(() => db.prepare("UPDATE cprs SET verified = 2 WHERE id = 'accepted'").run()).toThrow(/CHECK/);
  });

  it('job_leases: one lease per job, of an existing job, with a holder', () => {
    const db = openDatabase(':memory:');
    runMigrations(db);
    expect(columns(db, 'job_leases')).toEqual(['job_id', 'holder', 'expires_at']);
    const lease = db.prepare("INSERT INTO job_leases (job_id, holder, expires_at) VALUES (?, ?, '2025-01-01T00:00:00.000Z')");
    expect(() => lease.run('no-such-job', 'pid 1')).toThrow(/FOREIGN KEY/);
  });
});
