import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../native/sqlite.js';

describe('openDatabase', () => {
  it('opens a file database in WAL mode with foreign keys, busy timeout and synchronous=NORMAL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-'));
    try {
      const db = openDatabase(join(dir, 'station.db'));
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('allows :memory: for tests', () => {
    const db = openDatabase(':memory:');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare('SELECT 1 + 1').pluck().get()).toBe(2);
  });

  it('throws STORE when the file cannot be opened', () => {
    expect(() => openDatabase('/nonexistent-dir-xyz/station.db')).toThrowError(expect.objectContaining({ code: 'STORE' }));
  });
});
