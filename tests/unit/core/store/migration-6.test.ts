import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../../../electron/core/store/migrations.js';
import { openDatabase } from '../../../../native/sqlite.js';

const LEASE_MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'notification delivery lease') + 1;

describe('migration 6: notification delivery lease', () => {
  it('is migration 6 and applies on a version-5 database', () => {
    expect(LEASE_MIGRATION).toBe(6);
    const db = openDatabase(':memory:');
    runMigrations(db, MIGRATIONS.slice(0, LEASE_MIGRATION - 1));
    expect(runMigrations(db, MIGRATIONS.slice(0, LEASE_MIGRATION))).toEqual([LEASE_MIGRATION]);
    const columns = (db.prepare('PRAGMA table_info(notification_delivery_lease)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['id', 'holder', 'expires_at']);
  });

  it('holds one lease row, with a holder', () => {
    const db = openDatabase(':memory:');
    runMigrations(db);
    const insert = db.prepare("INSERT INTO notification_delivery_lease (id, holder, expires_at) VALUES (?, ?, '2025-01-01T00:00:00Z')");
    insert.run(1, 'worker');
    expect(() => insert.run(1, 'other')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run(2, 'other')).toThrow(/CHECK/);
    db.prepare('DELETE FROM notification_delivery_lease').run();
    expect(() => insert.run(1, '')).toThrow(/CHECK/);
  });
});
