/**
 * The notification plug-in point: a sink takes one event and either delivers
 * it (resolves) or says why not (rejects). The worker owns retries and order;
 * a sink only makes one attempt.
 */
import type { OutboxEvent } from './outbox.js';

/** Where notifications go (the IDPRS over HTTP; tests and other transports plug in here). */
export interface NotificationSink {
  /**
   * One delivery attempt of `event`.
   * @param signal aborted when the worker stops
   * @throws DeliveryFailure (permanent or not); any other error counts as temporary
   */
  deliver(event: OutboxEvent, signal?: AbortSignal): Promise<void>;
}

/**
 * A failed delivery attempt. `permanent` failures (the receiver refused the
 * event itself) go straight to the dead letters; temporary ones are retried.
 */
export class DeliveryFailure extends Error {
  /**
   * @param message    a sentence for the outbox's last error (never a secret)
   * @param permanent  true when retrying cannot help
   * @param retryAfterMs the receiver's Retry-After, when it gave one
   */
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryFailure';
  }
}
