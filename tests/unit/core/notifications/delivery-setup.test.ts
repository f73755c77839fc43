/**
 * Delivery set-up on the Notifications screen (issue 12, observation 3): a
 * station without the IDPRS endpoint or the shared secret says so and what to
 * set, through outbox.list; once both are set it says nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deliverySetup } from '../../../../electron/core/notifications/delivery-setup.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const NOTIFICATIONS = { url: 'https://idprs.example.test/events' };

describe('deliverySetup', () => {
  it('names every missing half in the order they are set up', () => {
    const none = deliverySetup(undefined, false);
    expect(none).toMatchObject({ configured: false, missing: ['url', 'secret'] });
    expect(none.sentence).toMatch(/^Delivery to the identity registration system \(IDPRS\) is not configured: set "notifications": \{ "url": … \} \(the IDPRS endpoint\) in the station's config\.json, then set the secret shared with the IDPRS with `station outbox secret set`/);
    expect(deliverySetup(undefined, true)).toMatchObject({ configured: false, missing: ['url'] });
    const noSecret = deliverySetup({ ...NOTIFICATIONS } as never, false);
    expect(noSecret.missing).toEqual(['secret']);
    expect(noSecret.sentence).not.toContain('config.json');
  });

  it('is configured when the endpoint and the secret are both set', () => {
    expect(deliverySetup({ ...NOTIFICATIONS } as never, true)).toEqual({ configured: true, missing: [], sentence: null });
  });
});

describe('outbox.list delivery', () => {
  async function listDelivery(): Promise<{ configured: boolean; missing: string[]; sentence: string | null }> {
    const r = await t!.station.core().dispatch('outbox.list', { status: 'pending' });
    if (!r.ok) throw new Error(r.error.message);
    return (r.value as { delivery: { configured: boolean; missing: string[]; sentence: string | null } }).delivery;
  }

  it('says delivery is not configured on a default station', async () => {
    t = await openTrainingStation();
    await t.login();
    expect(await listDelivery()).toMatchObject({ configured: false, missing: ['url', 'secret'] });
  });

  it('follows the configuration and the sealed secret', async () => {
    t = await openTrainingStation({}, { config: { notifications: NOTIFICATIONS } });
    await t.login();
    expect(await listDelivery()).toMatchObject({ configured: false, missing: ['secret'] });
    const set = await t.station.core().dispatch('outbox.setSecret', { secret: 'a shared secret of enough length' });
    expect(set.ok, JSON.stringify(set)).toBe(true);
    expect(await listDelivery()).toEqual({ configured: true, missing: [], sentence: null });
  });
});
