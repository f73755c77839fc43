import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../../electron/core/store/store.js';
import { openDatabase } from '../../../../native/sqlite.js';
import { memoryStore } from './helpers.js';

describe('sequences repository', () => {
  it('hands out start, start+1, … per name', () => {
    const store = memoryStore();
    expect(store.sequences.nextValue('credential')).toBe(1);
    expect(store.sequences.nextValue('credential')).toBe(2);
    expect(store.sequences.nextValue('other', 100)).toBe(100);
    expect(store.sequences.nextValue('other', 100)).toBe(101);
    expect(store.sequences.nextValue('credential')).toBe(3);
  });

  it('never reuses a value across reopen of a file database or between connections', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-seq-'));
    try {
      const path = join(dir, 'station.db');
      let db = openDatabase(path);
      let store = openStore(db);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      const seen = [store.sequences.nextValue('credential'), store.sequences.nextValue('credential')];
      db.close();
      db = openDatabase(path);
      store = openStore(db);
      seen.push(store.sequences.nextValue('credential'));
      // A second connection to the same file shares the counter.
      const other = openStore(openDatabase(path));
      seen.push(other.sequences.nextValue('credential'), store.sequences.nextValue('credential'));
      expect(seen).toEqual([1, 2, 3, 4, 5]);
      other.db.close();
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

