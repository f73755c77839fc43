import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../../../electron/core/store/migrations.js';
import { openStore } from '../../../../electron/core/store/store.js';
import { openDatabase } from '../../../../native/sqlite.js';
import { ADA, sampleCard } from './helpers.js';

const PUK_ROTATIONS_MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'PUK rotations in flight') + 1;

describe('migration 5: PUK rotations in flight', () => {
  it('is migration 5 and applies on a version-4 database', () => {
    expect(PUK_ROTATIONS_MIGRATION).toBe(5);
    const db = openDatabase(':memory:');
    runMigrations(db, MIGRATIONS.slice(0, PUK_ROTATIONS_MIGRATION - 1));
    expect(runMigrations(db, MIGRATIONS.slice(0, PUK_ROTATIONS_MIGRATION))).toEqual([PUK_ROTATIONS_MIGRATION]);
    const columns = (db.prepare('PRAGMA table_info(puk_rotations)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['card_id', 'sealed_previous', 'started_at']);
  });

  it('holds one rotation per existing card only', () => {
    const store = openStore(openDatabase(':memory:'));
    const person = store.persons.add(ADA);
    const card = store.cards.create(sampleCard(person.id));
    const insert = store.db.prepare("INSERT INTO puk_rotations (card_id, sealed_previous, started_at) VALUES (?, x'01', '2025-01-01T00:00:00Z')");
    insert.run(card.id);
    expect(() => insert.run(card.id)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run('no-such-card')).toThrow(/FOREIGN KEY/);
  });
});
