/**
 * Migration 15: card layouts per profile (seeded by the layout registry, versioned, with the
 * seal image) and a card's reprint count.
 */
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../../../electron/core/store/migrations.js';
import { openDatabase } from '../../../../native/sqlite.js';
import { ADA, memoryStore, sampleCard } from './helpers.js';

const LAYOUTS_MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'card layouts and reprint count') + 1;

describe('migration 15: card layouts and reprint count', () => {
  it('is migration 15, applies on a version-14 database, and existing cards start at 0 reprints', () => {
    expect(LAYOUTS_MIGRATION).toBe(15);
    const db = openDatabase(':memory:');
    runMigrations(db, MIGRATIONS.slice(0, 14));
    db.prepare("INSERT INTO persons (id, given_name, surname, affiliation, created_at, updated_at) VALUES ('p1', 'A', 'B', 'employee', 't', 't')").run();
    db.prepare(
      `INSERT INTO cards (id, person_id, card_profile, status, guid, fascn, agency_code, system_code, credential_number, expiration_date, created_at, updated_at)
       VALUES ('c1', 'p1', 'employee', 'produced', '${'0'.repeat(31)}1', '${'D'.repeat(50)}', '1234', '5678', '000001', '2030-01-01', 't', 't')`,
    ).run();
    expect(runMigrations(db, MIGRATIONS.slice(0, 15))).toEqual([15]);
    expect(db.prepare("SELECT reprint_count FROM cards WHERE id = 'c1'").get()).toEqual({ reprint_count: 0 });
    const columns = (db.prepare('PRAGMA table_info(card_layouts)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['profile_id', 'layout', 'seal', 'seal_format', 'version', 'updated_at', 'updated_by']);
  });

  it('stores a layout once, replaces it with the next version, and a seal only with its format', () => {
    const store = memoryStore();
    expect(store.cardLayouts.insertIfAbsent('employee', { a: 1 }, 'config')).toBe(true);
    expect(store.cardLayouts.insertIfAbsent('employee', { a: 2 }, 'config')).toBe(false);
    const replaced = store.cardLayouts.replace('employee', { a: 3 }, 'admin', { bytes: Uint8Array.of(0x89, 0x50, 0x4e, 0x47), format: 'png' })!;
    expect(replaced).toMatchObject({ version: 2, layout: { a: 3 }, updatedBy: 'admin', seal: { format: 'png' } });
    expect(store.cardLayouts.replace('employee', { a: 4 }, 'admin')).toMatchObject({ version: 3, seal: { format: 'png' } });
    expect(store.cardLayouts.replace('employee', { a: 5 }, 'admin', null)).toMatchObject({ version: 4, seal: null });
    expect(() => store.db.prepare("UPDATE card_layouts SET seal = x'00' WHERE profile_id = 'employee'").run()).toThrow(/CHECK/);
    expect(() => store.cardLayouts.insertIfAbsent('nobody', {}, 'config')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('counts reprints on the card record', () => {
    const store = memoryStore();
    const ada = store.persons.add(ADA);
    const card = store.cards.create(sampleCard(ada.id));
    expect(card.reprintCount).toBe(0);
    expect(store.cards.update(card.id, { reprintCount: 1 }).reprintCount).toBe(1);
    expect(() => store.cards.update(card.id, { reprintCount: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
