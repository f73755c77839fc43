import { describe, expect, it } from 'vitest';
import { filterParams, optionalEquals } from '../../../../electron/core/store/sql.js';
import { openDatabase } from '../../../../native/sqlite.js';

const COLUMNS = { personId: 'person_id', cardId: 'card_id' };

describe('optional equality filters', () => {
  it('one statement serves every combination of criteria; an absent criterion matches everything', () => {
    const db = openDatabase(':memory:');
    db.exec(`CREATE TABLE t (n INTEGER, person_id TEXT, card_id TEXT);
             INSERT INTO t VALUES (1, 'p1', 'c1'), (2, 'p1', NULL), (3, 'p2', 'c2');`);
    const select = db.prepare(`SELECT n FROM t WHERE ${optionalEquals(COLUMNS)} ORDER BY n`);
    const ns = (filter: Partial<Record<'personId' | 'cardId', string>>) => (select.all(filterParams(COLUMNS, filter)) as { n: number }[]).map((r) => r.n);
    expect(ns({})).toEqual([1, 2, 3]);
    expect(ns({ personId: 'p1' })).toEqual([1, 2]);
    expect(ns({ personId: 'p1', cardId: 'c1' })).toEqual([1]);
    expect(ns({ cardId: 'c2' })).toEqual([3]);
    expect(ns({ personId: 'nobody' })).toEqual([]);
    db.close();
  });

  it('binds exactly the keys of the columns, absent ones as NULL', () => {
    expect(filterParams(COLUMNS, { personId: 'p1' })).toEqual({ personId: 'p1', cardId: null });
    expect(optionalEquals({})).toBe('1');
  });
});
