/**
 * Notification delivery inside a running station (issue 5: "nothing is lost
 * across a station restart or a receiver outage"): the browser host and the
 * Electron shell start the outbox's delivery worker when config.json has
 * `notifications`, and stop it on shutdown. The worker holds the data dir's
 * delivery lease while it sends, so a `station outbox deliver` running beside
 * the station never delivers at the same time.
 */
import type { Station } from './open-station.js';
import { toStationError } from '../core/errors.js';
import { createStationDeliveryWorker } from '../core/notifications/station-delivery.js';

/** Environment variable `station outbox secret set` reads the shared secret from. */
export { NOTIFY_SECRET_ENV } from '../core/notifications/station-delivery.js';
import type { DeliveryOutcome, WorkerTimers } from '../core/notifications/worker.js';

/** A delivery worker running in the station. */
export interface RunningDelivery {
  /** Stops the worker: in-flight requests are aborted (their events stay pending), the lease is given up. */
  stop(): Promise<void>;
}

/** A delivery worker started on its own (`station outbox deliver`). */
export interface RunningOutboxDelivery extends RunningDelivery {
  /** The IDPRS endpoint it delivers to. */
  url: string;
}

/**
 * Starts delivering the outbox on its own, every outcome reported (`station outbox deliver`).
 * @throws StationError INVALID_INPUT when notifications.url or the shared secret is not set; SECRETS_LOCKED
 */
export function startOutboxDelivery(
  station: Pick<Station, 'store' | 'keyring' | 'config'>,
  report: { onOutcome(o: DeliveryOutcome): void; onError(e: unknown): void },
): RunningOutboxDelivery {
  const worker = createStationDeliveryWorker({ store: station.store, box: station.keyring.box, config: station.config }, report);
  worker.start();
  return { url: station.config.notifications!.url, stop: () => worker.stop() };
}

/** Events after which the outbox likely holds something new: the worker looks at once instead of at its next poll. */
const WAKING_EVENTS = ['request.changed', 'job.event'] as const;

/** One log line about an attempt that failed: type, stream position, attempts, the sink's sentence (never a secret or the payload). */
export function deliveryLogLine(o: DeliveryOutcome): string {
  const next = o.result === 'retry' ? `Next attempt ${o.retryAt}.` : 'Now a dead letter.';
  return `notification ${o.type} ${o.stream} #${o.seq} (attempt ${o.attempts}) not delivered: ${o.error ?? 'unknown failure.'} ${next}`;
}

/**
 * Starts delivering the station's outbox when notifications are configured.
 *
 * @param station the opened station (its store, keyring box, config and core)
 * @param log     receives one line per failed attempt or problem (no secrets, no payloads)
 * @param timers  clock and sleep (tests)
 * @returns the running worker, or undefined when config.json has no `notifications`
 *   or the shared secret is not set (logged: the station runs on, the outbox keeps
 *   every event until delivery starts)
 */
export function startNotificationDelivery(
  station: Pick<Station, 'store' | 'keyring' | 'config' | 'core'>,
  log: (line: string) => void,
  timers?: WorkerTimers,
): RunningDelivery | undefined {
  if (!station.config.notifications) return undefined;
  let worker;
  try {
    worker = createStationDeliveryWorker(
      { store: station.store, box: station.keyring.box, config: station.config },
      {
        timers,
        onOutcome: (o) => {
          if (o.result !== 'delivered') log(deliveryLogLine(o));
        },
        onError: (e) => log(`notifications: the outbox could not be read (${toStationError(e).code}); trying again.`),
      },
    );
  } catch (e) {
    // A station without the secret still works; its events wait in the outbox.
    log(`notifications are not delivered: ${toStationError(e).message}`);
    return undefined;
  }
  const core = station.core();
  const offs = WAKING_EVENTS.map((event) => core.on(event, () => worker.wake()));
  worker.start();
  return {
    async stop() {
      offs.forEach((off) => off());
      await worker.stop();
    },
  };
}
