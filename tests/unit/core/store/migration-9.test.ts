/**
 * Migration 9: what each card showed it can do (issue 9), a JSON column on
 * cards: NULL for the cards that existed before, validated JSON after, and
 * round-tripped by the cards repository.
 */
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../../../electron/core/store/migrations.js';
import { openDatabase } from '../../../../native/sqlite.js';
import type { CardCapabilities } from '../../../../electron/contract/card-capabilities.js';
import { ADA, memoryStore, sampleCard } from './helpers.js';

const CAPABILITIES: CardCapabilities = {
  extensions: { getVersion: 'no', getSerial: 'no', getMetadata: 'yes', setPinRetries: 'no', setManagementKey: 'yes', attest: 'no', reset: 'unknown', moveKey: 'no' },
  extendedLength: false,
  advertisedAlgorithms: ['TDEA', 'P256'],
  retries: { keptByCard: true, pin: 5, puk: null },
};

describe('migration 9: card capabilities', () => {
  it('is migration 9, applies on a version-8 database and leaves existing cards without capabilities', () => {
    expect(MIGRATIONS.findIndex((m) => m.name === 'card capabilities') + 1).toBe(9);
    const db = openDatabase(':memory:');
    runMigrations(db, MIGRATIONS.slice(0, 8));
    db.prepare("INSERT INTO persons (id, given_name, surname, affiliation, created_at, updated_at) VALUES ('p', 'Ada', 'Lovelace', 'employee', 'now', 'now')").run();
    db.prepare(
      `INSERT INTO cards (id, person_id, card_profile, status, guid, fascn, agency_code, system_code, credential_number, expiration_date, created_at, updated_at)
       VALUES ('c', 'p', 'employee', 'produced', '${'A'.repeat(32)}', '${'D'.repeat(50)}', '1234', '5678', '000001', '2030-01-01', 'now', 'now')`,
    ).run();
    expect(runMigrations(db, MIGRATIONS.slice(0, 9))).toEqual([9]);
    expect(db.prepare("SELECT capabilities FROM cards WHERE id = 'c'").get()).toEqual({ capabilities: null });
    expect(() => db.prepare("UPDATE cards SET capabilities = 'not json' WHERE id = 'c'").run()).toThrow();
  });

  it('the cards repository stores, validates and returns them', () => {
    const store = memoryStore();
    const ada = store.persons.add(ADA);
    const card = store.cards.create(sampleCard(ada.id));
    expect(card.capabilities).toBeNull();
    expect(store.cards.update(card.id, { capabilities: CAPABILITIES }).capabilities).toEqual(CAPABILITIES);
    expect(store.cards.get(card.id)!.capabilities).toEqual(CAPABILITIES);
    expect(store.cards.update(card.id, { status: 'produced' }).capabilities).toEqual(CAPABILITIES);
    const bad = { ...CAPABILITIES, extensions: { ...CAPABILITIES.extensions, reset: 'maybe' } } as unknown as CardCapabilities;
    expect(() => store.cards.update(card.id, { capabilities: bad })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
