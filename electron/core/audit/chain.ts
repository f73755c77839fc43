/**
 * The audit hash chain (issue 5 "Audit").
 *
 *   hash(n) = SHA-256( prev_hash ‖ UTF-8( canonical(event n) ) )
 *   prev_hash(1) = 32 zero bytes (GENESIS_HASH); prev_hash(n) = hash(n − 1)
 *
 * where `prev_hash` enters as its 32 raw bytes and canonical() is RFC 8785
 * JCS (canonical-json.ts) of the object
 *   { seq, at, actor, action, outcome, personId, cardId, jobId, details }
 * with every member present (absent ids and details are `null`). Hashes are
 * written as 64 lowercase hex digits.
 *
 * Because `seq` and the previous hash are inside the hashed bytes, changing,
 * deleting or reordering any stored event breaks the chain at that event.
 */
import { createHash } from 'node:crypto';
import type { StoredAuditRow } from '../store/audit.js';
import { canonicalJson } from './canonical-json.js';

/** prev_hash of the first event: 32 zero bytes, as hex. */
export const GENESIS_HASH = '0'.repeat(64);

/** Length of a SHA-256 digest in hex digits. */
export const HASH_HEX_LENGTH = 64;

const HEX_HASH = /^[0-9a-f]{64}$/;

/** The fields of one audit event that the chain covers (every stored field but the chain columns). */
export interface ChainedFields {
  seq: number;
  at: string;
  actor: string;
  action: string;
  outcome: string;
  personId: string | null;
  cardId: string | null;
  jobId: string | null;
  /** Parsed details object (null when the event has none). */
  details: unknown;
}

/** The canonical text of an event (RFC 8785), exactly what is hashed after the previous hash. */
export function canonicalEvent(e: ChainedFields): string {
  return canonicalJson({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    outcome: e.outcome,
    personId: e.personId,
    cardId: e.cardId,
    jobId: e.jobId,
    details: e.details ?? null,
  });
}

/** True when `s` is 64 lowercase hex digits. */
export function isHashHex(s: unknown): s is string {
  return typeof s === 'string' && HEX_HASH.test(s);
}

/**
 * hash(n) = SHA-256(prev ‖ UTF-8(canonical(event))).
 * @param prevHash the previous event's hash (or GENESIS_HASH), 64 hex digits
 * @returns 64 lowercase hex digits
 * @throws StationError INVALID_INPUT when the event holds a value JSON cannot represent
 */
export function chainHash(prevHash: string, e: ChainedFields): string {
  // A malformed stored prev_hash still hashes deterministically (its hex decodes partially),
  // and can never equal a hash computed from the real predecessor.
  return createHash('sha256').update(Buffer.from(prevHash, 'hex')).update(canonicalEvent(e), 'utf8').digest('hex');
}

const str = (v: unknown): v is string => typeof v === 'string';
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** The hashed fields of a stored row, or null when a stored value has the wrong type or the details are not JSON. */
export function storedRowFields(row: StoredAuditRow): ChainedFields | null {
  if (!str(row.at) || !str(row.actor) || !str(row.action) || !str(row.outcome)) return null;
  if (!strOrNull(row.personId) || !strOrNull(row.cardId) || !strOrNull(row.jobId) || !strOrNull(row.detailsJson)) return null;
  let details: unknown = null;
  if (row.detailsJson !== null) {
    try {
      details = JSON.parse(row.detailsJson);
    } catch {
      return null;
    }
  }
  return { seq: row.seq, at: row.at, actor: row.actor, action: row.action, outcome: row.outcome, personId: row.personId, cardId: row.cardId, jobId: row.jobId, details };
}

/** The parsed details of a stored row, or null when it has none or they are not a JSON object. */
export function storedRowDetails(row: StoredAuditRow): Record<string, unknown> | null {
  const d = storedRowFields(row)?.details;
  return d !== null && typeof d === 'object' && !Array.isArray(d) ? (d as Record<string, unknown>) : null;
}

/**
 * Recomputes the hash of a stored row from its own stored prev_hash (nothing
 * stored is trusted: verification and the signer use it).
 * @returns 64 hex digits, or null when the row cannot be hashed
 */
export function storedRowHash(row: StoredAuditRow): string | null {
  const fields = storedRowFields(row);
  if (!fields || !str(row.prevHash)) return null;
  try {
    return chainHash(row.prevHash, fields);
  } catch {
    return null;
  }
}

/**
 * Whether `rows` (consecutive stored rows, in seq order) continue the chain
 * from `prev`: each names the previous hash, hashes to its stored hash, and
 * seqs follow one another from `firstSeq`.
 * @returns the hash of the last row, or null when the chain breaks
 */
export function continueChain(prev: string, firstSeq: number, rows: readonly StoredAuditRow[]): string | null {
  let expected = firstSeq;
  for (const row of rows) {
    if (row.seq !== expected || row.prevHash !== prev || !isHashHex(row.hash) || storedRowHash(row) !== row.hash) return null;
    prev = row.hash;
    expected++;
  }
  return prev;
}
