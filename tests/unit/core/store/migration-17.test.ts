/**
 * Migration 17: a short number per batch (existing batches numbered in creation order, new ones
 * from a sequence that never hands a number out twice), as migration 16 did for requests.
 */
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../../../electron/core/store/migrations.js';
import { openDatabase } from '../../../../native/sqlite.js';
import { batchRepository } from '../../../../electron/core/issuance/batch-store.js';

describe('migration 17: batch numbers', () => {
  it('numbers the batches of a version-16 database in creation order, and new batches follow', () => {
    expect(MIGRATIONS.findIndex((m) => m.name === 'batch numbers') + 1).toBe(17);
    const db = openDatabase(':memory:');
    runMigrations(db, MIGRATIONS.slice(0, 16));
    const insert = db.prepare("INSERT INTO batches (id, status, readers_json, created_at, updated_at) VALUES (?, 'done', '\"all\"', ?, 't')");
    // Inserted out of order: the numbers follow created_at, not the insertion.
    insert.run('batch-late', '2026-01-03T00:00:00.000Z');
    insert.run('batch-first', '2026-01-01T00:00:00.000Z');
    insert.run('batch-middle', '2026-01-02T00:00:00.000Z');
    expect(runMigrations(db)).toEqual([17]);
    expect(db.prepare('SELECT id, number FROM batches ORDER BY number').all()).toEqual([
      { id: 'batch-first', number: 1 },
      { id: 'batch-middle', number: 2 },
      { id: 'batch-late', number: 3 },
    ]);
    const repo = batchRepository(db, () => '2026-02-01T00:00:00.000Z');
    const next = repo.create('all', null, []);
    expect(next.number).toBe(4);
    expect(repo.findByNumber(2)?.id).toBe('batch-middle');
    expect(() => db.prepare("UPDATE batches SET number = 1 WHERE id = 'batch-late'").run()).toThrow(/UNIQUE/);
  });

  it('never hands a number out twice, even after the newest batch is deleted', () => {
    const db = openDatabase(':memory:');
    runMigrations(db);
    const repo = batchRepository(db);
    expect([repo.create('all', null, []).number, repo.create(['Reader A'], null, []).number]).toEqual([1, 2]);
    db.prepare('DELETE FROM batches WHERE number = 2').run();
    expect(repo.create('all', null, []).number).toBe(3);
  });
});
