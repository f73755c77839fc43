import { describe, expect, it } from 'vitest';
import { StationError } from '../../../../electron/core/errors.js';
import { ADA, memoryStore, sampleCard } from './helpers.js';

function setup() {
  const store = memoryStore();
  const person = store.persons.add(ADA);
  const card = store.cards.create(sampleCard(person.id));
  const job = store.jobs.create({ cardId: card.id, personId: person.id }, ['connect']);
  return { store, person, card, job };
}

describe('store.transaction', () => {
  it('commits together or rolls back together, passing the caller’s error through', () => {
    const { store, person } = setup();
    const boom = new StationError('CA_ERROR', 'The CA refused.', {});
    expect(() =>
      store.transaction(() => {
        store.cards.create(sampleCard(person.id));
        throw boom;
      }),
    ).toThrow(boom);
    expect(store.cards.listByPerson(person.id)).toHaveLength(1);
    const created = store.transaction(() => [store.cards.create(sampleCard(person.id)), store.cards.create(sampleCard(person.id))]);
    expect(store.cards.listByPerson(person.id).map((c) => c.id)).toEqual(expect.arrayContaining(created.map((c) => c.id)));
    expect(store.cards.listByPerson(person.id)).toHaveLength(3);
  });
});
