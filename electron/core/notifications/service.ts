/**
 * The outbox as officers see it (issue 5: "undeliverable events stay visible
 * in a dead-letter view and can be redelivered"): the StationApi channels
 * `outbox.list` and `outbox.redeliver`. Each redelivery is audited (who,
 * which event, which person and card, outcome) in the transaction that puts
 * the dead letter back, so neither happens without the other.
 */
import { toStationError } from '../errors.js';
import type { StationStore } from '../store/store.js';
import { outboxRepository, type OutboxEvent, type OutboxRepository, type OutboxStatus } from './outbox.js';
import type { NotificationType } from './events.js';
import type { StationConfig } from '../config/station-config.js';
import { deliverySetup, type DeliverySetup } from './delivery-setup.js';
import { hasNotificationSecret } from './secret.js';

/** One event in the Notifications screen (no payload: the screen shows what it concerns, not what was sent). */
export interface OutboxEventView {
  id: string;
  type: NotificationType;
  status: OutboxStatus;
  stream: string;
  seq: number;
  /** Null for the station's own events (signed audit heads). */
  personId: string | null;
  /** "Given Surname" from the store, or null when the person is gone (or the event is the station's). */
  personName: string | null;
  cardId: string | null;
  /** The card's 8-digit number when it had one at the time of the event. */
  cardNumber: string | null;
  requestId: string | null;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  deadAt: string | null;
  lastError: string | null;
}

/** A page of `outbox.list`. */
export interface OutboxListView {
  events: OutboxEventView[];
  /** Events matching the filter (all pages). */
  total: number;
  /** Events per status in the whole outbox (the tab badges). */
  counts: Record<OutboxStatus, number>;
  /** Whether this station delivers at all, and what to configure when it does not (delivery-setup.ts). */
  delivery: DeliverySetup;
}

/** Audit action of a redelivered dead letter. */
export const REDELIVER_ACTION = 'notification.redelivered';

/** Lists and redelivers outbox events of one store. */
export class OutboxService {
  private readonly outbox: OutboxRepository;

  /** @param deps the store; the station's configuration (its `notifications` section; absent: not configured); the clock (tests) */
  constructor(private readonly deps: { store: StationStore; config?: Pick<StationConfig, 'notifications'>; now?: () => Date }) {
    this.outbox = outboxRepository(deps.store.db);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /**
   * The events of one status, optionally of one person or card.
   * @param q offset/limit page (limit default 50)
   */
  list(q: { status: OutboxStatus; personId?: string; cardId?: string; offset?: number; limit?: number }): OutboxListView {
    const page = this.outbox.page({ ...q, limit: q.limit ?? 50 });
    return {
      events: page.events.map((e) => this.view(e)),
      total: page.total,
      counts: this.outbox.counts(),
      delivery: deliverySetup(this.deps.config?.notifications, hasNotificationSecret(this.deps.store)),
    };
  }

  /**
   * Puts one dead letter, or every dead letter, back in its stream for
   * delivery now (attempts reset). One audit event per letter.
   * @param target `{ eventId }` or `{ allDead: true }`
   * @param actor  the officer's username
   * @returns the events put back
   * @throws StationError NOT_FOUND_RECORD (no such event), INVALID_INPUT (not a dead letter); the refusal is audited too
   */
  redeliver(target: { eventId: string } | { allDead: true }, actor: string): { redelivered: OutboxEventView[] } {
    const { store } = this.deps;
    const now = this.now();
    if ('eventId' in target) {
      try {
        return { redelivered: [store.transaction(() => this.redeliverOne(target.eventId, actor, now))] };
      } catch (e) {
        const err = toStationError(e);
        const event = this.outbox.get(target.eventId);
        store.audit.append({
          actor,
          action: REDELIVER_ACTION,
          outcome: 'refused',
          personId: event?.personId ?? null,
          cardId: event?.cardId ?? null,
          details: { eventId: target.eventId, code: err.code },
        });
        throw err;
      }
    }
    return {
      redelivered: store.transaction(() =>
        this.outbox
          .list({ status: 'dead', limit: Number.MAX_SAFE_INTEGER })
          .map((e) => this.redeliverOne(e.id, actor, now)),
      ),
    };
  }

  private redeliverOne(eventId: string, actor: string, now: Date): OutboxEventView {
    const e = this.outbox.redeliver(eventId, now);
    this.deps.store.audit.append({
      actor,
      action: REDELIVER_ACTION,
      outcome: 'ok',
      personId: e.personId,
      cardId: e.cardId,
      details: { eventId: e.id, type: e.type, stream: e.stream, seq: e.seq },
    });
    return this.view(e);
  }

  private view(e: OutboxEvent): OutboxEventView {
    const person = e.personId ? this.deps.store.persons.get(e.personId) : undefined;
    return {
      id: e.id,
      type: e.type,
      status: e.status,
      stream: e.stream,
      seq: e.seq,
      personId: e.personId,
      personName: person ? `${person.givenName} ${person.surname}` : null,
      cardId: e.cardId,
      cardNumber: e.payload.card?.cardNumber ?? null,
      requestId: e.requestId,
      attempts: e.attempts,
      createdAt: e.createdAt,
      nextAttemptAt: e.nextAttemptAt,
      lastAttemptAt: e.lastAttemptAt,
      deliveredAt: e.deliveredAt,
      deadAt: e.deadAt,
      lastError: e.lastError,
    };
  }
}

