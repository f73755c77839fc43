import { describe, expect, it } from 'vitest';
import { ADA, memoryStore, sampleCard } from './helpers.js';

describe('cards repository', () => {
  it('creates a card with defaults and finds it by id, GUID (any case), chip serial and person', () => {
    const store = memoryStore();
    const ada = store.persons.add(ADA);
    const card = store.cards.create(sampleCard(ada.id, { chipSerial: 12345678 }));
    expect(card).toMatchObject({ personId: ada.id, status: 'in_production', mgmtKeyState: 'transport', mgmtKeyAlg: null, mgmtKeyVersion: null, chipSerial: 12345678 });
    expect(store.cards.get(card.id)).toEqual(card);
    expect(store.cards.findByGuid(card.guid.toLowerCase())).toEqual(card);
    expect(store.cards.findByGuid('F'.repeat(32))).toBeUndefined();
    const second = store.cards.create(sampleCard(ada.id, { chipSerial: 12345678 }));
    expect(store.cards.findByChipSerial(12345678).map((c) => c.id)).toEqual([card.id, second.id]);
    expect(store.cards.findByChipSerial(1)).toEqual([]);
    expect(store.cards.listByPerson(ada.id).map((c) => c.id)).toEqual([card.id, second.id]);
  });

  it('refuses bad fields with INVALID_INPUT and an unknown person with NOT_FOUND_RECORD', () => {
    const store = memoryStore();
    const ada = store.persons.add(ADA);
    const invalid = [
      { guid: 'abc' },
      { guid: 'a'.repeat(32) },
      { fascn: '00' },
      { credentialNumber: '12345' },
      { agencyCode: '12a4' },
      { expirationDate: '31/12/2030' },
      { status: 'lost' },
    ];
    for (const o of invalid) expect(() => store.cards.create(sampleCard(ada.id, o as never))).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => store.cards.create(sampleCard('00000000-0000-4000-8000-000000000000'))).toThrowError(
      expect.objectContaining({ code: 'NOT_FOUND_RECORD' }),
    );
  });

  it('refuses a duplicate GUID and a duplicate agency/system/credential number', () => {
    const store = memoryStore();
    const ada = store.persons.add(ADA);
    const card = store.cards.create(sampleCard(ada.id));
    expect(() => store.cards.create(sampleCard(ada.id, { guid: card.guid }))).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => store.cards.create(sampleCard(ada.id, { credentialNumber: card.credentialNumber }))).toThrowError(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    // Same number under another system code is a different credential.
    expect(store.cards.create(sampleCard(ada.id, { credentialNumber: card.credentialNumber, systemCode: '0001' })).systemCode).toBe('0001');
  });

  it('updates given fields and updatedAt only', () => {
    const store = memoryStore();
    const ada = store.persons.add(ADA);
    const card = store.cards.create(sampleCard(ada.id));
    const locked = store.cards.update(card.id, { mgmtKeyState: 'locked', mgmtKeyAlg: 'AES192', mgmtKeyVersion: 1, chipSerial: 42 });
    expect(locked).toEqual({ ...card, mgmtKeyState: 'locked', mgmtKeyAlg: 'AES192', mgmtKeyVersion: 1, chipSerial: 42, updatedAt: locked.updatedAt });
    expect(locked.updatedAt > card.updatedAt).toBe(true);
    expect(store.cards.get(card.id)).toEqual(locked);
  });

  it('update: NOT_FOUND_RECORD for a missing card, INVALID_INPUT for bad or unchangeable fields', () => {
    const store = memoryStore();
    const ada = store.persons.add(ADA);
    const card = store.cards.create(sampleCard(ada.id));
    expect(() => store.cards.update('00000000-0000-4000-8000-000000000000', { status: 'produced' })).toThrowError(
      expect.objectContaining({ code: 'NOT_FOUND_RECORD' }),
    );
    expect(() => store.cards.update(card.id, { status: 'lost' as never })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => store.cards.update(card.id, { mgmtKeyState: 'open' as never })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => store.cards.update(card.id, { createdAt: '2000-01-01T00:00:00.000Z' })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => store.cards.update(card.id, { id: 'other' })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(store.cards.get(card.id)).toEqual(card);
  });
});
