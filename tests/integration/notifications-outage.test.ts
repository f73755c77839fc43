/**
 * Notifications through an unreliable IDPRS (issue 5 "Tests"): a real HTTP
 * receiver on 127.0.0.1 that is down, then slow, then answers errors, then
 * comes back, while the station keeps recording changes. Afterwards every
 * event has arrived exactly once after deduplication, each person's stream
 * (hence each card) in order, every POST HMAC-verified. Real timers, short
 * back-off; no assertion on time.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { HttpNotificationSink } from '../../electron/core/notifications/http-sink.js';
import { outboxRepository } from '../../electron/core/notifications/outbox.js';
import { DEFAULT_DELIVERY_POLICY } from '../../electron/core/notifications/config.js';
import { DeliveryWorker, type DeliveryOutcome } from '../../electron/core/notifications/worker.js';
import type { Caller } from '../../electron/core/workflow/types.js';
import { orderViolations, startIdprsReceiver, type IdprsReceiver } from '../support/idprs-receiver.js';
import { openTrainingStation, type TrainingStation } from '../support/training-station.js';

const SECRET = new TextEncoder().encode('outage test secret shared with the IDPRS');
const PASSWORD = 'a long enough passphrase';

let ts: TrainingStation | undefined;
let receiver: IdprsReceiver | undefined;
let worker: DeliveryWorker | undefined;
afterEach(async () => {
  await worker?.stop();
  await receiver?.close();
  await ts?.close();
  worker = receiver = ts = undefined;
});

async function until(what: string, cond: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('notifications through a receiver outage', () => {
  test('down → slow → errors → back: every event exactly once after dedup, in order per stream, HMAC verified', async () => {
    ts = await openTrainingStation();
    const { store, requests, officers } = ts.station;
    const admin = await officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, { kind: 'anonymous' });
    const asAdmin: Caller = { kind: 'officer', officer: admin, sessionId: 'setup' };
    const mk = async (username: string, roles: ('registration' | 'approver')[]): Promise<Caller> => ({
      kind: 'officer',
      officer: await officers.add({ username, displayName: username, password: PASSWORD, roles }, asAdmin),
      sessionId: username,
    });
    const registrar = await mk('registrar', ['registration']);
    const approver = await mk('approver', ['approver']);
    /** Four events per person: employee request created and rejected, visitor request created and approved (card). */
    const changes = (n: number) => {
      for (let i = 0; i < n; i++) {
        const personId = ts!.addPerson();
        const r = requests.create({ personId, profile: 'employee' }, registrar);
        requests.reject(r.id, 'Sponsor letter missing.', approver);
        // A visitor card for an employee needs an approver (the rule book).
        requests.approve(requests.create({ personId, profile: 'visitor' }, registrar).id, approver);
      }
    };

    receiver = await startIdprsReceiver(SECRET);
    const outbox = outboxRepository(store.db);
    const outcomes: DeliveryOutcome[] = [];
    const policy = { ...DEFAULT_DELIVERY_POLICY, baseDelayMs: 20, maxDelayMs: 200, requestTimeoutMs: 300, pollIntervalMs: 50, maxAttempts: 10_000, concurrency: 3 };
    worker = new DeliveryWorker({ outbox, sink: new HttpNotificationSink({ url: receiver.url, secret: SECRET, timeoutMs: policy.requestTimeoutMs }), policy, onOutcome: (o) => outcomes.push(o) });

    // Down: connections refused; the worker backs off, nothing is lost.
    await receiver.down();
    changes(4);
    worker.start();
    await until('refused attempts', () => outcomes.filter((o) => o.result === 'retry').length >= 6);
    changes(2);

    // Slow: the receiver processes each POST but answers after the station's timeout, so the station retries what already arrived.
    await receiver.up();
    receiver.mode = 'slow';
    receiver.slowMs = 600;
    await until('slow answers', () => receiver!.posts.filter((p) => p.duplicate).length >= 2);

    // Errors: 503 for a while.
    receiver.mode = 'error';
    const errorsFrom = receiver.posts.length;
    changes(2);
    await until('503 answers', () => receiver!.posts.slice(errorsFrom).filter((p) => p.status === 503).length >= 4);

    // Back.
    receiver.mode = 'up';
    changes(2);
    const total = 10 * 4;
    await until('all events', () => outbox.counts().delivered === total);

    expect(outbox.counts()).toEqual({ pending: 0, delivered: total, dead: 0 });
    expect(receiver.events).toHaveLength(total);
    expect(new Set(receiver.events.map((e) => e.id))).toEqual(new Set(outbox.list().map((e) => e.id)));
    expect(receiver.posts.every((p) => p.signature === 'ok')).toBe(true);
    // The outage really happened: refused connections, duplicates from timeouts, 503s.
    expect(outcomes.some((o) => o.error?.startsWith('The IDPRS could not be reached'))).toBe(true);
    expect(outcomes.some((o) => o.error?.startsWith('The IDPRS did not answer within'))).toBe(true);
    expect(receiver.posts.some((p) => p.duplicate)).toBe(true);
    expect(receiver.posts.some((p) => p.status === 503)).toBe(true);
    expect(orderViolations(receiver.events)).toEqual([]);
    // Per person: created, rejected, created, approved.
    const first = receiver.events.filter((e) => e.stream === receiver!.events[0]!.stream).map((e) => e.type);
    expect(first).toEqual(['request.created', 'request.rejected', 'request.created', 'request.approved']);
  });
});
