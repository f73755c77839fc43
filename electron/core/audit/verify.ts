/**
 * `station audit verify` (issues 5 and 10): recomputes the hash chain from
 * the stored rows and checks every signed head, the audit keys, and the copy
 * of the signed heads published outside the data dir (anchor.ts), reporting
 * the first broken link: the lowest seq at which the log is no longer what
 * was recorded.
 *
 * What each problem means:
 * - `changed`: the event at seq (any stored field, or its chain columns) differs from what was hashed;
 * - `deleted`: an event is missing (a gap in seq, or a signed head beyond the end of the log);
 * - `reordered`: the event at seq links to an event that is elsewhere in the log (events moved);
 * - `rewritten`: the chain is self-consistent but differs from a signed head (the log was rebuilt);
 * - `bad-head-signature`: a signed head whose signature or signing key is not the station's;
 * - `unsigned`: the log has events but no signed head, or more than MAX_UNSIGNED_EVENTS after the
 *   last signed head (the heads were removed, or signing stopped): those events could be rewritten unseen;
 * - `key-missing`: the log has events but the station holds no audit key (the key and heads were removed);
 * - `key-not-rotated`: heads signed by a key no audited rotation introduced, or a rotation the
 *   previous key did not sign (the audit key was changed behind the station's back);
 * - `anchor-mismatch`: the log or the keys disagree with the published anchor (rewritten, deleted, key replaced);
 * - `anchor-unavailable`: an anchor is configured but cannot be read.
 *
 * Without an anchor the result says `anchor: { status: 'unanchored' }`: whoever
 * holds the data dir and the keyring's passphrase could still rebuild
 * everything consistently; only a copy elsewhere shows that.
 */
import { AUDIT_PROBLEMS, type AuditProblem } from '../../contract/channels/audit.js';
import type { AuditRepository, SignedHeadRecord, StoredAuditRow } from '../store/audit.js';
import { checkAnchor, type AuditAnchor } from './anchor.js';
import { GENESIS_HASH, isHashHex, storedRowDetails, storedRowHash } from './chain.js';
import { KEY_ROTATED_ACTION, keyFingerprint, MAX_UNSIGNED_EVENTS, verifyHeadSignature, type KeyTrust } from './head-signer.js';

export { AUDIT_PROBLEMS, type AuditProblem };

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
  /** Whether the log was checked against signed heads published outside the data dir. */
  anchor: AnchorStatus;
}

/** What became of the anchor check. */
export type AnchorStatus =
  | { status: 'unanchored' }
  | { status: 'checked'; source: string; seq: number; at: string }
  | { status: 'unavailable'; source: string };

/** An anchor to check against: its document, or why it could not be read. */
export type AnchorInput = { source: string; anchor: AuditAnchor } | { source: string; unavailable: string };

/** What verification reads: the repository's raw rows, heads and keys, and who may sign. */
export interface VerifyInput {
  audit: Pick<AuditRepository, 'storedRows' | 'seqOfHash' | 'heads' | 'keys'>;
  /** Whether key `keyId` is the station's (head-signer.ts trust()). */
  trust(keyId: number): KeyTrust;
  /** Events allowed after the last signed head (default MAX_UNSIGNED_EVENTS). */
  maxUnsigned?: number;
  /** The published anchor to check against; absent: the result says 'unanchored'. */
  anchor?: AnchorInput;
}

/** An audited key rotation as found in the log. */
interface Rotation {
  seq: number;
  previousKeyId: number | null;
  newKeyId: number;
  newKeyFingerprint: string;
}

const str = (v: unknown): v is string => typeof v === 'string';

/** A break found while walking, classified once the walk's cursor is closed (SQLite allows one statement at a time). */
type PendingBreak = { kind: 'gap'; missingFrom: number; nextSeq: number } | { kind: 'link'; seq: number; row: StoredAuditRow } | { kind: 'content'; seq: number; why: string };

/**
 * Verifies the whole audit log.
 * @returns the verification; never throws for a broken log (only for a database failure, StationError STORE)
 */
export function verifyAuditLog(input: VerifyInput): AuditVerification {
  const heads = input.audit.heads.list();
  const anchored = input.anchor && 'anchor' in input.anchor ? input.anchor.anchor : undefined;
  const wanted = new Set([...heads.map((h) => h.seq), ...(anchored ? [anchored.head.seq] : [])]);
  const rotations: Rotation[] = [];
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
    const hash = storedRowHash(row);
    if (hash !== row.hash) {
      pending = { kind: 'content', seq: row.seq, why: hash === null ? 'a stored field has a value the station never writes' : 'its stored fields no longer match its hash' };
      continue;
    }
    if (wanted.has(row.seq)) chainAt.set(row.seq, row.hash);
    if (row.action === KEY_ROTATED_ACTION) {
      const r = rotationOf(row);
      if (r) rotations.push(r);
    }
    prev = row.hash;
    expectedSeq++;
  }

  let broken: BrokenLink | undefined = pending ? classify(pending, input.audit) : undefined;
  const consider = (b: BrokenLink) => {
    if (!broken || b.seq < broken.seq) broken = b;
  };

  let lastSignedHead: HeadSummary | null = null;
  const lastSeq = last?.seq ?? 0;
  /** Heads whose key is trusted and whose signature verifies. */
  const validHeads: SignedHeadRecord[] = [];
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
    validHeads.push(h);
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

  const keys = input.audit.keys.list();
  if (events > 0 && keys.length === 0) {
    consider({ seq: 1, problem: 'key-missing', message: `The station holds no audit key although the log has ${events} events: the key and its signed heads were removed.` });
  }
  if (events > 0 && heads.length === 0) {
    consider({ seq: 1, problem: 'unsigned', message: `No chain head of the ${events} events was ever signed: the signed heads were removed.` });
  }
  for (const b of keyCustody(keys, rotations, validHeads)) consider(b);

  // Events past the last signed head could be rewritten by whoever holds the file: only a few may be.
  const maxUnsigned = input.maxUnsigned ?? MAX_UNSIGNED_EVENTS;
  const covered = lastSignedHead?.seq ?? 0;
  if (heads.length > 0 && lastSeq - covered > maxUnsigned) {
    consider({
      seq: covered + maxUnsigned + 1,
      problem: 'unsigned',
      message: `Events ${covered + 1} to ${lastSeq} are not covered by a signed chain head (at most ${maxUnsigned} may be): signing stopped or the heads were removed.`,
    });
  }

  let anchor: AnchorStatus = { status: 'unanchored' };
  if (input.anchor && 'unavailable' in input.anchor) {
    anchor = { status: 'unavailable', source: input.anchor.source };
    consider({ seq: 1, problem: 'anchor-unavailable', message: `The audit anchor ${input.anchor.source} cannot be read: ${input.anchor.unavailable}.` });
  } else if (anchored && input.anchor) {
    anchor = { status: 'checked', source: input.anchor.source, seq: anchored.head.seq, at: anchored.head.at };
    const mismatch = checkAnchor(anchored, input.audit.keys, (seq) => chainAt.get(seq), lastSeq);
    if (mismatch) consider({ ...mismatch, problem: 'anchor-mismatch' });
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
    anchor,
  };
}

/** A key rotation event's details, or null when they are not a rotation's. */
function rotationOf(row: StoredAuditRow): Rotation | null {
  const d = storedRowDetails(row);
  if (!d) return null;
  const { previousKeyId, newKeyId, newKeyFingerprint } = d as { previousKeyId?: unknown; newKeyId?: unknown; newKeyFingerprint?: unknown };
  if (typeof newKeyId !== 'number' || typeof newKeyFingerprint !== 'string') return null;
  return { seq: row.seq, previousKeyId: typeof previousKeyId === 'number' ? previousKeyId : null, newKeyId, newKeyFingerprint };
}

/**
 * The chain of custody of the audit keys: every key but the first is
 * introduced by an audited rotation naming its fingerprint; every rotation is
 * signed by the previous key (a valid head of it at or after the rotation);
 * no head of a key precedes the rotation that introduced it.
 * @returns the problems found (key-not-rotated)
 */
function keyCustody(keys: readonly { id: number; publicKeySpki: Uint8Array }[], rotations: readonly Rotation[], validHeads: readonly SignedHeadRecord[]): BrokenLink[] {
  const out: BrokenLink[] = [];
  const firstHeadOf = (keyId: number) => validHeads.filter((h) => h.keyId === keyId).reduce<number | undefined>((m, h) => (m === undefined || h.seq < m ? h.seq : m), undefined);
  keys.forEach((k, i) => {
    const rotation = rotations.find((r) => r.newKeyId === k.id && r.newKeyFingerprint === keyFingerprint(k.publicKeySpki));
    const first = firstHeadOf(k.id);
    if (!rotation) {
      if (i > 0 && first !== undefined) {
        out.push({ seq: first, problem: 'key-not-rotated', message: `Chain heads from seq ${first} are signed by audit key #${k.id}, which no audited key rotation introduced: the audit key was changed.` });
      }
      return;
    }
    const vouched = rotation.previousKeyId !== null && validHeads.some((h) => h.keyId === rotation.previousKeyId && h.seq >= rotation.seq);
    if (!vouched) {
      out.push({
        seq: rotation.seq,
        problem: 'key-not-rotated',
        message:
          rotation.previousKeyId === null
            ? `The audit key was replaced at seq ${rotation.seq} because the previous one was missing: the log before it cannot be vouched for.`
            : `The key rotation at seq ${rotation.seq} was not signed by the previous audit key #${rotation.previousKeyId}.`,
      });
    }
    if (first !== undefined && first < rotation.seq) {
      out.push({ seq: first, problem: 'key-not-rotated', message: `The chain head at seq ${first} is signed by audit key #${k.id}, before the rotation that introduced it (seq ${rotation.seq}).` });
    }
  });
  return out;
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
      if (p.seq > 1 && storedRowHash(p.row) === p.row.hash) {
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
