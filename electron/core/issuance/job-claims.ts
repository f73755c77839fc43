/**
 * One claim per production job, across processes (issue 10, finding 12 "A job
 * can run twice"). The CLI, the browser host and the Electron shell may share
 * one data dir; a job must run on one card session at a time, whoever asks.
 *
 * The claim is a lease row in the store (`job_leases`, migration 10), like the
 * notification delivery lease (notifications/lease.ts): a holder name and an
 * expiry. A running job renews it (at every step and every third of the lease
 * time); a second claim, from this process or another, is refused with
 * JOB_STATE while the lease is live; a holder that crashed (kill -9, power
 * cut) leaves a lease that simply runs out, after which a retry may claim the
 * job again. This registry is the only one of running jobs: the engine claims
 * through it, and the core waits on it for a run to settle.
 */
import { randomUUID } from 'node:crypto';
import { StationError } from '../errors.js';
import { guard } from '../store/sql.js';
import type { StationStore } from '../store/store.js';

/** How long a claim lasts without renewal (ms): several times the longest pause between two renewals. */
export const JOB_LEASE_TTL_MS = 60_000;

/** The claim on one job, held by this process until released. */
export interface JobClaim {
  readonly jobId: string;
  /** Extends the lease to now + TTL. @throws StationError JOB_STATE when another holder took it over (ours had expired) */
  renew(): void;
  /** Gives the job up: the lease row is removed and waiters are woken. Idempotent. */
  release(): void;
}

/** The running-job registry of one store. */
export interface JobClaims {
  /**
   * Claims `jobId` for a run in this process.
   * @throws StationError JOB_STATE when the job runs here or under another holder's live lease
   */
  claim(jobId: string): JobClaim;
  /** True when the job runs in this process or under a live lease of another. */
  isRunning(jobId: string): boolean;
  /** True when this process holds the claim on `jobId`. */
  heldHere(jobId: string): boolean;
  /** Resolves once this process's claim on `jobId` is released (at once when it holds none). */
  released(jobId: string): Promise<void>;
  /** Resolves once every claim of this process is released. */
  allReleased(): Promise<void>;
  /** True while this process holds any claim (the core's quiescence: StationCore.idle). */
  holdsAny(): boolean;
}

/** Options of {@link jobClaimsOf}. */
export interface JobClaimsOptions {
  /** Clock of the lease times (tests pass time with it). */
  now?: () => Date;
  /** Lease time, ms (default {@link JOB_LEASE_TTL_MS}). */
  ttlMs?: number;
}

const registries = new WeakMap<object, JobClaims>();

/**
 * The job claims of `store`: one registry per open database, so every
 * service of a process (engine, core, batch) sees the same running jobs.
 * The options of the first call on a store are kept.
 */
export function jobClaimsOf(store: StationStore, opts: JobClaimsOptions = {}): JobClaims {
  let claims = registries.get(store.db);
  if (!claims) {
    claims = createJobClaims(store, opts);
    registries.set(store.db, claims);
  }
  return claims;
}

function alreadyRunning(jobId: string): StationError {
  return new StationError('JOB_STATE', `Job ${jobId} is already running (here or at another station window on this data dir).`, { jobId });
}

function createJobClaims(store: StationStore, opts: JobClaimsOptions): JobClaims {
  const now = opts.now ?? (() => new Date());
  const ttlMs = opts.ttlMs ?? JOB_LEASE_TTL_MS;
  const { db } = store;
  // Replaces only a lease that is ours or expired; RETURNING tells whether it did.
  const take = db.prepare(
    `INSERT INTO job_leases (job_id, holder, expires_at) VALUES (@jobId, @holder, @expires)
     ON CONFLICT (job_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE job_leases.holder = excluded.holder OR job_leases.expires_at <= @now
     RETURNING holder`,
  );
  const drop = db.prepare('DELETE FROM job_leases WHERE job_id = ? AND holder = ?');
  const live = db.prepare('SELECT 1 FROM job_leases WHERE job_id = ? AND expires_at > ?');
  /** This process's claims: job id → the promise that resolves on release. */
  const here = new Map<string, { done: Promise<void>; resolve: () => void }>();

  function lease(jobId: string, holder: string): boolean {
    const t = now();
    const row = guard('job lease', () => take.get({ jobId, holder, now: t.toISOString(), expires: new Date(t.getTime() + ttlMs).toISOString() }));
    return row !== undefined;
  }

  return {
    claim(jobId) {
      if (here.has(jobId)) throw alreadyRunning(jobId);
      const holder = `pid ${process.pid} ${randomUUID()}`;
      if (!lease(jobId, holder)) throw alreadyRunning(jobId);
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      const entry = { done, resolve };
      here.set(jobId, entry);
      let released = false;
      return {
        jobId,
        renew() {
          if (released) return;
          if (!lease(jobId, holder)) throw alreadyRunning(jobId);
        },
        release() {
          if (released) return;
          released = true;
          if (here.get(jobId) === entry) here.delete(jobId);
          try {
            guard('job lease', () => drop.run(jobId, holder));
          } finally {
            // Waiters go on even when the row could not be removed: it expires.
            resolve();
          }
        },
      };
    },
    isRunning(jobId) {
      return here.has(jobId) || guard('job lease', () => live.get(jobId, now().toISOString()) !== undefined);
    },
    heldHere(jobId) {
      return here.has(jobId);
    },
    released(jobId) {
      return here.get(jobId)?.done ?? Promise.resolve();
    },
    holdsAny() {
      return here.size > 0;
    },
    async allReleased() {
      await Promise.all([...here.values()].map((e) => e.done));
    },
  };
}
