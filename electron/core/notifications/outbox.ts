/**
 * The transactional outbox (issue 5 "Notifications to the IDPRS"): an event
 * row is written in the same SQLite transaction as the state change it
 * reports, so a change is never committed without its notification, nor a
 * notification without its change. The delivery worker (worker.ts) reads the
 * table afterwards; everything it needs survives a crash in SQLite.
 *
 * Ordering: every event belongs to the stream of its person (`person:<id>`)
 * and gets the next `seq` of that stream. A card and its request belong to
 * one person, so delivering each stream in `seq` order delivers every card's
 * events in order (and a request's events in order with its card's).
 *
 * Table `outbox_events` (store migration "notification outbox").
 */
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { StationError } from '../errors.js';
import type { StationStore } from '../store/store.js';
import { filterParams, guard, optionalEquals } from '../store/sql.js';
import { assertNoSecrets } from '../audit/secret-guard.js';
import { isNotificationType, type NewNotification, type NotificationPayload, type NotificationType } from './events.js';

/** Where an outbox event stands. */
export type OutboxStatus = 'pending' | 'delivered' | 'dead';

/** One outbox row. Timestamps are ISO-8601 UTC strings. */
export interface OutboxEvent {
  /** UUID; the idempotency key the receiver deduplicates on. */
  id: string;
  type: NotificationType;
  stream: string;
  /** 1, 2, 3… within `stream`. */
  seq: number;
  /** Null for the station's own events (stream `station:…`). */
  personId: string | null;
  cardId: string | null;
  requestId: string | null;
  payload: NotificationPayload;
  createdAt: string;
  /** Delivery attempts started (an attempt cut by a crash counts). */
  attempts: number;
  /** Not sent before this time (back-off, or the lease of an attempt in flight). */
  nextAttemptAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  deadAt: string | null;
  /** Why the last attempt failed: a sentence, never a secret. */
  lastError: string | null;
  status: OutboxStatus;
}

interface OutboxRow {
  id: string;
  type: string;
  stream: string;
  seq: number;
  person_id: string | null;
  card_id: string | null;
  request_id: string | null;
  payload_json: string;
  created_at: string;
  attempts: number;
  next_attempt_at: string;
  last_attempt_at: string | null;
  delivered_at: string | null;
  dead_at: string | null;
  last_error: string | null;
}

function toEvent(row: OutboxRow): OutboxEvent {
  return {
    id: row.id,
    type: row.type as NotificationType,
    stream: row.stream,
    seq: row.seq,
    personId: row.person_id,
    cardId: row.card_id,
    requestId: row.request_id,
    payload: JSON.parse(row.payload_json) as NotificationPayload,
    createdAt: row.created_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    deliveredAt: row.delivered_at,
    deadAt: row.dead_at,
    lastError: row.last_error,
    status: row.delivered_at !== null ? 'delivered' : row.dead_at !== null ? 'dead' : 'pending',
  };
}

/** The ordering stream of a person's events. */
export function streamOf(personId: string): string {
  return `person:${personId}`;
}

/** The ordering stream of the station's signed audit heads. */
export const AUDIT_STREAM = 'station:audit';

/** Longest stored error sentence (characters). */
const MAX_ERROR_LENGTH = 300;

/** Condition: the row still waits for delivery (also the desk's pending count, store/desk-counts.ts). */
export const PENDING = 'delivered_at IS NULL AND dead_at IS NULL';

/** A filter for {@link OutboxRepository.page}: one status, optionally one person or card; offset paging. */
export interface OutboxPageQuery {
  status: OutboxStatus;
  personId?: string;
  cardId?: string;
  /** Events skipped (0 by default). */
  offset?: number;
  /** Events returned at most. */
  limit: number;
}

/** One page of events and the number of events matching the filter. */
export interface OutboxPage {
  events: OutboxEvent[];
  total: number;
}

/**
 * Row order of each status in the screens: pending in delivery order (by due
 * time), delivered newest first, dead letters in the order they died.
 */
const PAGE_ORDER: Record<OutboxStatus, string> = {
  pending: 'next_attempt_at, stream, seq',
  delivered: 'delivered_at DESC, stream, seq DESC',
  dead: 'dead_at, stream, seq',
};
/** The optional criteria of a page (key → column). */
const PAGE_FILTER = { personId: 'person_id', cardId: 'card_id' };
const STATUS_CONDITION: Record<OutboxStatus, string> = {
  pending: PENDING,
  delivered: 'delivered_at IS NOT NULL',
  dead: 'dead_at IS NOT NULL',
};

/** Access to the outbox table of one database. */
export interface OutboxRepository {
  /** The event, or undefined. */
  get(id: string): OutboxEvent | undefined;
  /** Events by stream then seq; `status` filters; at most `limit` (default 1000). */
  list(filter?: { status?: OutboxStatus; limit?: number }): OutboxEvent[];
  /** The events of one status (optionally of one person or card), a page at a time, in {@link PAGE_ORDER}. */
  page(query: OutboxPageQuery): OutboxPage;
  /**
   * The events that may be sent now: the first pending event of each stream
   * (never a later one while an earlier one is pending), due at `now`,
   * earliest due first, at most `limit`.
   */
  due(now: Date, limit: number): OutboxEvent[];
  /** The earliest time a stream's first pending event becomes due, or undefined when nothing is pending. */
  nextDueAt(): string | undefined;
  /**
   * Claims a due event for one attempt: counts the attempt and leases the row
   * until `leaseUntil` (another worker skips it; after a crash it is simply
   * retried once the lease ends). @returns the claimed event, or undefined when another worker took it
   */
  claim(id: string, now: Date, leaseUntil: Date): OutboxEvent | undefined;
  /** Marks a claimed event delivered. */
  markDelivered(id: string, now: Date): void;
  /** Records a failed attempt; the event is retried at `retryAt`. */
  markRetry(id: string, error: string, retryAt: Date): void;
  /** Moves the event to the dead letters. */
  markDead(id: string, error: string, now: Date): void;
  /**
   * Puts a dead letter back in its stream for delivery now (attempts reset).
   * @throws StationError NOT_FOUND_RECORD (no such event), INVALID_INPUT (not a dead letter)
   */
  redeliver(id: string, now: Date): OutboxEvent;
  /** Puts every dead letter back. @returns how many */
  redeliverAllDead(now: Date): number;
  /** Count per status. */
  counts(): Record<OutboxStatus, number>;
}

const repositories = new WeakMap<Database, OutboxRepository>();

/** The outbox repository of `db` (one per database, statements prepared once). */
export function outboxRepository(db: Database): OutboxRepository {
  let repo = repositories.get(db);
  if (!repo) {
    repo = createOutboxRepository(db);
    repositories.set(db, repo);
  }
  return repo;
}

function createOutboxRepository(db: Database): OutboxRepository {
  const byId = db.prepare('SELECT * FROM outbox_events WHERE id = ?');
  const listAll = db.prepare('SELECT * FROM outbox_events ORDER BY created_at, stream, seq LIMIT ?');
  const listStatus: Record<OutboxStatus, Statement> = {
    pending: db.prepare(`SELECT * FROM outbox_events WHERE ${PENDING} ORDER BY created_at, stream, seq LIMIT ?`),
    delivered: db.prepare('SELECT * FROM outbox_events WHERE delivered_at IS NOT NULL ORDER BY created_at, stream, seq LIMIT ?'),
    dead: db.prepare('SELECT * FROM outbox_events WHERE dead_at IS NOT NULL ORDER BY dead_at, stream, seq LIMIT ?'),
  };
  const heads = `SELECT o.* FROM outbox_events o
     WHERE o.delivered_at IS NULL AND o.dead_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM outbox_events p
                       WHERE p.stream = o.stream AND p.seq < o.seq AND p.delivered_at IS NULL AND p.dead_at IS NULL)`;
  const due = db.prepare(`${heads} AND o.next_attempt_at <= ? ORDER BY o.next_attempt_at, o.created_at LIMIT ?`);
  const nextDue = db.prepare(`SELECT min(next_attempt_at) AS at FROM (${heads})`);
  const claim = db.prepare(
    `UPDATE outbox_events SET attempts = attempts + 1, last_attempt_at = @now, next_attempt_at = @lease
     WHERE id = @id AND ${PENDING} AND next_attempt_at <= @now RETURNING *`,
  );
  const delivered = db.prepare(`UPDATE outbox_events SET delivered_at = ?, last_error = NULL WHERE id = ? AND ${PENDING}`);
  const retry = db.prepare(`UPDATE outbox_events SET last_error = ?, next_attempt_at = ? WHERE id = ? AND ${PENDING}`);
  const dead = db.prepare(`UPDATE outbox_events SET last_error = ?, dead_at = ? WHERE id = ? AND ${PENDING}`);
  const revive = db.prepare('UPDATE outbox_events SET dead_at = NULL, attempts = 0, next_attempt_at = @now WHERE id = @id AND dead_at IS NOT NULL');
  const reviveAll = db.prepare('UPDATE outbox_events SET dead_at = NULL, attempts = 0, next_attempt_at = @now WHERE dead_at IS NOT NULL');
  const counts = db.prepare(
    `SELECT sum(CASE WHEN ${PENDING} THEN 1 ELSE 0 END) AS pending,
            sum(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END) AS delivered,
            sum(CASE WHEN dead_at IS NOT NULL THEN 1 ELSE 0 END) AS dead
     FROM outbox_events`,
  );
  const clip = (s: string) => s.slice(0, MAX_ERROR_LENGTH);
  const get = (id: string) => {
    const row = guard('notification', () => byId.get(id) as OutboxRow | undefined);
    return row ? toEvent(row) : undefined;
  };
  return {
    get,
    list(filter = {}) {
      const limit = filter.limit ?? 1000;
      const rows = guard('notification', () => (filter.status ? listStatus[filter.status].all(limit) : listAll.all(limit)) as OutboxRow[]);
      return rows.map(toEvent);
    },
    page(q) {
      const where = `${STATUS_CONDITION[q.status]} AND ${optionalEquals(PAGE_FILTER)}`;
      const params = filterParams(PAGE_FILTER, q);
      return guard('notification', () => {
        const total = (db.prepare(`SELECT count(*) AS n FROM outbox_events WHERE ${where}`).get(params) as { n: number }).n;
        const rows = db
          .prepare(`SELECT * FROM outbox_events WHERE ${where} ORDER BY ${PAGE_ORDER[q.status]} LIMIT @limit OFFSET @offset`)
          .all({ ...params, limit: q.limit, offset: q.offset ?? 0 }) as OutboxRow[];
        return { events: rows.map(toEvent), total };
      });
    },
    due(now, limit) {
      return guard('notification', () => due.all(now.toISOString(), limit) as OutboxRow[]).map(toEvent);
    },
    nextDueAt() {
      return guard('notification', () => (nextDue.get() as { at: string | null }).at ?? undefined);
    },
    claim(id, now, leaseUntil) {
      const row = guard('notification', () => claim.get({ id, now: now.toISOString(), lease: leaseUntil.toISOString() }) as OutboxRow | undefined);
      return row ? toEvent(row) : undefined;
    },
    markDelivered(id, now) {
      guard('notification', () => delivered.run(now.toISOString(), id));
    },
    markRetry(id, error, retryAt) {
      guard('notification', () => retry.run(clip(error), retryAt.toISOString(), id));
    },
    markDead(id, error, now) {
      guard('notification', () => dead.run(clip(error), now.toISOString(), id));
    },
    redeliver(id, now) {
      const current = get(id);
      if (!current) throw new StationError('NOT_FOUND_RECORD', 'There is no notification with that id.', { record: 'notification', id });
      if (current.status !== 'dead') {
        throw new StationError('INVALID_INPUT', `This notification is ${current.status}; only a dead letter can be redelivered.`, { id, status: current.status });
      }
      guard('notification', () => revive.run({ id, now: now.toISOString() }));
      return get(id)!;
    },
    redeliverAllDead(now) {
      return guard('notification', () => reviveAll.run({ now: now.toISOString() }).changes);
    },
    counts() {
      const row = guard('notification', () => counts.get() as Record<OutboxStatus, number | null>);
      return { pending: row.pending ?? 0, delivered: row.delivered ?? 0, dead: row.dead ?? 0 };
    },
  };
}

/**
 * Writes the outbox event of a state change. Call it INSIDE the
 * `store.transaction` that makes the change, so both commit or neither does.
 *
 * @param store the station store
 * @param event what changed and the records concerned (payload parts are read from the store now)
 * @param now   time of the change (defaults to the system clock)
 * @returns the event as written (status 'pending', due now)
 * @throws StationError INTERNAL when called outside a transaction; INVALID_INPUT for an unknown
 *   type; NOT_FOUND_RECORD when the person, card or request does not exist
 */
export function recordNotification(store: StationStore, event: NewNotification, now: Date = new Date()): OutboxEvent {
  const { db } = store;
  if (!db.inTransaction) {
    throw new StationError('INTERNAL', 'A notification must be recorded in the transaction of the change it reports.', { type: event.type });
  }
  if (!isNotificationType(event.type)) throw new StationError('INVALID_INPUT', 'The notification type is unknown.', { type: event.type });
  try {
    // The payload leaves the station: the same rule as the audit log, no key may name a secret.
    assertNoSecrets(event.data);
  } catch (e) {
    const field = e instanceof StationError ? e.details?.field : undefined;
    throw new StationError('INVALID_INPUT', 'A notification may not carry a secret such as a PIN, PUK, password or key.', { type: event.type, field: typeof field === 'string' ? field : undefined });
  }
  const person = store.persons.get(event.personId);
  if (!person) throw new StationError('NOT_FOUND_RECORD', 'The notification concerns a person who does not exist.', { record: 'person' });
  const card = event.cardId ? store.cards.get(event.cardId) : undefined;
  if (event.cardId && !card) throw new StationError('NOT_FOUND_RECORD', 'The notification concerns a card that does not exist.', { record: 'card' });
  const request = event.requestId ? store.requests.get(event.requestId) : card ? store.requests.findByCard(card.id) : undefined;
  if (event.requestId && !request) throw new StationError('NOT_FOUND_RECORD', 'The notification concerns a request that does not exist.', { record: 'request' });
  const idprsRequestId = request?.cprId
    ? ((db.prepare('SELECT idprs_request_id AS v FROM cprs WHERE id = ?').get(request.cprId) as { v: string | null } | undefined)?.v ?? null)
    : null;

  return insertEvent(store, now, streamOf(person.id), event.type, {
    person: { id: person.id, externalId: person.externalId },
    card: card
      ? { id: card.id, status: card.status, cardNumber: card.cardNumber, guid: card.guid, fascn: card.fascn, expirationDate: card.expirationDate, profile: card.cardProfile }
      : null,
    request: request ? { id: request.id, state: request.state, profile: request.profile, source: request.source, idprsRequestId } : null,
    data: event.data ?? {},
  });
}

/**
 * Writes an event of the station itself (no person): a signed audit chain
 * head, in the stream `station:audit`. Call it inside the transaction of the
 * change it reports (the signing).
 * @throws StationError INTERNAL outside a transaction; INVALID_INPUT when `data` names a secret
 */
export function recordStationNotification(store: StationStore, event: { type: 'audit.head_signed'; data: Record<string, unknown> }, now: Date = new Date()): OutboxEvent {
  if (!store.db.inTransaction) throw new StationError('INTERNAL', 'A notification must be recorded in the transaction of the change it reports.', { type: event.type });
  assertNoSecrets(event.data);
  return insertEvent(store, now, AUDIT_STREAM, event.type, { person: null, card: null, request: null, data: event.data });
}

/** Appends an event at the end of `stream` (next seq), due now. */
function insertEvent(store: StationStore, now: Date, stream: string, type: NotificationType, parts: Pick<NotificationPayload, 'person' | 'card' | 'request' | 'data'>): OutboxEvent {
  const { db } = store;
  const seq = (db.prepare('SELECT coalesce(max(seq), 0) + 1 AS seq FROM outbox_events WHERE stream = ?').get(stream) as { seq: number }).seq;
  const id = randomUUID();
  const at = now.toISOString();
  const payload: NotificationPayload = { id, type, occurredAt: at, stream, sequence: seq, ...parts };
  guard('notification', () =>
    db
      .prepare(
        `INSERT INTO outbox_events (id, type, stream, seq, person_id, card_id, request_id, payload_json, created_at, attempts, next_attempt_at)
         VALUES (@id, @type, @stream, @seq, @personId, @cardId, @requestId, @payload, @at, 0, @at)`,
      )
      .run({ id, type, stream, seq, personId: parts.person?.id ?? null, cardId: parts.card?.id ?? null, requestId: parts.request?.id ?? null, payload: JSON.stringify(payload), at }),
  );
  return outboxRepository(db).get(id)!;
}
