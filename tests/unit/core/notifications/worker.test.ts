import { describe, expect, it } from 'vitest';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from '../../../../electron/core/notifications/config.js';
import { outboxRepository, recordNotification, type OutboxEvent } from '../../../../electron/core/notifications/outbox.js';
import { DeliveryFailure, type NotificationSink } from '../../../../electron/core/notifications/sink.js';
import { DeliveryWorker, SYSTEM_TIMERS, type WorkerTimers } from '../../../../electron/core/notifications/worker.js';
import { ADA, memoryStore, sampleCard } from '../store/helpers.js';

const T0 = Date.parse('2025-03-01T10:00:00.000Z');

/** A clock the test moves; sleeping is never used by deliverDue. */
function manualTimers(): WorkerTimers & { advance(ms: number): void } {
  let t = T0;
  return { now: () => new Date(t), sleep: async () => {}, random: () => 0, advance: (ms) => void (t += ms) };
}

/** A sink answering from a script keyed by event type and attempt number; records every call. */
function scriptedSink(script: Record<string, (attempt: number) => void> = {}): NotificationSink & { calls: string[]; delivered: string[] } {
  const attempts = new Map<string, number>();
  const sink = {
    calls: [] as string[],
    delivered: [] as string[],
    async deliver(e: OutboxEvent) {
      const n = (attempts.get(e.id) ?? 0) + 1;
      attempts.set(e.id, n);
      sink.calls.push(e.type);
      script[e.type]?.(n);
      sink.delivered.push(e.type);
    },
  };
  return sink;
}

function setup(policy: Partial<DeliveryPolicy> = {}, script: Record<string, (attempt: number) => void> = {}) {
  const store = memoryStore();
  const ada = store.persons.add(ADA);
  const bob = store.persons.add({ ...ADA, givenName: 'Bob', employeeId: 'E-2000' });
  const card = store.cards.create(sampleCard(ada.id, { status: 'produced' }));
  const timers = manualTimers();
  store.transaction(() => {
    recordNotification(store, { type: 'card.produced', personId: ada.id, cardId: card.id }, new Date(T0));
    recordNotification(store, { type: 'request.created', personId: bob.id }, new Date(T0));
    recordNotification(store, { type: 'card.cancelled', personId: ada.id, cardId: card.id }, new Date(T0));
  });
  const outbox = outboxRepository(store.db);
  const sink = scriptedSink(script);
  const full = { ...DEFAULT_DELIVERY_POLICY, baseDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 4, requestTimeoutMs: 5_000, ...policy };
  const worker = new DeliveryWorker({ outbox, sink, policy: full, timers });
  return { store, outbox, sink, timers, worker };
}

const temporary = () => {
  throw new DeliveryFailure('The IDPRS answered HTTP 503.', false);
};

describe('DeliveryWorker', () => {
  it('delivers every event once, each stream in order', async () => {
    const { worker, sink, outbox } = setup();
    await worker.deliverDue();
    await worker.deliverDue();
    expect(await worker.deliverDue()).toEqual([]);
    expect(sink.delivered).toEqual(['card.produced', 'request.created', 'card.cancelled']);
    expect(outbox.counts()).toEqual({ pending: 0, delivered: 3, dead: 0 });
  });

  it('holds a stream behind a failing event, retries it after the back-off, other streams go on', async () => {
    const { worker, sink, timers, outbox } = setup({}, { 'card.produced': (n) => (n <= 2 ? temporary() : undefined) });
    const first = await worker.deliverDue();
    expect(first.map((o) => [o.type, o.result])).toEqual([
      ['card.produced', 'retry'],
      ['request.created', 'delivered'],
    ]);
    // random() = 0: the nominal delay, base·2^(attempts−1) = 1 s.
    expect(first[0]!.retryAt).toBe(new Date(T0 + 1_000).toISOString());
    expect(await worker.deliverDue()).toEqual([]);
    timers.advance(1_000);
    expect((await worker.deliverDue()).map((o) => [o.type, o.result, o.retryAt])).toEqual([['card.produced', 'retry', new Date(T0 + 1_000 + 2_000).toISOString()]]);
    timers.advance(2_000);
    expect((await worker.deliverDue()).map((o) => [o.type, o.result])).toEqual([['card.produced', 'delivered']]);
    await worker.deliverDue();
    expect(sink.delivered).toEqual(['request.created', 'card.produced', 'card.cancelled']);
    expect(outbox.list({ status: 'delivered' }).find((e) => e.type === 'card.produced')!.attempts).toBe(3);
  });

  it('gives up after maxAttempts: a dead letter with the reason, and the stream moves on', async () => {
    const { worker, sink, timers, outbox } = setup({ maxAttempts: 3 }, { 'card.produced': temporary });
    for (let i = 0; i < 3; i++) {
      await worker.deliverDue();
      timers.advance(10_000);
    }
    const [dead] = outbox.list({ status: 'dead' });
    expect(dead).toMatchObject({ type: 'card.produced', attempts: 3, lastError: 'The IDPRS answered HTTP 503. Gave up after 3 attempts.' });
    await worker.deliverDue();
    expect(sink.delivered).toEqual(['request.created', 'card.cancelled']);
  });

  it('a permanent refusal is a dead letter at once; redelivered, it is sent again', async () => {
    let refuse = true;
    const { worker, sink, outbox, timers } = setup({}, {
      'request.created': () => {
        if (refuse) throw new DeliveryFailure('The IDPRS answered HTTP 400.', true);
      },
    });
    await worker.deliverDue();
    expect(outbox.list({ status: 'dead' })).toMatchObject([{ type: 'request.created', attempts: 1 }]);
    refuse = false;
    outbox.redeliver(outbox.list({ status: 'dead' })[0]!.id, timers.now());
    await worker.deliverDue();
    await worker.deliverDue();
    expect(sink.delivered[0]).toBe('card.produced');
    expect(sink.delivered.slice(1).sort()).toEqual(['card.cancelled', 'request.created']);
    expect(outbox.counts()).toEqual({ pending: 0, delivered: 3, dead: 0 });
  });

  it('waits at least the Retry-After the receiver asked for (within the cap)', async () => {
    const { worker } = setup({}, {
      'card.produced': () => {
        throw new DeliveryFailure('The IDPRS answered HTTP 429.', false, 6_000);
      },
    });
    const [o] = await worker.deliverDue();
    expect(o!.retryAt).toBe(new Date(T0 + 6_000).toISOString());
  });

  it('an attempt cut by a crash is sent again by the next worker once its lease ends', async () => {
    const { store, outbox, timers } = setup();
    // The first worker claims the events and dies before any answer.
    const hung: NotificationSink = { deliver: () => new Promise<void>(() => {}) };
    void new DeliveryWorker({ outbox, sink: hung, policy: { ...DEFAULT_DELIVERY_POLICY, requestTimeoutMs: 5_000 }, timers }).deliverDue();
    expect(outbox.list({ status: 'pending' }).filter((e) => e.attempts === 1)).toHaveLength(2);
    const sink = scriptedSink();
    const second = new DeliveryWorker({ outbox, sink, policy: DEFAULT_DELIVERY_POLICY, timers });
    expect(await second.deliverDue()).toEqual([]);
    timers.advance(6_000);
    await second.deliverDue();
    await second.deliverDue();
    expect(sink.delivered.sort()).toEqual(['card.cancelled', 'card.produced', 'request.created']);
    expect(outbox.get(outbox.list({ status: 'delivered' }).find((e) => e.type === 'card.produced')!.id)!.attempts).toBe(2);
    store.db.close();
  });

  it('an error not raised as DeliveryFailure counts as temporary', async () => {
    const { worker } = setup({}, {
      'card.produced': () => {
        throw new TypeError('socket hang up');
      },
    });
    const [o] = await worker.deliverDue();
    expect(o).toMatchObject({ result: 'retry', error: 'The notification could not be sent.' });
  });

  it('the loop (real timers) delivers what is recorded later when woken, and stops', async () => {
    const { store, outbox, sink } = setup();
    const worker = new DeliveryWorker({ outbox, sink, policy: { ...DEFAULT_DELIVERY_POLICY, pollIntervalMs: 60_000 }, timers: SYSTEM_TIMERS });
    worker.start();
    await waitFor(() => sink.delivered.length === 3);
    const person = (store.db.prepare('SELECT id FROM persons LIMIT 1').get() as { id: string }).id;
    store.transaction(() => recordNotification(store, { type: 'request.created', personId: person }));
    worker.wake();
    await waitFor(() => sink.delivered.length === 4);
    await worker.stop();
    expect(outbox.counts()).toEqual({ pending: 0, delivered: 4, dead: 0 });
  });

  it('a request cut by stop() leaves its event pending and due at once, even on its last attempt', async () => {
    const store = memoryStore();
    const ada = store.persons.add(ADA);
    const event = store.transaction(() => recordNotification(store, { type: 'request.created', personId: ada.id }));
    const outbox = outboxRepository(store.db);
    let started = false;
    const sink: NotificationSink = {
      deliver: (_e, signal) =>
        new Promise<void>((_resolve, reject) => {
          started = true;
          signal?.addEventListener('abort', () => reject(new DeliveryFailure('The IDPRS could not be reached (AbortError).', false)), { once: true });
        }),
    };
    const worker = new DeliveryWorker({ outbox, sink, policy: { ...DEFAULT_DELIVERY_POLICY, maxAttempts: 1 }, timers: SYSTEM_TIMERS });
    worker.start();
    await waitFor(() => started);
    await worker.stop();
    expect(outbox.get(event.id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'The delivery stopped before the IDPRS answered.' });
    expect(outbox.due(new Date(), 10).map((e) => e.id)).toEqual([event.id]);
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}
