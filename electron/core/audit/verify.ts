/**
 * `station audit verify` (issue 5 "Audit"): recomputes the hash chain from
 * the stored rows and checks every signed head, reporting the first broken
 * link: the lowest seq at which the log is no longer what was recorded.
 *
 * What each problem means:
 * - `changed`: the event at seq (any stored field, or its chain columns) differs from what was hashed;
 * - `deleted`: an event is missing (a gap in seq, or a signed head beyond the end of the log);
 * - `reordered`: the event at seq links to an event that is elsewhere in the log (events moved);
 * - `rewritten`: the chain is self-consistent but differs from a signed head (the log was rebuilt);
 * - `bad-head-signature`: a signed head whose signature or signing key is not the station's.
 *
 * Limit: events appended after the last signed head can be rewritten
 * consistently by whoever holds the database file; signing every N events and
 * on close keeps that window short.
 */
import type { AuditRepository, SignedHeadRecord, StoredAuditRow } from '../store/audit.js';
import { chainHash, GENESIS_HASH, isHashHex, type ChainedFields } from './chain.js';
import { verifyHeadSignature, type KeyTrust } from './head-signer.js';

/** Kinds of broken link, see the module comment. */
export const AUDIT_PROBLEMS = ['changed', 'deleted', 'reordered', 'rewritten', 'bad-head-signature'] as const;
export type AuditProblem = (typeof AUDIT_PROBLEMS)[number];

/** The first broken link. */
export interface BrokenLink {
  seq: number;
  problem: AuditProblem;
  /** One plain sentence for an auditor. */
  message: string;
}

/** A signed head as reported. */
export interface HeadSummary {
  seq: number;
  hash: string;
  at: string;
  keyId: number;
}

/** Result of verifying the audit log. */
export interface AuditVerification {
  ok: boolean;
  /** Stored events. */
  events: number;
  /** The chain head (last stored event), null for an empty log. */
  head: { seq: number; hash: string } | null;
  /** Signed heads stored. */
  signedHeads: number;
  /** The newest signed head whose signature is valid and agrees with the chain, or null. */
  lastSignedHead: HeadSummary | null;
  /** Present when ok is false. */
  firstBroken?: BrokenLink;
}

/** What verification reads: the repository's raw rows and heads, and who may sign. */
export interface VerifyInput {
  audit: Pick<AuditRepository, 'storedRows' | 'seqOfHash' | 'heads'>;
  /** Whether key `keyId` is the station's (head-signer.ts trust()). */
  trust(keyId: number): KeyTrust;
}

const str = (v: unknown): v is string => typeof v === 'string';
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** The hashed fields of a stored row, or null when a stored value has the wrong type or the details are not JSON. */
function fieldsOf(row: StoredAuditRow): ChainedFields | null {
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

/** Recomputes the hash of a stored row from its own prev_hash, or null when it cannot be hashed. */
function recompute(row: StoredAuditRow): string | null {
  const fields = fieldsOf(row);
  if (!fields || !str(row.prevHash)) return null;
  try {
    return chainHash(row.prevHash, fields);
  } catch {
    return null;
  }
}

/** A break found while walking, classified once the walk's cursor is closed (SQLite allows one statement at a time). */
type PendingBreak = { kind: 'gap'; missingFrom: number; nextSeq: number } | { kind: 'link'; seq: number; row: StoredAuditRow } | { kind: 'content'; seq: number; why: string };

/**
 * Verifies the whole audit log.
 * @returns the verification; never throws for a broken log (only for a database failure, StationError STORE)
 */
export function verifyAuditLog(input: VerifyInput): AuditVerification {
  const heads = input.audit.heads.list();
  const wanted = new Set(heads.map((h) => h.seq));
  const chainAt = new Map<number, string>();
  let events = 0;
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let last: { seq: number; hash: string } | null = null;
  let pending: PendingBreak | undefined;

  for (const row of input.audit.storedRows()) {
    events++;
    last = { seq: row.seq, hash: str(row.hash) ? row.hash : '' };
    if (pending) continue; // keep counting; the first break is already known
    if (row.seq !== expectedSeq) {
      // seq is the INTEGER PRIMARY KEY, ascending: a jump means events are gone.
      pending = { kind: 'gap', missingFrom: expectedSeq, nextSeq: row.seq };
      continue;
    }
    if (!isHashHex(row.hash) || !isHashHex(row.prevHash)) {
      pending = { kind: 'content', seq: row.seq, why: 'its chain hash is missing or malformed' };
      continue;
    }
    if (row.prevHash !== prev) {
      pending = { kind: 'link', seq: row.seq, row };
      continue;
    }
    const hash = recompute(row);
    if (hash !== row.hash) {
      pending = { kind: 'content', seq: row.seq, why: hash === null ? 'a stored field has a value the station never writes' : 'its stored fields no longer match its hash' };
      continue;
    }
    if (wanted.has(row.seq)) chainAt.set(row.seq, row.hash);
    prev = row.hash;
    expectedSeq++;
  }

  let broken: BrokenLink | undefined = pending ? classify(pending, input.audit) : undefined;
  const consider = (b: BrokenLink) => {
    if (!broken || b.seq < broken.seq) broken = b;
  };

  let lastSignedHead: HeadSummary | null = null;
  const lastSeq = last?.seq ?? 0;
  for (const h of heads) {
    const summary: HeadSummary = { seq: h.seq, hash: h.hash, at: h.at, keyId: h.keyId };
    const t = input.trust(h.keyId);
    if (!t.trusted) {
      consider({ seq: h.seq, problem: 'bad-head-signature', message: `The signed chain head at seq ${h.seq} was not signed by this station: ${t.reason}.` });
      continue;
    }
    if (!verifyHeadSignature(h, t.publicKey)) {
      consider({ seq: h.seq, problem: 'bad-head-signature', message: `The signature of the chain head at seq ${h.seq} is not valid: the head was forged or altered.` });
      continue;
    }
    if (h.seq > lastSeq) {
      consider({ seq: lastSeq + 1, problem: 'deleted', message: `Events ${lastSeq + 1} to ${h.seq} were deleted: the station signed a chain head at seq ${h.seq} but the log ends at seq ${lastSeq}.` });
      continue;
    }
    const at = chainAt.get(h.seq);
    if (at === undefined) continue; // beyond an earlier break, already reported
    if (at !== h.hash) {
      consider({ seq: h.seq, problem: 'rewritten', message: `The log up to seq ${h.seq} was rewritten after the station signed it: the chain no longer ends in the signed hash there.` });
      continue;
    }
    if (!lastSignedHead || h.seq >= lastSignedHead.seq) lastSignedHead = summary;
  }
  // A signed head after the first break vouches for nothing.
  if (broken && lastSignedHead && lastSignedHead.seq >= broken.seq) lastSignedHead = null;

  return {
    ok: broken === undefined,
    events,
    head: last,
    signedHeads: heads.length,
    lastSignedHead,
    ...(broken ? { firstBroken: broken } : {}),
  };
}

function classify(p: PendingBreak, audit: Pick<AuditRepository, 'seqOfHash'>): BrokenLink {
  switch (p.kind) {
    case 'gap': {
      const range = p.nextSeq - p.missingFrom === 1 ? `Event ${p.missingFrom} was` : `Events ${p.missingFrom} to ${p.nextSeq - 1} were`;
      return { seq: p.missingFrom, problem: 'deleted', message: `${range} deleted from the audit log.` };
    }
    case 'content':
      return { seq: p.seq, problem: 'changed', message: `Event ${p.seq} was changed after it was recorded: ${p.why}.` };
    case 'link': {
      const prevHash = p.row.prevHash as string;
      const elsewhere = audit.seqOfHash(prevHash);
      if (elsewhere !== null && elsewhere !== p.seq - 1) {
        return { seq: p.seq, problem: 'reordered', message: `Event ${p.seq} was moved: it was recorded right after the event now at seq ${elsewhere}.` };
      }
      if (p.seq > 1 && recompute(p.row) === p.row.hash) {
        // This event is intact and names a predecessor that is no longer there: the previous event was changed and re-hashed.
        return { seq: p.seq - 1, problem: 'changed', message: `Event ${p.seq - 1} was changed and re-hashed after it was recorded: the next event no longer links to it.` };
      }
      return { seq: p.seq, problem: 'changed', message: `Event ${p.seq} was changed after it was recorded: its link to the previous event does not match.` };
    }
  }
}

/** Every signed head, oldest first, as reported (for export). */
export function headSummaries(heads: readonly SignedHeadRecord[]): HeadSummary[] {
  return heads.map((h) => ({ seq: h.seq, hash: h.hash, at: h.at, keyId: h.keyId }));
}
