/**
 * Audit events repository: the append-only log (UPDATE and DELETE are
 * refused by triggers). Hash-chaining lives in electron/core/audit, above this.
 */
import { z } from 'zod';
import { AUDIT_OUTCOMES, type AuditEventRecord, type NewAuditEvent } from './records.js';
import { fromJson, guard, toJson, validate, type StoreContext } from './sql.js';

const NEW_EVENT = z.object({
  at: z.iso.datetime({ offset: true }).optional(),
  actor: z.string().min(1).max(200),
  action: z.string().min(1).max(100),
  outcome: z.enum(AUDIT_OUTCOMES),
  personId: z.string().min(1).nullish(),
  cardId: z.string().min(1).nullish(),
  jobId: z.string().min(1).nullish(),
  details: z.record(z.string(), z.unknown()).nullish(),
});

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  outcome: AuditEventRecord['outcome'];
  person_id: string | null;
  card_id: string | null;
  job_id: string | null;
  details_json: string | null;
}

function toRecord(row: AuditRow): AuditEventRecord {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    outcome: row.outcome,
    personId: row.person_id,
    cardId: row.card_id,
    jobId: row.job_id,
    details: fromJson(row.details_json),
  };
}

export interface AuditRepository {
  /** Appends one event (`at` defaults to now); returns it with its sequence number. @throws StationError INVALID_INPUT */
  append(e: NewAuditEvent): AuditEventRecord;
  /** Events in order, optionally only those naming every given card / job / person. */
  list(filter?: { cardId?: string; jobId?: string; personId?: string }): AuditEventRecord[];
}

export function auditRepository(ctx: StoreContext): AuditRepository {
  const { db } = ctx;
  const insert = db.prepare(
    `INSERT INTO audit_events (at, actor, action, outcome, person_id, card_id, job_id, details_json)
     VALUES (@at, @actor, @action, @outcome, @personId, @cardId, @jobId, @details) RETURNING *`,
  );
  const select = db.prepare(
    `SELECT * FROM audit_events
     WHERE (@cardId IS NULL OR card_id = @cardId) AND (@jobId IS NULL OR job_id = @jobId) AND (@personId IS NULL OR person_id = @personId)
     ORDER BY seq`,
  );
  return {
    append(e) {
      const v = validate(NEW_EVENT, e, 'audit event');
      const row = guard('audit event', () =>
        insert.get({
          at: v.at ?? ctx.now(),
          actor: v.actor,
          action: v.action,
          outcome: v.outcome,
          personId: v.personId ?? null,
          cardId: v.cardId ?? null,
          jobId: v.jobId ?? null,
          details: toJson(v.details),
        }) as AuditRow,
      );
      return toRecord(row);
    },
    list(filter = {}) {
      const rows = guard('audit event', () =>
        select.all({ cardId: filter.cardId ?? null, jobId: filter.jobId ?? null, personId: filter.personId ?? null }) as AuditRow[],
      );
      return rows.map(toRecord);
    },
  };
}
