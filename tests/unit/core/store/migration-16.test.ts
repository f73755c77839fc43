/**
 * Migration 16: a short number per card request (existing requests numbered in creation order,
 * new ones from a sequence that never hands a number out twice), and a terminated card's reason
 * as the officer chose it.
 */
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../../../electron/core/store/migrations.js';
import { openDatabase } from '../../../../native/sqlite.js';
import { openStore } from '../../../../electron/core/store/store.js';
import { ADA, memoryStore, sampleCard } from './helpers.js';

const NUMBERS_MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'request numbers, termination reasons') + 1;

describe('migration 16: request numbers, termination reasons', () => {
  it('numbers the requests of a version-15 database in creation order, and new requests follow', () => {
    expect(NUMBERS_MIGRATION).toBe(16);
    const db = openDatabase(':memory:');
    runMigrations(db, MIGRATIONS.slice(0, 15));
    db.prepare("INSERT INTO persons (id, given_name, surname, affiliation, created_at, updated_at) VALUES ('11111111-1111-4111-8111-111111111111', 'A', 'B', 'employee', 't', 't')").run();
    const insert = db.prepare(
      "INSERT INTO card_requests (id, person_id, profile, state, source, created_at, updated_at) VALUES (?, '11111111-1111-4111-8111-111111111111', 'employee', 'requested', 'desk', ?, ?)",
    );
    // Inserted out of order: the numbers follow created_at, not the insertion.
    insert.run('req-late', '2026-01-03T00:00:00.000Z', 't');
    insert.run('req-first', '2026-01-01T00:00:00.000Z', 't');
    insert.run('req-middle', '2026-01-02T00:00:00.000Z', 't');
    expect(runMigrations(db, MIGRATIONS.slice(0, 16))).toEqual([16]);
    const numbers = db.prepare('SELECT id, number FROM card_requests ORDER BY number').all();
    expect(numbers).toEqual([
      { id: 'req-first', number: 1 },
      { id: 'req-middle', number: 2 },
      { id: 'req-late', number: 3 },
    ]);
    const store = openStore(db, { now: () => new Date('2026-02-01T00:00:00.000Z') });
    const next = store.requests.create({ personId: '11111111-1111-4111-8111-111111111111', profile: 'employee', source: 'desk' });
    expect(next.number).toBe(4);
    expect(store.requests.findByNumber(2)?.id).toBe('req-middle');
    expect(() => db.prepare("UPDATE card_requests SET number = 1 WHERE id = 'req-late'").run()).toThrow(/UNIQUE/);
  });

  it('never hands a number out twice, even after the newest request is deleted', () => {
    const store = memoryStore();
    const ada = store.persons.add(ADA);
    const first = store.requests.create({ personId: ada.id, profile: 'employee', source: 'desk' });
    const second = store.requests.create({ personId: ada.id, profile: 'employee', source: 'kiosk' });
    expect([first.number, second.number]).toEqual([1, 2]);
    store.db.prepare('DELETE FROM card_requests WHERE id = ?').run(second.id);
    expect(store.requests.create({ personId: ada.id, profile: 'employee', source: 'desk' }).number).toBe(3);
  });

  it('keeps the officer’s termination reason on the card, and refuses any other word', () => {
    const store = memoryStore();
    const ada = store.persons.add(ADA);
    const card = store.cards.create(sampleCard(ada.id));
    expect(card.terminationReason).toBeNull();
    expect(store.cards.update(card.id, { status: 'revoked', terminationReason: 'lost' }).terminationReason).toBe('lost');
    expect(() => store.cards.update(card.id, { terminationReason: 'keyCompromise' as never })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => store.db.prepare("UPDATE cards SET termination_reason = 'misplaced'").run()).toThrow(/CHECK/);
  });
});
