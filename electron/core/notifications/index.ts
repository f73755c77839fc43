/** Notifications to the IDPRS: outbox, sinks, signer, delivery worker. */
export { NOTIFICATION_TYPES, isNotificationType, type NotificationType, type NewNotification, type NotificationPayload } from './events.js';
export { recordNotification, outboxRepository, streamOf, type OutboxEvent, type OutboxRepository, type OutboxStatus } from './outbox.js';
export { DeliveryFailure, type NotificationSink } from './sink.js';
export { HttpNotificationSink, type HttpSinkOptions } from './http-sink.js';
export { signNotification, verifyNotification, SIGNATURE_HEADER, TIMESTAMP_HEADER, EVENT_ID_HEADER, type SignatureCheck } from './signer.js';
export { DeliveryWorker, SYSTEM_TIMERS, type DeliveryOutcome, type WorkerTimers, type DeliveryWorkerOptions } from './worker.js';
export { retryDelayMs } from './backoff.js';
export { setNotificationSecret, loadNotificationSecret } from './secret.js';
export { NotificationsConfigSchema, DeliveryPolicySchema, DEFAULT_DELIVERY_POLICY, type NotificationsConfig, type DeliveryPolicy } from './config.js';
export { createStationDeliveryWorker, NOTIFY_SECRET_ENV } from './station-delivery.js';
export { deliveryLease, leaseTtlMs, type DeliveryLease } from './lease.js';
