import { describe, expect, it } from 'vitest';
import { isStationError } from '../../../../electron/core/errors.js';
import { outboxRepository, recordNotification, streamOf } from '../../../../electron/core/notifications/outbox.js';
import { ADA, memoryStore, sampleCard } from '../store/helpers.js';

const T0 = new Date('2025-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function setup() {
  const store = memoryStore();
  const ada = store.persons.add(ADA);
  const bob = store.persons.add({ ...ADA, givenName: 'Bob', employeeId: 'E-2000' });
  const card = store.cards.create(sampleCard(ada.id, { status: 'produced' }));
  return { store, ada, bob, card, outbox: outboxRepository(store.db) };
}

describe('migration 3: notification outbox', () => {
  it('creates outbox_events with its columns and the sealed secret table', () => {
    const { store } = setup();
    const cols = (t: string) => (store.db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
    expect(cols('outbox_events')).toEqual([
      'id', 'type', 'stream', 'seq', 'person_id', 'card_id', 'request_id', 'payload_json', 'created_at',
      'attempts', 'next_attempt_at', 'last_attempt_at', 'delivered_at', 'dead_at', 'last_error',
    ]);
    expect(cols('notification_secret')).toEqual(['id', 'sealed', 'set_at']);
  });

  it('refuses two events with the same stream and seq, and a row both delivered and dead', () => {
    const { store } = setup();
    const insert = store.db.prepare(
      `INSERT INTO outbox_events (id, type, stream, seq, person_id, payload_json, created_at, next_attempt_at, delivered_at, dead_at)
       VALUES (?, 'card.produced', 's', ?, 'p', '{}', 'x', 'x', ?, ?)`,
    );
    insert.run('00000000-0000-4000-8000-000000000001', 1, null, null);
    expect(() => insert.run('00000000-0000-4000-8000-000000000002', 1, null, null)).toThrow(/UNIQUE/);
    expect(() => insert.run('00000000-0000-4000-8000-000000000003', 2, 'x', 'x')).toThrow(/CHECK/);
  });
});

describe('recordNotification', () => {
  it('writes the event with a payload snapshot of person and card, due at once', () => {
    const { store, ada, card, outbox } = setup();
    const e = store.transaction(() => recordNotification(store, { type: 'card.produced', personId: ada.id, cardId: card.id, data: { jobId: 'j1' } }, T0));
    expect(e.status).toBe('pending');
    expect(e.stream).toBe(streamOf(ada.id));
    expect(e.seq).toBe(1);
    expect(e.nextAttemptAt).toBe(T0.toISOString());
    expect(e.payload).toMatchObject({
      id: e.id,
      type: 'card.produced',
      occurredAt: T0.toISOString(),
      sequence: 1,
      person: { id: ada.id, externalId: null },
      card: { id: card.id, guid: card.guid, fascn: card.fascn, status: 'produced' },
      request: null,
      data: { jobId: 'j1' },
    });
    expect(outbox.get(e.id)).toEqual(e);
  });

  it('numbers each stream on its own, from 1 without gaps', () => {
    const { store, ada, bob, card } = setup();
    const seqs = store.transaction(() => [
      recordNotification(store, { type: 'card.produced', personId: ada.id, cardId: card.id }),
      recordNotification(store, { type: 'request.created', personId: bob.id }),
      recordNotification(store, { type: 'card.cancelled', personId: ada.id, cardId: card.id }),
    ]).map((e) => [e.stream, e.seq]);
    expect(seqs).toEqual([
      [streamOf(ada.id), 1],
      [streamOf(bob.id), 1],
      [streamOf(ada.id), 2],
    ]);
  });

  it('is refused outside a transaction, so no event exists without its change', () => {
    const { store, ada, outbox } = setup();
    try {
      recordNotification(store, { type: 'request.created', personId: ada.id });
      expect.unreachable();
    } catch (e) {
      expect(isStationError(e, 'INTERNAL')).toBe(true);
    }
    expect(outbox.list()).toEqual([]);
  });

  it('is rolled back with the change when the transaction fails', () => {
    const { store, ada, card, outbox } = setup();
    expect(() =>
      store.transaction(() => {
        store.cards.update(card.id, { status: 'cancelled' });
        recordNotification(store, { type: 'card.cancelled', personId: ada.id, cardId: card.id });
        throw new Error('the change failed after the event was written');
      }),
    ).toThrow();
    expect(outbox.list()).toEqual([]);
    expect(store.cards.get(card.id)!.status).toBe('produced');
  });

  it('refuses an unknown type and unknown records', () => {
    const { store, ada } = setup();
    expect(() => store.transaction(() => recordNotification(store, { type: 'card.exploded' as never, personId: ada.id }))).toThrow(/type is unknown/);
    expect(() => store.transaction(() => recordNotification(store, { type: 'card.produced', personId: 'nobody' }))).toThrow(/person/);
    expect(() => store.transaction(() => recordNotification(store, { type: 'card.produced', personId: ada.id, cardId: 'nocard' }))).toThrow(/card/);
  });

  it('refuses data naming a secret (the payload leaves the station), and writes nothing', () => {
    const { store, ada, outbox } = setup();
    for (const data of [{ pin: '123456' }, { reason: 'lost', nested: { newPuk: '12345678' } }, { managementKey: 'x' }]) {
      try {
        store.transaction(() => recordNotification(store, { type: 'card.suspended', personId: ada.id, data }));
        expect.unreachable();
      } catch (e) {
        expect(isStationError(e, 'INVALID_INPUT')).toBe(true);
        expect((e as Error).message).toMatch(/notification may not carry a secret/);
        expect(JSON.stringify(e)).not.toMatch(/123456|12345678/);
      }
    }
    expect(outbox.counts()).toEqual({ pending: 0, delivered: 0, dead: 0 });
    store.transaction(() => recordNotification(store, { type: 'card.suspended', personId: ada.id, data: { reason: 'lost', pinRetriesLeft: 3 } }));
    expect(outbox.counts().pending).toBe(1);
  });
});

describe('outbox repository', () => {
  function three() {
    const s = setup();
    const { store, ada, bob, card } = s;
    const [a1, b1, a2] = store.transaction(() => [
      recordNotification(s.store, { type: 'card.produced', personId: ada.id, cardId: card.id }, T0),
      recordNotification(s.store, { type: 'request.created', personId: bob.id }, at(1)),
      recordNotification(s.store, { type: 'card.cancelled', personId: ada.id, cardId: card.id }, at(2)),
    ]);
    return { ...s, a1: a1!, b1: b1!, a2: a2! };
  }

  it('offers only the first pending event of each stream', () => {
    const { outbox, a1, b1 } = three();
    expect(outbox.due(at(10), 10).map((e) => e.id)).toEqual([a1.id, b1.id]);
  });

  it('a claimed event is leased: not due again until the lease ends, and its attempt is counted', () => {
    const { outbox, a1, a2 } = three();
    const claimed = outbox.claim(a1.id, at(10), at(5_000))!;
    expect(claimed.attempts).toBe(1);
    expect(outbox.claim(a1.id, at(11), at(5_000))).toBeUndefined();
    expect(outbox.due(at(20), 10).map((e) => e.id)).not.toContain(a1.id);
    // The stream stays blocked behind its first event while that one is in flight.
    expect(outbox.due(at(20), 10).map((e) => e.id)).not.toContain(a2.id);
    expect(outbox.due(at(5_000), 10).map((e) => e.id)).toContain(a1.id);
  });

  it('delivering the head releases the next event of its stream', () => {
    const { outbox, a1, a2 } = three();
    outbox.claim(a1.id, at(10), at(100));
    outbox.markDelivered(a1.id, at(20));
    expect(outbox.get(a1.id)!.status).toBe('delivered');
    expect(outbox.due(at(20), 10).map((e) => e.id)).toContain(a2.id);
  });

  it('a retry waits for its time; nextDueAt reports the earliest head', () => {
    const { outbox, a1, b1 } = three();
    outbox.claim(a1.id, at(10), at(100));
    outbox.markRetry(a1.id, 'The IDPRS answered HTTP 503.', at(60_000));
    outbox.claim(b1.id, at(10), at(100));
    outbox.markRetry(b1.id, 'The IDPRS answered HTTP 503.', at(30_000));
    expect(outbox.due(at(29_999), 10)).toEqual([]);
    expect(outbox.nextDueAt()).toBe(at(30_000).toISOString());
    expect(outbox.get(a1.id)).toMatchObject({ lastError: 'The IDPRS answered HTTP 503.', attempts: 1, status: 'pending' });
  });

  it('a dead letter unblocks its stream, is listed, and can be redelivered (one or all)', () => {
    const { outbox, a1, a2, b1 } = three();
    outbox.claim(a1.id, at(10), at(100));
    outbox.markDead(a1.id, 'The IDPRS answered HTTP 400.', at(20));
    expect(outbox.list({ status: 'dead' }).map((e) => e.id)).toEqual([a1.id]);
    expect(outbox.due(at(20), 10).map((e) => e.id)).toEqual(expect.arrayContaining([a2.id, b1.id]));
    expect(outbox.counts()).toEqual({ pending: 2, delivered: 0, dead: 1 });

    const back = outbox.redeliver(a1.id, at(30));
    expect(back).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: at(30).toISOString() });
    // Back in its stream, before a2 again.
    expect(outbox.due(at(30), 10).map((e) => e.id)).toEqual([b1.id, a1.id]);
    expect(outbox.due(at(30), 10).map((e) => e.id)).not.toContain(a2.id);

    expect(() => outbox.redeliver(a1.id, at(40))).toThrow(/only a dead letter/);
    expect(() => outbox.redeliver('nope', at(40))).toThrow(/no notification/);
    outbox.markDead(a1.id, 'x', at(50));
    outbox.markDead(b1.id, 'x', at(50));
    expect(outbox.redeliverAllDead(at(60))).toBe(2);
    expect(outbox.list({ status: 'dead' })).toEqual([]);
  });
});
