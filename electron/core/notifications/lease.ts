/**
 * The delivery lease (issue 5: at least once, in order per card): exactly one
 * delivery worker per data dir sends the outbox at a time. The station faces
 * (browser host, Electron shell) and `station outbox deliver` may all run on
 * one data dir; each worker asks for the lease before a pass and only the
 * holder sends. The lease is a row with an expiry (table
 * `notification_delivery_lease`, store migration 6), not a lock held by a
 * process, so a worker killed with SIGKILL is replaced once its lease runs
 * out, and nothing is lost: its claimed events stay pending (outbox.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { guard } from '../store/sql.js';

/** The lease of one worker. */
export interface DeliveryLease {
  /** This worker's holder name: `pid <n> <uuid>` (shown to no one but the store). */
  readonly holder: string;
  /**
   * Takes or renews the lease until `now + ttl` when it is free, expired or
   * already this worker's. @returns true when this worker holds it now
   */
  acquire(now: Date): boolean;
  /** Gives the lease up (when this worker holds it), so another worker may start at once. */
  release(): void;
  /** The current holder and expiry, or undefined when nobody holds it. */
  current(): { holder: string; expiresAt: string } | undefined;
}

/**
 * The lease for a new worker on `db`.
 * @param db    the station database (schema 6 or later)
 * @param ttlMs how long an acquisition lasts, milliseconds: longer than the
 *              longest gap between two passes of the holder (poll interval + one request)
 * @throws StationError STORE (from acquire/release) when SQLite fails
 */
export function deliveryLease(db: Database, ttlMs: number, holder: string = `pid ${process.pid} ${randomUUID()}`): DeliveryLease {
  // The upsert only replaces a row that is ours or expired; RETURNING tells whether it did.
  const take = db.prepare(
    `INSERT INTO notification_delivery_lease (id, holder, expires_at) VALUES (1, @holder, @expires)
     ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE notification_delivery_lease.holder = excluded.holder OR notification_delivery_lease.expires_at <= @now
     RETURNING holder`,
  );
  const drop = db.prepare('DELETE FROM notification_delivery_lease WHERE id = 1 AND holder = ?');
  const read = db.prepare('SELECT holder, expires_at AS expiresAt FROM notification_delivery_lease WHERE id = 1');
  return {
    holder,
    acquire(now) {
      const row = guard('delivery lease', () => take.get({ holder, now: now.toISOString(), expires: new Date(now.getTime() + ttlMs).toISOString() }));
      return row !== undefined;
    },
    release() {
      guard('delivery lease', () => drop.run(holder));
    },
    current() {
      return guard('delivery lease', () => read.get() as { holder: string; expiresAt: string } | undefined);
    },
  };
}

/**
 * The lease time for a delivery policy: two poll intervals plus one request
 * and a margin, so a live holder always renews before it expires.
 * @returns milliseconds
 */
export function leaseTtlMs(policy: { pollIntervalMs: number; requestTimeoutMs: number }): number {
  const MARGIN_MS = 5_000;
  return 2 * policy.pollIntervalMs + policy.requestTimeoutMs + MARGIN_MS;
}
