/**
 * The delivery worker of a station: the configured IDPRS endpoint, the sealed
 * shared secret and the store's outbox put together. Any face that runs
 * delivery (`station outbox deliver`, the Electron shell, the browser host)
 * builds its worker here.
 */
import { StationError } from '../errors.js';
import type { StationConfig } from '../config/station-config.js';
import type { SecretBox } from '../pki/secret-box.js';
import type { StationStore } from '../store/store.js';
import { HttpNotificationSink } from './http-sink.js';
import { deliveryLease, leaseTtlMs } from './lease.js';
import { outboxRepository } from './outbox.js';
import { loadNotificationSecret } from './secret.js';
import { DeliveryWorker, type DeliveryWorkerOptions } from './worker.js';

/** Environment variable `station outbox secret set` reads the shared secret from. */
export const NOTIFY_SECRET_ENV = 'STATION_NOTIFY_SECRET';

/**
 * A worker delivering the station's outbox to `config.notifications.url` (not
 * started). It sends only while it holds the data dir's delivery lease
 * (lease.ts), so the faces and `station outbox deliver` never deliver at once.
 * @param deps   the store, the keyring's box (opens the secret), the configuration
 * @param extra  progress and error callbacks, timers (tests)
 * @throws StationError INVALID_INPUT when notifications.url or the secret is not set; SECRETS_LOCKED when the secret cannot be opened
 */
export function createStationDeliveryWorker(
  deps: { store: StationStore; box: SecretBox; config: StationConfig },
  extra: Pick<DeliveryWorkerOptions, 'onOutcome' | 'onError' | 'timers'> = {},
): DeliveryWorker {
  const config = deps.config.notifications;
  if (!config) throw new StationError('INVALID_INPUT', 'Set notifications.url (the IDPRS endpoint) in config.json first.', { field: 'notifications.url' });
  const secret = loadNotificationSecret(deps.store, deps.box);
  if (!secret) throw new StationError('INVALID_INPUT', `Set the notification secret first: station outbox secret set (from ${NOTIFY_SECRET_ENV}).`, { field: 'secret' });
  return new DeliveryWorker({
    outbox: outboxRepository(deps.store.db),
    sink: new HttpNotificationSink({ url: config.url, secret, timeoutMs: config.requestTimeoutMs, now: extra.timers?.now }),
    policy: config,
    lease: deliveryLease(deps.store.db, leaseTtlMs(config)),
    ...extra,
  });
}
