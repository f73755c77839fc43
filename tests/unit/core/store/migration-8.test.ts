/**
 * Migration 8: the person browse indexes. Browsing (persons.list) any page,
 * with or without an affiliation filter, walks an index in the list's order
 * instead of sorting every person (SQLite EXPLAIN QUERY PLAN: no temporary
 * B-tree for ORDER BY).
 */
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../../../electron/core/store/migrations.js';
import { openDatabase } from '../../../../native/sqlite.js';

const BROWSE_MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'person browse indexes') + 1;
const ORDER = 'ORDER BY surname COLLATE NOCASE, given_name COLLATE NOCASE, id LIMIT 50 OFFSET 99950';

function plan(db: ReturnType<typeof openDatabase>, sql: string): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
}

describe('migration 8: person browse indexes', () => {
  it('is migration 8 and applies on a version-7 database', () => {
    expect(BROWSE_MIGRATION).toBe(8);
    const db = openDatabase(':memory:');
    runMigrations(db, MIGRATIONS.slice(0, 7));
    expect(runMigrations(db, MIGRATIONS.slice(0, 8))).toEqual([8]);
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'persons'").all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['persons_browse', 'persons_browse_affiliation']));
  });

  it('browse pages walk an index in list order: no sort of every person', () => {
    const db = openDatabase(':memory:');
    runMigrations(db);
    const all = plan(db, `SELECT rowid FROM persons ${ORDER}`);
    expect(all).toContain('persons_browse');
    expect(all).not.toContain('TEMP B-TREE');
    const visitors = plan(db, `SELECT rowid FROM persons WHERE affiliation = 'visitor' ${ORDER}`);
    expect(visitors).toContain('persons_browse_affiliation');
    expect(visitors).not.toContain('TEMP B-TREE');
  });
});
