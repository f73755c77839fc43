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
