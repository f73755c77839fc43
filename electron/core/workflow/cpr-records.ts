/**
 * The CPR ledger: every CPR the station received, accepted or rejected, in
 * the `cprs` table (schema migrations 2 and 10). Rejections are recorded too,
 * so the IDPRS can ask for their status and delete them. Rows are never
 * removed: a deleted CPR stays, marked deleted, so the intake remembers every
 * verified document and request id it has seen (issue 10, finding 4).
 */
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { guard } from '../store/sql.js';

/** CPR ledger states: accepted (a request was created), rejected, deleted (by the IDPRS delete-request). */
export type CprStatus = 'accepted' | 'rejected' | 'deleted';

/** One received CPR. */
export interface CprRecord {
  id: string;
  /** ISO-8601 UTC. */
  receivedAt: string;
  /** The IDPRS's request id; null when the CPR was too broken to read it. */
  idprsRequestId: string | null;
  personExternalId: string | null;
  status: CprStatus;
  /** The rejection's error code (CPR_*), null when accepted. */
  errorCode: string | null;
  /** The sentence answered to the IDPRS. */
  message: string | null;
  /** SHA-256 (lowercase hex) of the signed CPR as received (DER). */
  documentSha256: string | null;
  /** The card request created from it (accepted CPRs). */
  requestId: string | null;
  /** The CPR's signed `submittedAt`, as UTC ISO-8601; null when the signature did not verify (or before migration 10). */
  submittedAt: string | null;
  /**
   * True when the IDPRS signature verified and the CPR was decided on its
   * merits: its document and request id are then spent. False for forged,
   * malformed and unstorable CPRs, whose ids are only claimed.
   */
  verified: boolean;
}

interface CprRow {
  id: string;
  received_at: string;
  idprs_request_id: string | null;
  person_external_id: string | null;
  status: CprStatus;
  error_code: string | null;
  message: string | null;
  document_sha256: string | null;
  request_id: string | null;
  submitted_at: string | null;
  verified: number;
}

const toRecord = (r: CprRow): CprRecord => ({
  id: r.id,
  receivedAt: r.received_at,
  idprsRequestId: r.idprs_request_id,
  personExternalId: r.person_external_id,
  status: r.status,
  errorCode: r.error_code,
  message: r.message,
  documentSha256: r.document_sha256,
  requestId: r.request_id,
  submittedAt: r.submitted_at,
  verified: r.verified === 1,
});

/** Repository over `cprs`. Every method throws StationError STORE (or INVALID_INPUT on a constraint) when SQLite fails. */
export interface CprRecords {
  /** Records a received CPR; `id` defaults to a random UUID, `receivedAt` to now. */
  insert(r: Omit<CprRecord, 'id' | 'receivedAt'> & { id?: string; receivedAt?: string }): CprRecord;
  get(id: string): CprRecord | undefined;
  /** Every CPR with that IDPRS request id, newest first. */
  byIdprsRequestId(idprsRequestId: string): CprRecord[];
  /** True when a CPR for this IDPRS person was ever accepted (still accepted, or accepted then deleted). */
  everAcceptedFor(personExternalId: string): boolean;
  /** Every verified CPR with this document hash (SHA-256 hex of the DER), newest first. */
  verifiedByDocument(documentSha256: string): CprRecord[];
  /** The latest signed submission time among the CPRs ever accepted for this IDPRS person (ISO-8601 UTC), if any. */
  lastAcceptedSubmission(personExternalId: string): string | undefined;
  /** Links an accepted CPR to its card request. */
  setRequest(id: string, requestId: string): void;
  /** Marks CPRs deleted (the IDPRS delete-request), keeping their error code and message. */
  markDeleted(ids: string[]): void;
}

/**
 * Opens the CPR ledger on the station database.
 * @param db  the station database (schema 2 or later)
 * @param now clock for `receivedAt`
 */
export function cprRecords(db: Database, now: () => Date = () => new Date()): CprRecords {
  const insert = db.prepare(
    `INSERT INTO cprs (id, received_at, idprs_request_id, person_external_id, status, error_code, message, document_sha256, request_id, submitted_at, verified)
     VALUES (@id, @receivedAt, @idprsRequestId, @personExternalId, @status, @errorCode, @message, @documentSha256, @requestId, @submittedAt, @verified) RETURNING *`,
  );
  const byId = db.prepare('SELECT * FROM cprs WHERE id = ?');
  // rowid breaks ties between CPRs received within the same millisecond.
  const byIdprs = db.prepare('SELECT * FROM cprs WHERE idprs_request_id = ? ORDER BY received_at DESC, rowid DESC');
  const everAccepted = db.prepare('SELECT 1 FROM cprs WHERE person_external_id = ? AND request_id IS NOT NULL LIMIT 1');
  const byDocument = db.prepare('SELECT * FROM cprs WHERE document_sha256 = ? AND verified = 1 ORDER BY received_at DESC, rowid DESC');
  // ISO-8601 UTC strings of one format order as the instants they name.
  const lastSubmission = db.prepare('SELECT max(submitted_at) AS at FROM cprs WHERE person_external_id = ? AND request_id IS NOT NULL');
  const setRequest = db.prepare('UPDATE cprs SET request_id = ? WHERE id = ?');
  const markDeleted = db.prepare("UPDATE cprs SET status = 'deleted' WHERE id = ?");
  return {
    insert(r) {
      const row = guard('CPR', () =>
        insert.get({
          id: r.id ?? randomUUID(),
          receivedAt: r.receivedAt ?? now().toISOString(),
          idprsRequestId: r.idprsRequestId,
          personExternalId: r.personExternalId,
          status: r.status,
          errorCode: r.errorCode,
          message: r.message,
          documentSha256: r.documentSha256,
          requestId: r.requestId,
          submittedAt: r.submittedAt,
          verified: r.verified ? 1 : 0,
        }) as CprRow,
      );
      return toRecord(row);
    },
    get(id) {
      const row = guard('CPR', () => byId.get(id) as CprRow | undefined);
      return row ? toRecord(row) : undefined;
    },
    byIdprsRequestId(idprsRequestId) {
      return guard('CPR', () => byIdprs.all(idprsRequestId) as CprRow[]).map(toRecord);
    },
    everAcceptedFor(personExternalId) {
      return guard('CPR', () => everAccepted.get(personExternalId) !== undefined);
    },
    verifiedByDocument(documentSha256) {
      return guard('CPR', () => byDocument.all(documentSha256) as CprRow[]).map(toRecord);
    },
    lastAcceptedSubmission(personExternalId) {
      return guard('CPR', () => (lastSubmission.get(personExternalId) as { at: string | null }).at ?? undefined);
    },
    setRequest(id, requestId) {
      guard('CPR', () => setRequest.run(requestId, id));
    },
    markDeleted(ids) {
      guard('CPR', () => ids.forEach((id) => markDeleted.run(id)));
    },
  };
}
