import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations, schemaVersion } from '../../../../electron/core/store/migrations.js';
import { openStore } from '../../../../electron/core/store/store.js';
import { openDatabase } from '../../../../native/sqlite.js';

const NOW = '2025-01-01T00:00:00.000Z';
const PERSON_ID = '11111111-1111-4111-8111-111111111111';
const CARD_ID = '22222222-2222-4222-8222-222222222222';
const JOB_ID = '33333333-3333-4333-8333-333333333333';

/** A v1 database holding a person, a produced card, its job, certificate, escrowed PUK and an audit event. */
function v1Database() {
  const db = openDatabase(':memory:');
  runMigrations(db, MIGRATIONS.slice(0, 1));
  db.prepare('INSERT INTO persons (id, given_name, surname, email, employee_id, affiliation, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    PERSON_ID, 'Ada', 'Lovelace', 'ada@example.gov', '1815', 'employee', NOW, NOW,
  );
  db.prepare(
    `INSERT INTO cards (id, person_id, card_profile, status, chip_serial, guid, fascn, agency_code, system_code, credential_number, expiration_date, mgmt_key_alg, mgmt_key_version, mgmt_key_state, created_at, updated_at)
     VALUES (?, ?, 'employee', 'produced', 4242, ?, ?, '9999', '0001', '000007', '2030-01-01', 'AES192', 1, 'locked', ?, ?)`,
  ).run(CARD_ID, PERSON_ID, 'A'.repeat(32), 'B'.repeat(50), NOW, NOW);
  db.prepare("INSERT INTO jobs (id, card_id, person_id, reader_name, status, created_at, updated_at) VALUES (?, ?, ?, 'R', 'done', ?, ?)").run(JOB_ID, CARD_ID, PERSON_ID, NOW, NOW);
  db.prepare("INSERT INTO certificates (serial, card_id, job_id, slot, public_key_spki, der, status, not_before, not_after, issued_at) VALUES ('0A', ?, ?, '9A', 'AB', x'3000', 'valid', ?, ?, ?)").run(
    CARD_ID, JOB_ID, NOW, NOW, NOW,
  );
  db.prepare("INSERT INTO escrow (card_id, kind, sealed, created_at) VALUES (?, 'PUK', x'0102', ?)").run(CARD_ID, NOW);
  db.prepare("INSERT INTO sequences (name, next_value) VALUES ('fascn.credential_number', 8)").run();
  db.prepare("INSERT INTO audit_events (at, actor, action, outcome, card_id) VALUES (?, 'station', 'card.produced', 'ok', ?)").run(NOW, CARD_ID);
  return db;
}

const indexes = (db: ReturnType<typeof openDatabase>, table: string) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name NOT LIKE 'sqlite_%' ORDER BY name").all(table) as { name: string }[]).map((r) => r.name);

describe('migration 2: officers, requests, CPRs, batches, card numbers, person search', () => {
  it('keeps every v1 record, the cards indexes and foreign keys, and adds the new columns', () => {
    const db = v1Database();
    expect(runMigrations(db, MIGRATIONS.slice(0, 2))).toEqual([2]);
    expect(schemaVersion(db)).toBe(2);
    const store = openStore(db);
    const card = store.cards.get(CARD_ID)!;
    expect(card).toMatchObject({ status: 'produced', chipSerial: 4242, credentialNumber: '000007', mgmtKeyState: 'locked', cardNumber: null, createdAt: NOW });
    expect(store.jobs.get(JOB_ID)?.cardId).toBe(CARD_ID);
    expect(store.certificates.listByCard(CARD_ID)).toHaveLength(1);
    expect(store.escrow.get(CARD_ID, 'PUK')).toEqual(new Uint8Array([1, 2]));
    expect(store.audit.list({ cardId: CARD_ID })).toHaveLength(1);
    expect(store.sequences.nextValue('fascn.credential_number')).toBe(8);
    expect(store.persons.get(PERSON_ID)?.externalId).toBeNull();
    expect(indexes(db, 'cards')).toEqual(['cards_chip_serial', 'cards_person']);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // Foreign keys still point at the rebuilt cards table.
    expect(() => db.prepare("INSERT INTO jobs (id, card_id, person_id, status, created_at, updated_at) VALUES ('j2', 'no-card', ?, 'pending', ?, ?)").run(PERSON_ID, NOW, NOW)).toThrow(/FOREIGN KEY/);
  });

  it("accepts the 'approved' card status and unique 8-digit card numbers", () => {
    const db = v1Database();
    runMigrations(db);
    const store = openStore(db);
    store.cards.update(CARD_ID, { cardNumber: '00000001' });
    const other = store.cards.create({
      personId: PERSON_ID, cardProfile: 'employee', status: 'approved', guid: 'C'.repeat(32), fascn: 'D'.repeat(50),
      agencyCode: '9999', systemCode: '0001', credentialNumber: '000008', expirationDate: '2030-01-01', cardNumber: '00000002',
    });
    expect(other.status).toBe('approved');
    expect(() => store.cards.update(other.id, { cardNumber: '00000001' })).toThrow(/already exists/);
    expect(() => db.prepare("UPDATE cards SET card_number = '123' WHERE id = ?").run(other.id)).toThrow(/CHECK/);
  });

  it('indexes persons created before and after it for substring search, and follows edits', () => {
    const db = v1Database();
    runMigrations(db);
    const store = openStore(db);
    expect(store.persons.search('ovela').persons.map((p) => p.id)).toEqual([PERSON_ID]);
    const grace = store.persons.add({ givenName: 'Grace', surname: 'Hopper', affiliation: 'contractor', externalId: 'IDPRS-7' });
    expect(store.persons.search('oppe').persons.map((p) => p.id)).toEqual([grace.id]);
    expect(store.persons.search('grace hop').persons.map((p) => p.id)).toEqual([grace.id]);
    expect(store.persons.findByExternalId('IDPRS-7')?.id).toBe(grace.id);
    store.persons.update(grace.id, { surname: 'Murray' });
    expect(store.persons.search('oppe').persons).toEqual([]);
    expect(store.persons.search('murr').persons.map((p) => p.id)).toEqual([grace.id]);
    expect(() => store.persons.add({ givenName: 'X', surname: 'Y', affiliation: 'visitor', externalId: 'IDPRS-7' })).toThrow(/already exists/);
    // FTS syntax in a query is plain text.
    expect(store.persons.search('"OR*').persons).toEqual([]);
  });
});
