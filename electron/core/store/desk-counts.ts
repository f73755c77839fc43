/**
 * What waits at the desk, counted in one SQL statement (issue 12, observation 8: "no pending counts
 * anywhere"): card requests waiting for approval and approved requests waiting for production
 * (store migration 2), production jobs not finished (pending, running, failed: a failed job waits
 * for a retry or a cancellation), and notifications to the IDPRS still pending or dead (migration 3).
 * The menu and the Production queue and Notifications screens all read these counts
 * (`station.counts`), so they agree.
 */
import type { Database } from 'better-sqlite3';
import { guard } from './sql.js';
import { PENDING as OUTBOX_PENDING } from '../notifications/outbox.js';

/** The counts of one look, each a whole number of records. */
export interface DeskCounts {
  /** Requests in state `requested` (the approvers' task). */
  requested: number;
  /** Requests in state `approved` (the production officers' task). */
  approved: number;
  /** Production jobs by unfinished status. */
  jobs: { pending: number; running: number; failed: number };
  /** Outbox events waiting for delivery, and dead letters. */
  notifications: { pending: number; dead: number };
}

interface Row {
  requested: number;
  approved: number;
  jobs_pending: number;
  jobs_running: number;
  jobs_failed: number;
  outbox_pending: number;
  outbox_dead: number;
}

/**
 * Counts what waits, in one statement (one consistent snapshot of the database).
 * @throws StationError STORE when the database cannot be read
 */
export function deskCounts(db: Database): DeskCounts {
  const row = guard('count', () =>
    db
      .prepare<[], Row>(
        `SELECT
           (SELECT count(*) FROM card_requests WHERE state = 'requested') AS requested,
           (SELECT count(*) FROM card_requests WHERE state = 'approved') AS approved,
           (SELECT count(*) FROM jobs WHERE status = 'pending') AS jobs_pending,
           (SELECT count(*) FROM jobs WHERE status = 'running') AS jobs_running,
           (SELECT count(*) FROM jobs WHERE status = 'failed') AS jobs_failed,
           (SELECT count(*) FROM outbox_events WHERE ${OUTBOX_PENDING}) AS outbox_pending,
           (SELECT count(*) FROM outbox_events WHERE dead_at IS NOT NULL) AS outbox_dead`,
      )
      .get()!,
  );
  return {
    requested: row.requested,
    approved: row.approved,
    jobs: { pending: row.jobs_pending, running: row.jobs_running, failed: row.jobs_failed },
    notifications: { pending: row.outbox_pending, dead: row.outbox_dead },
  };
}
