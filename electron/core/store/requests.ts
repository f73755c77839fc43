/** Card requests repository: a person's request for a card, its decision and its card object. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { REQUEST_STATES, type CardRequest, type RequestState } from '../workflow/types.js';
import { AFFILIATIONS } from './records.js';
import { guard, notFound, setClause, validate, type StoreContext } from './sql.js';
import { sequencesRepository } from './sequences.js';

/** The sequence request numbers are drawn from (migration 16 starts it after the numbered requests). */
const REQUEST_NUMBER_SEQUENCE = 'card-request-number';

/** States in which a request is still open (not finished one way or the other): the request state machine's. */
export { OPEN_REQUEST_STATES } from '../../contract/state-machines.js';
import { OPEN_REQUEST_STATES } from '../../contract/state-machines.js';

export interface NewCardRequest {
  personId: string;
  profile: CardRequest['profile'];
  source: CardRequest['source'];
  requestedBy?: string | null;
  cprId?: string | null;
  /** Defaults to 'requested'. */
  state?: RequestState;
}

const NEW_REQUEST = z.object({
  personId: z.uuid(),
  profile: z.enum(AFFILIATIONS),
  source: z.enum(['desk', 'kiosk', 'idprs']),
  requestedBy: z.string().min(1).nullish(),
  cprId: z.string().min(1).max(64).nullish(),
  state: z.enum(REQUEST_STATES).default('requested'),
});

/** Fields a transition may change. */
const REQUEST_PATCH = z
  .object({
    state: z.enum(REQUEST_STATES),
    decidedBy: z.string().min(1).nullable(),
    decidedAt: z.iso.datetime({ offset: true }).nullable(),
    decisionReason: z.string().max(500).nullable(),
    cardId: z.uuid().nullable(),
    cprId: z.string().min(1).max(64).nullable(),
  })
  .partial()
  .strict();
const COLUMNS: Record<string, string> = {
  state: 'state',
  decidedBy: 'decided_by',
  decidedAt: 'decided_at',
  decisionReason: 'decision_reason',
  cardId: 'card_id',
  cprId: 'cpr_id',
};

interface RequestRow {
  id: string;
  number: number;
  person_id: string;
  profile: CardRequest['profile'];
  state: RequestState;
  source: CardRequest['source'];
  requested_by: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  card_id: string | null;
  cpr_id: string | null;
  created_at: string;
  updated_at: string;
}

function toRecord(row: RequestRow): CardRequest {
  return {
    id: row.id,
    number: row.number,
    personId: row.person_id,
    profile: row.profile,
    state: row.state,
    source: row.source,
    requestedBy: row.requested_by,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    decisionReason: row.decision_reason,
    cardId: row.card_id,
    cprId: row.cpr_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface CardRequestsRepository {
  /** @throws StationError INVALID_INPUT, NOT_FOUND_RECORD (unknown person or officer) */
  create(r: NewCardRequest): CardRequest;
  get(id: string): CardRequest | undefined;
  /** The request with the short number `number` (request-number.ts). */
  findByNumber(number: number): CardRequest | undefined;
  /** Requests, oldest first, optionally only in the given states (at most `limit`, default 1000). */
  list(filter?: { states?: readonly RequestState[]; personId?: string; limit?: number }): CardRequest[];
  /** The request whose card object is `cardId`. */
  findByCard(cardId: string): CardRequest | undefined;
  /** The person's open requests (requested … production_failed). */
  openForPerson(personId: string): CardRequest[];
  /** The request made from the IDPRS request id's CPR (the latest accepted one). */
  findByIdprsRequestId(idprsRequestId: string): CardRequest | undefined;
  /** The id of the newest production job of a card object, if any. */
  latestJobIdForCard(cardId: string): string | undefined;
  /** @throws StationError NOT_FOUND_RECORD, INVALID_INPUT */
  update(id: string, patch: Partial<Pick<CardRequest, 'state' | 'decidedBy' | 'decidedAt' | 'decisionReason' | 'cardId' | 'cprId'>>): CardRequest;
}

export function cardRequestsRepository(ctx: StoreContext): CardRequestsRepository {
  const { db } = ctx;
  const insert = db.prepare(
    `INSERT INTO card_requests (id, number, person_id, profile, state, source, requested_by, cpr_id, created_at, updated_at)
     VALUES (@id, @number, @personId, @profile, @state, @source, @requestedBy, @cprId, @now, @now)`,
  );
  const sequences = sequencesRepository(ctx);
  const byId = db.prepare('SELECT * FROM card_requests WHERE id = ?');
  const byNumber = db.prepare('SELECT * FROM card_requests WHERE number = ?');
  const byCard = db.prepare('SELECT * FROM card_requests WHERE card_id = ?');
  const open = db.prepare(
    `SELECT * FROM card_requests WHERE person_id = ? AND state IN (${OPEN_REQUEST_STATES.map((s) => `'${s}'`).join(', ')}) ORDER BY created_at, rowid`,
  );
  const byIdprs = db.prepare(
    `SELECT r.* FROM card_requests r JOIN cprs c ON c.request_id = r.id
     WHERE c.idprs_request_id = ? ORDER BY c.received_at DESC, c.rowid DESC LIMIT 1`,
  );
  const latestJob = db.prepare('SELECT id FROM jobs WHERE card_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1');
  const get = (id: string): CardRequest | undefined => {
    const row = guard('card request', () => byId.get(id) as RequestRow | undefined);
    return row ? toRecord(row) : undefined;
  };
  return {
    create(r) {
      const v = validate(NEW_REQUEST, r, 'card request');
      const id = randomUUID();
      db.transaction(() => {
        const number = sequences.nextValue(REQUEST_NUMBER_SEQUENCE);
        guard('card request', () =>
          insert.run({ id, number, personId: v.personId, profile: v.profile, state: v.state, source: v.source, requestedBy: v.requestedBy ?? null, cprId: v.cprId ?? null, now: ctx.now() }),
        );
      })();
      return get(id)!;
    },
    get,
    findByNumber(number) {
      const row = guard('card request', () => byNumber.get(number) as RequestRow | undefined);
      return row ? toRecord(row) : undefined;
    },
    list(filter = {}) {
      const states = filter.states ? validate(z.array(z.enum(REQUEST_STATES)), filter.states, 'request filter') : undefined;
      const limit = validate(z.number().int().min(1).max(100_000), filter.limit ?? 1000, 'request filter');
      const where: string[] = [];
      const params: Record<string, unknown> = { limit };
      if (states) {
        if (states.length === 0) return [];
        where.push(`state IN (${states.map((_, i) => `@s${i}`).join(', ')})`);
        states.forEach((s, i) => (params[`s${i}`] = s));
      }
      if (filter.personId) {
        where.push('person_id = @personId');
        params.personId = filter.personId;
      }
      const sql = `SELECT * FROM card_requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, rowid LIMIT @limit`;
      return guard('card request', () => db.prepare(sql).all(params) as RequestRow[]).map(toRecord);
    },
    findByCard(cardId) {
      const row = guard('card request', () => byCard.get(cardId) as RequestRow | undefined);
      return row ? toRecord(row) : undefined;
    },
    openForPerson(personId) {
      return guard('card request', () => open.all(personId) as RequestRow[]).map(toRecord);
    },
    findByIdprsRequestId(idprsRequestId) {
      const row = guard('card request', () => byIdprs.get(idprsRequestId) as RequestRow | undefined);
      return row ? toRecord(row) : undefined;
    },
    latestJobIdForCard(cardId) {
      return guard('card request', () => (latestJob.get(cardId) as { id: string } | undefined)?.id);
    },
    update(id, patch) {
      const v = validate(REQUEST_PATCH, patch, 'card request');
      const set = setClause(v, COLUMNS, 'card request');
      const result = guard('card request', () =>
        db.prepare(`UPDATE card_requests SET ${set ? `${set}, ` : ''}updated_at = @updatedAt WHERE id = @id`).run({ ...v, id, updatedAt: ctx.now() }),
      );
      if (result.changes === 0) throw notFound('card request', id);
      return get(id)!;
    },
  };
}
