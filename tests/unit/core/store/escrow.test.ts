import { describe, expect, it } from 'vitest';
import { ADA, memoryStore, sampleCard } from './helpers.js';

function setup() {
  const store = memoryStore();
  const person = store.persons.add(ADA);
  const card = store.cards.create(sampleCard(person.id));
  const job = store.jobs.create({ cardId: card.id, personId: person.id }, ['connect']);
  return { store, person, card, job };
}

describe('escrow repository', () => {
  it('stores and replaces a sealed blob per card and kind', () => {
    const { store, card } = setup();
    expect(store.escrow.get(card.id, 'PUK')).toBeUndefined();
    store.escrow.put(card.id, 'PUK', Uint8Array.of(1, 2, 3));
    expect(Array.from(store.escrow.get(card.id, 'PUK')!)).toEqual([1, 2, 3]);
    store.escrow.put(card.id, 'PUK', Uint8Array.of(9));
    expect(Array.from(store.escrow.get(card.id, 'PUK')!)).toEqual([9]);
    expect(store.db.prepare('SELECT count(*) FROM escrow').pluck().get()).toBe(1);
  });

  it('refuses an unknown card, an unknown kind and an empty blob', () => {
    const { store, card } = setup();
    expect(() => store.escrow.put('00000000-0000-4000-8000-000000000000', 'PUK', Uint8Array.of(1))).toThrowError(expect.objectContaining({ code: 'NOT_FOUND_RECORD' }));
    expect(() => store.escrow.put(card.id, 'PIN' as never, Uint8Array.of(1))).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => store.escrow.put(card.id, 'PUK', new Uint8Array(0))).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

