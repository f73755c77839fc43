/**
 * Migration 13 (issue 14): person search and browse at scale. The indexes the
 * search kinds walk, the two indexes it makes redundant dropped, and
 * person_counts filled from the persons already there and kept by triggers.
 * Every statement the persons repository runs for search and browse seeks an
 * index in the order it answers (SQLite EXPLAIN QUERY PLAN: no SCAN of
 * persons, no temporary B-tree), with and without planner statistics.
 */
import type { Database } from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../../../electron/core/store/migrations.js';
import { openStore } from '../../../../electron/core/store/store.js';
import type { PersonKey } from '../../../../electron/core/store/persons.js';
import { openDatabase } from '../../../../native/sqlite.js';

const SCALE_MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'person search and browse at scale') + 1;

const indexesOf = (db: Database) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'persons'").all() as { name: string }[]).map((r) => r.name);
const counts = (db: Database) => Object.fromEntries((db.prepare('SELECT affiliation, n FROM person_counts').all() as { affiliation: string; n: number }[]).map((r) => [r.affiliation, r.n]));

function insertPerson(db: Database, n: number, affiliation: string): void {
  db.prepare(
    `INSERT INTO persons (id, given_name, surname, email, employee_id, affiliation, created_at, updated_at)
     VALUES (?, 'Given', ?, NULL, NULL, ?, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`,
  ).run(`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, `Surname${n}`, affiliation);
}

describe('migration 13: person search and browse at scale', () => {
  it('is migration 13; on a version-12 database with persons it adds the indexes, drops the redundant ones and counts the persons', () => {
    expect(SCALE_MIGRATION).toBe(13);
    const db = openDatabase(':memory:');
    runMigrations(db, MIGRATIONS.slice(0, 12));
    expect(indexesOf(db)).toEqual(expect.arrayContaining(['persons_surname', 'persons_given_name']));
    for (let i = 0; i < 5; i++) insertPerson(db, i, i < 3 ? 'employee' : 'visitor');
    expect(runMigrations(db, MIGRATIONS.slice(0, 13))).toEqual([13]);
    const indexes = indexesOf(db);
    expect(indexes).toEqual(expect.arrayContaining(['persons_browse', 'persons_browse_affiliation', 'persons_given_browse', 'persons_employee_id_nocase', 'persons_email']));
    expect(indexes).not.toContain('persons_surname');
    expect(indexes).not.toContain('persons_given_name');
    expect(counts(db)).toEqual({ employee: 3, contractor: 0, visitor: 2 });
  });

  it('the triggers keep person_counts with every insert, affiliation change and delete', () => {
    const db = openDatabase(':memory:');
    runMigrations(db);
    insertPerson(db, 1, 'employee');
    insertPerson(db, 2, 'employee');
    insertPerson(db, 3, 'contractor');
    expect(counts(db)).toEqual({ employee: 2, contractor: 1, visitor: 0 });
    db.prepare("UPDATE persons SET affiliation = 'visitor' WHERE surname = 'Surname1'").run();
    db.prepare("UPDATE persons SET affiliation = 'visitor', given_name = 'Other' WHERE surname = 'Surname1'").run(); // unchanged affiliation
    db.prepare("UPDATE persons SET surname = 'Renamed' WHERE surname = 'Surname2'").run();
    expect(counts(db)).toEqual({ employee: 1, contractor: 1, visitor: 1 });
    db.prepare("DELETE FROM persons WHERE surname = 'Renamed'").run();
    expect(counts(db)).toEqual({ employee: 0, contractor: 1, visitor: 1 });
  });

  it("every search and browse statement of the persons repository seeks an index in its answer's order, with and without statistics", () => {
    const db = openDatabase(':memory:');
    runMigrations(db);
    const prepared: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    const store = openStore(db);
    const ada = store.persons.add({ givenName: 'Ada', surname: 'Lovelace', email: 'ada@example.gov', employeeId: 'E-1', affiliation: 'employee' });
    // Run every kind of search and every kind of page, so the lazily prepared statements exist too.
    for (const q of ['Lov', 'Ada Lovelace', 'Lovelace, Ada', 'e-1', 'ada@', 'ovel']) store.persons.search(q);
    const key: PersonKey = { surname: ada.surname, givenName: ada.givenName, id: ada.id };
    for (const affiliation of [undefined, 'employee'] as const) {
      for (const at of [{}, { after: key }, { before: key }, { from: key }, { last: true }]) store.persons.list({ limit: 10, affiliation, ...at });
    }
    const statements = [...new Set(prepared)].filter((sql) => /^\s*SELECT/.test(sql) && /FROM persons\b/.test(sql) && !/WHERE (id|rowid|external_id|employee_id) = \?/.test(sql));
    expect(statements.length).toBeGreaterThanOrEqual(15);

    const planOf = (sql: string) => {
      const params = Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map(([, name]) => [name!, name === 'n' ? 10 : 'x']));
      return (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    };
    const check = () => {
      for (const sql of statements) {
        const plan = planOf(sql);
        // With a condition: a seek (SEARCH … (range)); without (first and last page): the index walked from one end.
        expect(plan, sql).toMatch(/WHERE/.test(sql) ? /^SEARCH persons USING (COVERING )?INDEX persons_\w+ \(/ : /^SCAN persons USING (COVERING )?INDEX persons_browse$/);
        expect(plan, sql).not.toContain('TEMP B-TREE');
      }
    };
    check();
    store.transaction(() => {
      for (let i = 0; i < 2000; i++) store.persons.add({ givenName: `G${i % 7}`, surname: `S${i % 50}`, email: i % 3 ? null : `e${i}@x.test`, employeeId: i % 4 ? null : `E-${i}`, affiliation: i % 5 ? 'employee' : 'visitor' });
    });
    db.exec('ANALYZE');
    check();
  });
});
