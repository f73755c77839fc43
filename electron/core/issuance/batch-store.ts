/**
 * Batch persistence: the `batches` and `batch_items` tables (schema migration 2;
 * the batch's short number, migration 17) behind a small typed repository, so a
 * batch survives a station restart.
 * Timestamps are ISO-8601 UTC strings; ordinals give the queue order.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { StationError } from '../errors.js';
import { sequencesRepository } from '../store/sequences.js';
import { OPEN_BATCH_STATUSES, OPEN_ITEM_STATES } from '../../contract/batch-rules.js';

/** The store sequence batch numbers are drawn from (seeded by migration 17). */
const BATCH_NUMBER_SEQUENCE = 'batch-number';

/** Batch life cycle: running until every item is done or cancelled. */
export const BATCH_STATUSES = ['running', 'paused', 'done', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** Item life cycle: queued → running → done, or failed (waits for a retry) → running…; cancelled at any point but running. */
export const BATCH_ITEM_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type BatchItemState = (typeof BATCH_ITEM_STATES)[number];

/** Which readers a batch may use: every free one, or the named ones. */
export type BatchReaders = 'all' | string[];

/** A batch row. */
export interface BatchRecord {
  id: string;
  /** The batch's short number for people (contract/request-number.ts batchNumberText: "B-000012"). */
  number: number;
  status: BatchStatus;
  readers: BatchReaders;
  /** Officer id of the card production administrator who started it (null for system callers). */
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A batch item: one card request in the batch's queue. */
export interface BatchItemRecord {
  batchId: string;
  requestId: string;
  /** Queue position, from 0. */
  ordinal: number;
  state: BatchItemState;
  /** Reader of the last run, null while queued. */
  readerName: string | null;
  /** The production job for this request's card, created on its first run. */
  jobId: string | null;
  /** The officer's sentence for a failure, or the reason of a cancellation. */
  failure: string | null;
  updatedAt: string;
}

interface BatchRow {
  id: string;
  number: number;
  status: BatchStatus;
  readers_json: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

interface ItemRow {
  batch_id: string;
  request_id: string;
  ordinal: number;
  state: BatchItemState;
  reader_name: string | null;
  job_id: string | null;
  failure: string | null;
  updated_at: string;
}

const batchOut = (r: BatchRow): BatchRecord => ({
  id: r.id,
  number: r.number,
  status: r.status,
  readers: JSON.parse(r.readers_json) as BatchReaders,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const itemOut = (r: ItemRow): BatchItemRecord => ({
  batchId: r.batch_id,
  requestId: r.request_id,
  ordinal: r.ordinal,
  state: r.state,
  readerName: r.reader_name,
  jobId: r.job_id,
  failure: r.failure,
  updatedAt: r.updated_at,
});

/** Item fields a run may change. */
export type BatchItemPatch = Partial<Pick<BatchItemRecord, 'state' | 'readerName' | 'jobId' | 'failure'>>;

/** The batch repository. */
export interface BatchRepository {
  /** Creates a running batch with one queued item per request, in the given order. */
  create(readers: BatchReaders, createdBy: string | null, requestIds: readonly string[]): BatchRecord;
  get(id: string): BatchRecord | undefined;
  /** The batch with short number `number`. */
  findByNumber(number: number): BatchRecord | undefined;
  /** Every batch, newest first. */
  list(): BatchRecord[];
  /** Batches in one of `statuses`, oldest first (the order in which they get readers). */
  listByStatus(statuses: readonly BatchStatus[]): BatchRecord[];
  setStatus(id: string, status: BatchStatus): BatchRecord;
  /** Items of a batch in queue order. */
  items(batchId: string): BatchItemRecord[];
  item(batchId: string, requestId: string): BatchItemRecord | undefined;
  /** @throws StationError NOT_FOUND_RECORD */
  updateItem(batchId: string, requestId: string, patch: BatchItemPatch): BatchItemRecord;
  /** The item holding `requestId` in a running or paused batch and not finished (queued/running/failed), if any. */
  openItemForRequest(requestId: string): BatchItemRecord | undefined;
}

/**
 * The repository over the station database (tables from migration 2).
 * @param now clock giving ISO-8601 timestamps
 */
export function batchRepository(db: Database, now: () => string = () => new Date().toISOString()): BatchRepository {
  const getBatch = db.prepare<[string], BatchRow>('SELECT * FROM batches WHERE id = ?');
  const getByNumber = db.prepare<[number], BatchRow>('SELECT * FROM batches WHERE number = ?');
  const sequences = sequencesRepository({ db, now });
  const getItem = db.prepare<[string, string], ItemRow>('SELECT * FROM batch_items WHERE batch_id = ? AND request_id = ?');
  const repo: BatchRepository = {
    create(readers, createdBy, requestIds) {
      const id = randomUUID();
      const at = now();
      db.transaction(() => {
        const number = sequences.nextValue(BATCH_NUMBER_SEQUENCE);
        db.prepare('INSERT INTO batches (id, number, status, readers_json, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
          id,
          number,
          'running',
          JSON.stringify(readers),
          createdBy,
          at,
          at,
        );
        const insert = db.prepare('INSERT INTO batch_items (batch_id, request_id, ordinal, state, updated_at) VALUES (?, ?, ?, ?, ?)');
        requestIds.forEach((requestId, ordinal) => insert.run(id, requestId, ordinal, 'queued', at));
      })();
      return repo.get(id)!;
    },
    get(id) {
      const row = getBatch.get(id);
      return row ? batchOut(row) : undefined;
    },
    findByNumber(number) {
      const row = getByNumber.get(number);
      return row ? batchOut(row) : undefined;
    },
    list() {
      return db.prepare<[], BatchRow>('SELECT * FROM batches ORDER BY created_at DESC, rowid DESC').all().map(batchOut);
    },
    listByStatus(statuses) {
      if (statuses.length === 0) return [];
      const marks = statuses.map(() => '?').join(', ');
      return db
        .prepare<string[], BatchRow>(`SELECT * FROM batches WHERE status IN (${marks}) ORDER BY created_at, rowid`)
        .all(...statuses)
        .map(batchOut);
    },
    setStatus(id, status) {
      const r = db.prepare('UPDATE batches SET status = ?, updated_at = ? WHERE id = ?').run(status, now(), id);
      if (r.changes === 0) throw new StationError('NOT_FOUND_RECORD', `There is no batch ${id}.`);
      return repo.get(id)!;
    },
    items(batchId) {
      return db.prepare<[string], ItemRow>('SELECT * FROM batch_items WHERE batch_id = ? ORDER BY ordinal').all(batchId).map(itemOut);
    },
    item(batchId, requestId) {
      const row = getItem.get(batchId, requestId);
      return row ? itemOut(row) : undefined;
    },
    updateItem(batchId, requestId, patch) {
      const current = repo.item(batchId, requestId);
      if (!current) throw new StationError('NOT_FOUND_RECORD', `Request ${requestId} is not in batch ${batchId}.`);
      const next = { ...current, ...patch };
      const at = now();
      db.transaction(() => {
        db.prepare('UPDATE batch_items SET state = ?, reader_name = ?, job_id = ?, failure = ?, updated_at = ? WHERE batch_id = ? AND request_id = ?').run(
          next.state,
          next.readerName,
          next.jobId,
          next.failure,
          at,
          batchId,
          requestId,
        );
        db.prepare('UPDATE batches SET updated_at = ? WHERE id = ?').run(at, batchId);
      })();
      return repo.item(batchId, requestId)!;
    },
    openItemForRequest(requestId) {
      const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
      const row = db
        .prepare<string[], ItemRow>(
          `SELECT i.* FROM batch_items i JOIN batches b ON b.id = i.batch_id
           WHERE i.request_id = ? AND b.status IN (${marks(OPEN_BATCH_STATUSES.length)}) AND i.state IN (${marks(OPEN_ITEM_STATES.length)}) LIMIT 1`,
        )
        .get(requestId, ...OPEN_BATCH_STATUSES, ...OPEN_ITEM_STATES);
      return row ? itemOut(row) : undefined;
    },
  };
  return repo;
}
