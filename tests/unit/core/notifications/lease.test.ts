/**
 * One delivery worker per data dir (issue 5, lease.ts): two workers on two
 * connections of one station database (as two processes would be) never
 * deliver at the same time; a stopped worker hands over at once, a killed one
 * once its lease has run out, and nothing is lost or sent twice on the way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_DELIVERY_POLICY } from '../../../../electron/core/notifications/config.js';
import { deliveryLease, leaseTtlMs } from '../../../../electron/core/notifications/lease.js';
import { outboxRepository, recordNotification, type OutboxEvent } from '../../../../electron/core/notifications/outbox.js';
import type { NotificationSink } from '../../../../electron/core/notifications/sink.js';
import { DeliveryWorker, type WorkerTimers } from '../../../../electron/core/notifications/worker.js';
import { openStore, type StationStore } from '../../../../electron/core/store/store.js';
import { openDatabase } from '../../../../native/sqlite.js';
import { ADA } from '../store/helpers.js';

const T0 = Date.parse('2025-03-01T10:00:00.000Z');
const TTL_MS = 15_000;

let dir: string | undefined;
const stores: StationStore[] = [];
afterEach(() => {
  stores.splice(0).forEach((s) => s.db.close());
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Two stores on one database file: what the host and `station outbox deliver` each open. */
function twoConnections(): [StationStore, StationStore] {
  dir = mkdtempSync(join(tmpdir(), 'lease-'));
  const path = join(dir, 'station.sqlite');
  const a = openStore(openDatabase(path));
  const b = openStore(openDatabase(path));
  stores.push(a, b);
  return [a, b];
}

/** A clock both workers share, moved by the test. */
function sharedClock(): WorkerTimers & { advance(ms: number): void } {
  let t = T0;
  return { now: () => new Date(t), sleep: async () => {}, random: () => 0, advance: (ms) => void (t += ms) };
}

function recordingSink(): NotificationSink & { ids: string[] } {
  const sink = {
    ids: [] as string[],
    async deliver(e: OutboxEvent) {
      sink.ids.push(e.id);
    },
  };
  return sink;
}

describe('deliveryLease', () => {
  it('is held by one worker until it expires or is released', () => {
    const [a, b] = twoConnections();
    const first = deliveryLease(a.db, TTL_MS, 'worker A');
    const second = deliveryLease(b.db, TTL_MS, 'worker B');
    expect(first.acquire(new Date(T0))).toBe(true);
    expect(second.acquire(new Date(T0 + 1_000))).toBe(false);
    // Renewal moves the expiry on: B still waits after the first expiry time.
    expect(first.acquire(new Date(T0 + 10_000))).toBe(true);
    expect(second.acquire(new Date(T0 + TTL_MS + 1_000))).toBe(false);
    expect(second.current()).toEqual({ holder: 'worker A', expiresAt: new Date(T0 + 10_000 + TTL_MS).toISOString() });
    // A killed holder renews no more: B takes over when the lease has run out.
    expect(second.acquire(new Date(T0 + 10_000 + TTL_MS))).toBe(true);
    expect(first.acquire(new Date(T0 + 10_000 + TTL_MS + 1))).toBe(false);
    // Release by someone else's lease changes nothing; release by the holder frees it at once.
    first.release();
    expect(second.current()?.holder).toBe('worker B');
    second.release();
    expect(first.current()).toBeUndefined();
    expect(first.acquire(new Date(T0 + 10_000 + TTL_MS + 2))).toBe(true);
  });

  it('lasts longer than a holder needs between two passes', () => {
    const ttl = leaseTtlMs(DEFAULT_DELIVERY_POLICY);
    expect(ttl).toBeGreaterThan(DEFAULT_DELIVERY_POLICY.pollIntervalMs + DEFAULT_DELIVERY_POLICY.requestTimeoutMs);
  });
});

describe('two delivery workers on one data dir', () => {
  function setup() {
    const [a, b] = twoConnections();
    const ada = a.persons.add(ADA);
    a.transaction(() => {
      for (let i = 0; i < 6; i++) recordNotification(a, { type: i % 2 ? 'card.suspended' : 'card.resumed', personId: ada.id }, new Date(T0));
    });
    const timers = sharedClock();
    const policy = { ...DEFAULT_DELIVERY_POLICY, concurrency: 4 };
    const sinkA = recordingSink();
    const sinkB = recordingSink();
    const workerA = new DeliveryWorker({ outbox: outboxRepository(a.db), sink: sinkA, policy, timers, lease: deliveryLease(a.db, TTL_MS, 'A') });
    const workerB = new DeliveryWorker({ outbox: outboxRepository(b.db), sink: sinkB, policy, timers, lease: deliveryLease(b.db, TTL_MS, 'B') });
    return { a, timers, sinkA, sinkB, workerA, workerB };
  }

  it('only the lease holder delivers; passes of the other send nothing', async () => {
    const { a, sinkA, sinkB, workerA, workerB } = setup();
    for (let i = 0; i < 6; i++) {
      await workerA.deliverDue();
      expect(await workerB.deliverDue()).toEqual([]);
    }
    expect(sinkB.ids).toEqual([]);
    expect(sinkA.ids).toHaveLength(6);
    expect(new Set(sinkA.ids).size).toBe(6);
    expect(outboxRepository(a.db).counts()).toEqual({ pending: 0, delivered: 6, dead: 0 });
  });

  it('a killed holder is replaced once its lease runs out; a stopped one at once', async () => {
    const { a, timers, sinkA, sinkB, workerA, workerB } = setup();
    await workerA.deliverDue();
    // A is killed here: it never renews nor releases. B waits for the lease to run out.
    timers.advance(TTL_MS - 1);
    expect(await workerB.deliverDue()).toEqual([]);
    timers.advance(1);
    expect((await workerB.deliverDue()).map((o) => o.result)).toEqual(['delivered']);
    // B stops cleanly: A (restarted) delivers at once.
    await workerB.stop();
    for (let i = 0; i < 4; i++) await workerA.deliverDue();
    expect([...sinkA.ids, ...sinkB.ids]).toHaveLength(6);
    expect(new Set([...sinkA.ids, ...sinkB.ids]).size).toBe(6);
    expect(outboxRepository(a.db).counts()).toEqual({ pending: 0, delivered: 6, dead: 0 });
  });

  it('the loop of a worker without the lease waits a poll interval, it does not spin on due events', async () => {
    const { workerA, sinkB } = setup();
    await workerA.deliverDue(); // A holds the lease; events stay due for B
    const [, b] = stores;
    const waits: number[] = [];
    const policy = { ...DEFAULT_DELIVERY_POLICY, pollIntervalMs: 2_000 };
    let stopLoop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => (stopLoop = resolve));
    const timers: WorkerTimers = {
      now: () => new Date(T0 + 1_000),
      random: () => 0,
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length === 3) stopLoop();
      },
    };
    const loopB = new DeliveryWorker({ outbox: outboxRepository(b!.db), sink: sinkB, policy, timers, lease: deliveryLease(b!.db, TTL_MS, 'B2') });
    loopB.start();
    await stopped;
    await loopB.stop();
    expect(waits.slice(0, 3)).toEqual([2_000, 2_000, 2_000]);
    expect(sinkB.ids).toEqual([]);
  });
});
