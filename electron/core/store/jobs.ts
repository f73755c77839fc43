/** Jobs repository: production jobs and their ordered, checkpointed steps. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { StationError } from '../errors.js';
import { JOB_STATUSES, STEP_STATUSES, type JobRecord, type JobStatus, type NewJob, type StepRecord, type StoredError } from './records.js';
import { fromJson, guard, notFound, setClause, toJson, validate, type StoreContext } from './sql.js';

const JSON_OBJECT = z.record(z.string(), z.unknown());
/** StationError.toJSON() shape. */
const STORED_ERROR = z.object({
  code: z.string().min(1),
  message: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.undefined()])),
  retryable: z.boolean(),
});
const TIMESTAMP = z.iso.datetime({ offset: true });

const JOB_FIELDS = {
  kind: z.string().min(1).max(64),
  cardId: z.uuid(),
  personId: z.uuid(),
  readerName: z.string().min(1).max(256).nullable(),
  status: z.enum(JOB_STATUSES),
  failedStep: z.string().min(1).max(64).nullable(),
  error: STORED_ERROR.nullable(),
  params: JSON_OBJECT,
  cancelReason: z.string().max(1000).nullable(),
};
const NEW_JOB = z.object({
  id: z.uuid().optional(),
  kind: JOB_FIELDS.kind.default('produce'),
  cardId: JOB_FIELDS.cardId,
  personId: JOB_FIELDS.personId,
  readerName: JOB_FIELDS.readerName.default(null),
  status: JOB_FIELDS.status.default('pending'),
  params: JOB_FIELDS.params.default({}),
});
const JOB_PATCH = z.object(JOB_FIELDS).partial().strict();
const STEP_NAMES = z.array(z.string().min(1).max(64)).refine((names) => new Set(names).size === names.length, 'duplicate step name');

const STEP_FIELDS = {
  status: z.enum(STEP_STATUSES),
  attempts: z.number().int().min(0),
  startedAt: TIMESTAMP.nullable(),
  finishedAt: TIMESTAMP.nullable(),
  error: STORED_ERROR.nullable(),
  data: JSON_OBJECT.nullable(),
};
const STEP_PATCH = z.object(STEP_FIELDS).partial().strict();

/** Update columns; JSON fields are bound as their serialised text. */
const JOB_COLUMNS: Record<keyof typeof JOB_FIELDS, string> = {
  kind: 'kind',
  cardId: 'card_id',
  personId: 'person_id',
  readerName: 'reader_name',
  status: 'status',
  failedStep: 'failed_step',
  error: 'error_json',
  params: 'params_json',
  cancelReason: 'cancel_reason',
};
const STEP_COLUMNS: Record<keyof typeof STEP_FIELDS, string> = {
  status: 'status',
  attempts: 'attempts',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  error: 'error_json',
  data: 'data_json',
};

interface JobRow {
  id: string;
  kind: string;
  card_id: string;
  person_id: string;
  reader_name: string | null;
  status: JobStatus;
  failed_step: string | null;
  error_json: string | null;
  params_json: string;
  cancel_reason: string | null;
  created_at: string;
  updated_at: string;
}

interface StepRow {
  job_id: string;
  name: string;
  ordinal: number;
  status: StepRecord['status'];
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  error_json: string | null;
  data_json: string | null;
}

function toJob(row: JobRow): JobRecord {
  return {
    id: row.id,
    kind: row.kind,
    cardId: row.card_id,
    personId: row.person_id,
    readerName: row.reader_name,
    status: row.status,
    failedStep: row.failed_step,
    error: fromJson<StoredError>(row.error_json),
    params: fromJson(row.params_json) ?? {},
    cancelReason: row.cancel_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toStep(row: StepRow): StepRecord {
  return {
    jobId: row.job_id,
    name: row.name,
    ordinal: row.ordinal,
    status: row.status,
    attempts: row.attempts,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: fromJson<StoredError>(row.error_json),
    data: fromJson(row.data_json),
  };
}

/** Serialises the JSON fields of a validated patch for binding. */
function bindJson<T extends Record<string, unknown>>(patch: T, jsonKeys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...patch };
  for (const key of jsonKeys) if (key in out && out[key] !== undefined) out[key] = toJson(out[key]);
  return out;
}

export interface JobsRepository {
  /**
   * Creates a job and its steps (ordinal = position in `stepNames`, status 'pending'), in one transaction.
   * @throws StationError INVALID_INPUT (bad field, duplicate step names), NOT_FOUND_RECORD (unknown card/person)
   */
  create(j: NewJob, stepNames: string[]): JobRecord;
  get(id: string): JobRecord | undefined;
  /** Jobs, oldest first, optionally only those in one of `filter.status`. */
  list(filter?: { status?: JobStatus[] }): JobRecord[];
  /** @throws StationError NOT_FOUND_RECORD, INVALID_INPUT */
  update(id: string, patch: Partial<JobRecord>): JobRecord;
  /** The job's steps in order. */
  steps(jobId: string): StepRecord[];
  /** @throws StationError NOT_FOUND_RECORD (no such job/step), INVALID_INPUT */
  updateStep(jobId: string, name: string, patch: Partial<StepRecord>): StepRecord;
}

export function jobsRepository(ctx: StoreContext): JobsRepository {
  const { db } = ctx;
  const insertJob = db.prepare(
    `INSERT INTO jobs (id, kind, card_id, person_id, reader_name, status, params_json, created_at, updated_at)
     VALUES (@id, @kind, @cardId, @personId, @readerName, @status, @params, @now, @now)`,
  );
  const insertStep = db.prepare(`INSERT INTO job_steps (job_id, name, ordinal, status) VALUES (?, ?, ?, 'pending')`);
  const byId = db.prepare('SELECT * FROM jobs WHERE id = ?');
  const all = db.prepare('SELECT * FROM jobs ORDER BY created_at, rowid');
  const stepsOf = db.prepare('SELECT * FROM job_steps WHERE job_id = ? ORDER BY ordinal');
  const stepByName = db.prepare('SELECT * FROM job_steps WHERE job_id = ? AND name = ?');

  const get = (id: string): JobRecord | undefined => {
    const row = guard('job', () => byId.get(id) as JobRow | undefined);
    return row ? toJob(row) : undefined;
  };

  return {
    create(j, stepNames) {
      const v = validate(NEW_JOB, j, 'job');
      const names = validate(STEP_NAMES, stepNames, 'job step list');
      const id = v.id ?? randomUUID();
      guard('job', () =>
        db.transaction(() => {
          insertJob.run({ ...v, id, params: toJson(v.params), now: ctx.now() });
          names.forEach((name, ordinal) => insertStep.run(id, name, ordinal));
        })(),
      );
      return get(id)!;
    },
    get,
    list(filter = {}) {
      const statuses = filter.status === undefined ? undefined : validate(z.array(z.enum(JOB_STATUSES)), filter.status, 'job filter');
      if (statuses?.length === 0) return [];
      const rows = guard('job', () =>
        statuses === undefined
          ? (all.all() as JobRow[])
          : (db.prepare(`SELECT * FROM jobs WHERE status IN (${statuses.map(() => '?').join(', ')}) ORDER BY created_at, rowid`).all(...statuses) as JobRow[]),
      );
      return rows.map(toJob);
    },
    update(id, patch) {
      const { id: patchId, ...rest } = patch;
      if (patchId !== undefined && patchId !== id) throw new StationError('INVALID_INPUT', 'The job id cannot be changed.', { field: 'id' });
      const v = validate(JOB_PATCH, rest, 'job');
      const set = setClause(v, JOB_COLUMNS, 'job');
      const result = guard('job', () =>
        db
          .prepare(`UPDATE jobs SET ${set ? `${set}, ` : ''}updated_at = @updatedAt WHERE id = @id`)
          .run({ ...bindJson(v, ['error', 'params']), id, updatedAt: ctx.now() }),
      );
      if (result.changes === 0) throw notFound('job', id);
      return get(id)!;
    },
    steps(jobId) {
      return guard('job step', () => stepsOf.all(jobId) as StepRow[]).map(toStep);
    },
    updateStep(jobId, name, patch) {
      const { jobId: pj, name: pn, ordinal: po, ...rest } = patch;
      if ((pj !== undefined && pj !== jobId) || (pn !== undefined && pn !== name) || po !== undefined) {
        throw new StationError('INVALID_INPUT', 'A step cannot be moved to another job, renamed or reordered.', {});
      }
      const v = validate(STEP_PATCH, rest, 'job step');
      const set = setClause(v, STEP_COLUMNS, 'job step');
      if (set) {
        const result = guard('job step', () =>
          db.prepare(`UPDATE job_steps SET ${set} WHERE job_id = @jobId AND name = @name`).run({ ...bindJson(v, ['error', 'data']), jobId, name }),
        );
        if (result.changes === 0) throw notFound('job step', `${jobId}/${name}`);
      }
      const row = guard('job step', () => stepByName.get(jobId, name) as StepRow | undefined);
      if (!row) throw notFound('job step', `${jobId}/${name}`);
      return toStep(row);
    },
  };
}
