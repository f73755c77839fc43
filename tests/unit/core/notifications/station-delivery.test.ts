import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseStationConfig } from '../../../../electron/core/config/station-config.js';
import { recordNotification } from '../../../../electron/core/notifications/outbox.js';
import { setNotificationSecret } from '../../../../electron/core/notifications/secret.js';
import { createStationDeliveryWorker } from '../../../../electron/core/notifications/station-delivery.js';
import { createSecretBox } from '../../../../electron/core/pki/secret-box.js';
import { startIdprsReceiver, type IdprsReceiver } from '../../../support/idprs-receiver.js';
import { ADA, memoryStore } from '../store/helpers.js';

const SECRET = 'station delivery unit test secret';
let receiver: IdprsReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('createStationDeliveryWorker', () => {
  it('needs notifications.url and the sealed secret', () => {
    const store = memoryStore();
    const box = createSecretBox(randomBytes(32), true);
    expect(() => createStationDeliveryWorker({ store, box, config: DEFAULT_CONFIG })).toThrow(/notifications\.url/);
    const config = parseStationConfig({ ...DEFAULT_CONFIG, notifications: { url: 'http://127.0.0.1:9/x' } });
    expect(() => createStationDeliveryWorker({ store, box, config })).toThrow(/outbox secret set/);
  });

  it('delivers the outbox to the configured URL, signed with the sealed secret', async () => {
    receiver = await startIdprsReceiver(new TextEncoder().encode(SECRET));
    const store = memoryStore();
    const box = createSecretBox(randomBytes(32), true);
    setNotificationSecret(store, box, SECRET);
    const ada = store.persons.add(ADA);
    const e = store.transaction(() => recordNotification(store, { type: 'request.created', personId: ada.id }));
    const config = parseStationConfig({ ...DEFAULT_CONFIG, notifications: { url: receiver.url } });
    const outcomes = await createStationDeliveryWorker({ store, box, config }).deliverDue();
    expect(outcomes.map((o) => o.result)).toEqual(['delivered']);
    expect(receiver.posts).toEqual([{ eventId: e.id, signature: 'ok', duplicate: false, status: 200 }]);
  });
});
