/**
 * Delivery inside a running station (electron/boot/notification-delivery.ts,
 * used by the browser host and the Electron shell): started only when
 * notifications are configured, delivers a change to the IDPRS without
 * `station outbox deliver`, logs failures without the secret or the payload,
 * and gives the delivery lease up when stopped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startNotificationDelivery, type RunningDelivery } from '../../../electron/boot/notification-delivery.js';
import { setNotificationSecret } from '../../../electron/core/notifications/secret.js';
import { deliveryLease } from '../../../electron/core/notifications/lease.js';
import { startIdprsReceiver, type IdprsReceiver } from '../../support/idprs-receiver.js';
import { openTrainingStation, type TrainingStation } from '../../support/training-station.js';

const SECRET = 'boot delivery unit test secret';

let t: TrainingStation | undefined;
let receiver: IdprsReceiver | undefined;
let delivery: RunningDelivery | undefined;
afterEach(async () => {
  await delivery?.stop();
  await t?.close();
  await receiver?.close();
  t = receiver = delivery = undefined;
});

/** A training station whose config.json points notifications at the test receiver (fast polling). */
async function configuredStation(withSecret = true): Promise<TrainingStation> {
  receiver = await startIdprsReceiver(new TextEncoder().encode(SECRET));
  t = await openTrainingStation({}, { config: { notifications: { url: receiver.url, pollIntervalMs: 50, baseDelayMs: 10, maxAttempts: 1 } } });
  if (withSecret) setNotificationSecret(t.station.store, t.station.keyring.box, SECRET);
  await t.login();
  return t;
}

async function createRequest(ts: TrainingStation): Promise<string> {
  const r = await ts.station.core().dispatch('requests.create', { personId: ts.addPerson(), profile: 'employee' });
  if (!r.ok) throw new Error(r.error.message);
  return (r.value as { id: string }).id;
}

describe('startNotificationDelivery', () => {
  it('does nothing on a station without notifications', async () => {
    t = await openTrainingStation();
    const lines: string[] = [];
    expect(startNotificationDelivery(t.station, (l) => lines.push(l))).toBeUndefined();
    expect(lines).toEqual([]);
  });

  it('without the shared secret: says how to set it, the station runs on and keeps the event', async () => {
    const ts = await configuredStation(false);
    const lines: string[] = [];
    expect(startNotificationDelivery(ts.station, (l) => lines.push(l))).toBeUndefined();
    expect(lines).toEqual([expect.stringMatching(/notifications are not delivered: .*outbox secret set/)]);
    await createRequest(ts);
    const pending = await ts.station.core().dispatch('outbox.list', { status: 'pending' });
    expect(pending.ok && (pending.value as { total: number }).total).toBe(1);
  });

  it('delivers a change as it happens, and releases the lease when stopped', async () => {
    const ts = await configuredStation();
    const lines: string[] = [];
    delivery = startNotificationDelivery(ts.station, (l) => lines.push(l));
    expect(delivery).toBeDefined();
    const requestId = await createRequest(ts);
    await receiver!.waitForEvents(1, 10_000);
    expect(receiver!.events[0]).toMatchObject({ type: 'request.created', request: { id: requestId } });
    expect(receiver!.posts.every((p) => p.signature === 'ok')).toBe(true);
    const lease = deliveryLease(ts.station.store.db, 1_000, 'observer');
    expect(lease.current()?.holder).toMatch(/^pid \d+ /);
    await delivery!.stop();
    delivery = undefined;
    expect(lease.current()).toBeUndefined();
    // The stop may cut the answer to the delivered event: then it stays pending (the receiver drops the repeat), never dead.
    expect(lines.filter((l) => !l.includes('The delivery stopped before the IDPRS answered.'))).toEqual([]);
    const dead = await ts.station.core().dispatch('outbox.list', { status: 'dead' });
    expect(dead.ok && (dead.value as { total: number }).total).toBe(0);
  });

  it('logs a refused event as a dead letter, with neither the secret nor the payload', async () => {
    const ts = await configuredStation();
    receiver!.mode = 'reject';
    const lines: string[] = [];
    delivery = startNotificationDelivery(ts.station, (l) => lines.push(l));
    await createRequest(ts);
    await expect.poll(() => lines.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/^notification request\.created person:\S+ #1 \(attempt 1\) not delivered: The IDPRS answered HTTP 400\. .*Now a dead letter\.$/);
    expect(lines.join('\n')).not.toContain(SECRET);
    expect(lines.join('\n')).not.toMatch(/Dana|employee/);
    const dead = await ts.station.core().dispatch('outbox.list', { status: 'dead' });
    expect(dead.ok && (dead.value as { total: number }).total).toBe(1);
  });
});
