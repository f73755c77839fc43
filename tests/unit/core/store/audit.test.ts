import { describe, expect, it } from 'vitest';
import { ADA, memoryStore, sampleCard } from './helpers.js';

function setup() {
  const store = memoryStore();
  const person = store.persons.add(ADA);
  const card = store.cards.create(sampleCard(person.id));
  const job = store.jobs.create({ cardId: card.id, personId: person.id }, ['connect']);
  return { store, person, card, job };
}

describe('audit repository', () => {
  it('appends events in order and filters by card, job and person', () => {
    const { store, person, card, job } = setup();
    const e1 = store.audit.append({ actor: 'officer1', action: 'person.add', outcome: 'ok', personId: person.id });
    const e2 = store.audit.append({ actor: 'officer1', action: 'job.start', outcome: 'ok', personId: person.id, cardId: card.id, jobId: job.id, details: { reader: 'R' } });
    const e3 = store.audit.append({ actor: 'officer2', action: 'job.cancel', outcome: 'refused', cardId: card.id, at: '2025-03-02T00:00:00.000Z' });
    expect(e2.seq).toBe(e1.seq + 1);
    expect(e2.details).toEqual({ reader: 'R' });
    expect(e1.details).toBeNull();
    expect(e3.at).toBe('2025-03-02T00:00:00.000Z');
    expect(store.audit.list().map((e) => e.seq)).toEqual([e1.seq, e2.seq, e3.seq]);
    expect(store.audit.list({ cardId: card.id }).map((e) => e.seq)).toEqual([e2.seq, e3.seq]);
    expect(store.audit.list({ jobId: job.id })).toEqual([e2]);
    expect(store.audit.list({ personId: person.id, cardId: card.id })).toEqual([e2]);
  });

  it('refuses a bad outcome and cannot be rewritten', () => {
    const { store } = setup();
    expect(() => store.audit.append({ actor: 'a', action: 'b', outcome: 'maybe' as never })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    store.audit.append({ actor: 'a', action: 'b', outcome: 'ok' });
    expect(() => store.db.prepare("UPDATE audit_events SET outcome = 'failed'").run()).toThrow(/append-only/);
  });
});

