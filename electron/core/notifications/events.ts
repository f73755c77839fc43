/**
 * The notifications the station sends to the IDPRS (issue 5 "Notifications to
 * the IDPRS"): one event per card or request state change, in the outbox.
 *
 * Adding an event type is one line in {@link NOTIFICATION_TYPES}.
 */

/**
 * Every event type, named `<subject>.<what happened>`.
 * The card lifecycle (electron/core/lifecycle) records card.activated, card.suspended, card.resumed, card.revoked and card.expired.
 */
export const NOTIFICATION_TYPES = [
  'request.created',
  'request.approved',
  'request.rejected',
  'request.deleted',
  'card.produced',
  'card.production_failed',
  'card.cancelled',
  'card.activated',
  'card.suspended',
  'card.resumed',
  'card.revoked',
  'card.expired',
  'audit.head_signed',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** True when `type` is a known notification type. */
export function isNotificationType(type: string): type is NotificationType {
  return (NOTIFICATION_TYPES as readonly string[]).includes(type);
}

/**
 * What a service records: the change, and the records it concerns. The
 * payload's person, card and request parts are read from the store when the
 * event is recorded (a snapshot: later changes do not alter a queued event).
 */
export interface NewNotification {
  type: NotificationType;
  /** The person the card or request belongs to; also the ordering stream (see outbox.ts). */
  personId: string;
  cardId?: string | null;
  requestId?: string | null;
  /** Type-specific facts (a reason, a job id); never a secret. */
  data?: Record<string, unknown>;
}

/** The person part of a payload: the station id and the IDPRS id when the IDPRS manages the person. */
export interface NotificationPerson {
  id: string;
  externalId: string | null;
}

/** The card part of a payload. */
export interface NotificationCard {
  id: string;
  status: string;
  cardNumber: string | null;
  /** CHUID GUID, 32 uppercase hex digits. */
  guid: string;
  /** FASC-N, 50 uppercase hex digits. */
  fascn: string;
  /** YYYY-MM-DD. */
  expirationDate: string;
  profile: string;
}

/** The request part of a payload. */
export interface NotificationRequest {
  id: string;
  state: string;
  profile: string;
  source: string;
  /** The IDPRS's own request id when the request came from a CPR. */
  idprsRequestId: string | null;
}

/**
 * The JSON body POSTed to the IDPRS. `id` is the idempotency key (the
 * receiver drops an id it has seen); `sequence` numbers the events of one
 * `stream` from 1 without gaps, so the receiver can also check the order.
 * Events of a person have the stream `person:<id>`; the station's own events
 * (`audit.head_signed`: a signed audit chain head, the IDPRS's copy of the
 * audit anchor, electron/core/audit/anchor.ts) have `station:audit` and no
 * person, card or request.
 */
export interface NotificationPayload {
  id: string;
  type: NotificationType;
  /** ISO-8601 UTC time of the state change. */
  occurredAt: string;
  stream: string;
  sequence: number;
  /** Null for the station's own events. */
  person: NotificationPerson | null;
  card: NotificationCard | null;
  request: NotificationRequest | null;
  data: Record<string, unknown>;
}
