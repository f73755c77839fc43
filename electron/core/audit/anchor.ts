/**
 * The audit anchor (issue 10, finding 5): the station's signed chain heads
 * and audit public keys, published outside the data dir, so that someone who
 * holds the database file cannot rewrite the log, delete the heads and the
 * keys, and have `audit verify` agree.
 *
 * Where it goes: `auditAnchor.file` in config.json, a path on another volume
 * or host (a mounted share, a removable disk), rewritten (temporary name,
 * fsync, rename: electron/core/atomic-file.ts) after every signed head; and,
 * with `auditAnchor.notify`, each signed head as an `audit.head_signed`
 * notification to the IDPRS (notifications/station-events.ts).
 *
 * The file is UTF-8 JSON:
 * ```json
 * { "type": "piv-station/audit-anchor/v1",
 *   "publishedAt": "2025-06-01T08:00:00.000Z",
 *   "keys": [{ "id": 1, "algorithm": "ECDSA-P256-SHA256", "fingerprint": "<sha256 of the SPKI, hex>", "publicKeyPem": "-----BEGIN PUBLIC KEY-----…" }],
 *   "head": { "seq": 120, "hash": "<64 hex>", "at": "…", "keyId": 1, "signature": "<DER, base64>" } }
 * ```
 * The latest head suffices: the hash chain binds every earlier event to it.
 *
 * `audit verify --anchor FILE` (and `audit verify` with an anchor configured)
 * checks the log against it: the anchored head's signature verifies with its
 * anchored key; every anchored key is still the station's (same id, same
 * public key: else the key was replaced); the log holds the anchored seq and
 * its chain hash there is the anchored hash (else events were deleted, or the
 * log up to there was rewritten).
 */
import { createPublicKey } from 'node:crypto';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../atomic-file.js';
import { StationError } from '../errors.js';
import { recordStationNotification } from '../notifications/outbox.js';
import type { AuditKeyRecord, AuditRepository, SignedHeadRecord } from '../store/audit.js';
import type { StationStore } from '../store/store.js';
import type { AuditAnchorConfig } from '../config/station-config.js';
import { AUDIT_KEY_ALGORITHM, keyFingerprint, publicKeyPem, verifyHeadSignature } from './head-signer.js';

/** Format tag of the anchor document. */
export const ANCHOR_TYPE = 'piv-station/audit-anchor/v1';
/** Largest anchor document read (bytes of text): a few keys and one head. */
export const MAX_ANCHOR_BYTES = 256 * 1024;

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const AnchorSchema = z.object({
  type: z.literal(ANCHOR_TYPE),
  publishedAt: z.string(),
  keys: z
    .array(z.object({ id: z.number().int().min(1), algorithm: z.literal(AUDIT_KEY_ALGORITHM), fingerprint: Hex64, publicKeyPem: z.string().min(1).max(4096) }))
    .min(1)
    .max(1000),
  head: z.object({ seq: z.number().int().min(1), hash: Hex64, at: z.string(), keyId: z.number().int().min(1), signature: z.base64().max(1024) }),
});
/** A parsed anchor document. */
export type AuditAnchor = z.infer<typeof AnchorSchema>;

/**
 * The anchor document for `head`, signed by one of `keys`.
 * @param keys every audit key of the station, oldest first
 */
export function anchorDocument(head: SignedHeadRecord, keys: readonly AuditKeyRecord[], publishedAt: string): AuditAnchor {
  return {
    type: ANCHOR_TYPE,
    publishedAt,
    keys: keys.map((k) => ({ id: k.id, algorithm: k.algorithm, fingerprint: keyFingerprint(k.publicKeySpki), publicKeyPem: publicKeyPem(k.publicKeySpki) })),
    head: { seq: head.seq, hash: head.hash, at: head.at, keyId: head.keyId, signature: Buffer.from(head.signature).toString('base64') },
  };
}

/**
 * Parses an anchor document.
 * @throws StationError INVALID_INPUT (field 'anchor') when it is not JSON or not an anchor
 */
export function parseAnchor(text: string): AuditAnchor {
  if (text.length > MAX_ANCHOR_BYTES) throw new StationError('INVALID_INPUT', 'The audit anchor is larger than an anchor can be.', { field: 'anchor' });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new StationError('INVALID_INPUT', 'The audit anchor is not JSON.', { field: 'anchor' });
  }
  const r = AnchorSchema.safeParse(raw);
  if (!r.success) throw new StationError('INVALID_INPUT', `The audit anchor is not a PIV Station audit anchor (${r.error.issues[0]?.path.join('.') || 'document'}).`, { field: 'anchor' });
  return r.data;
}

/** Why the log disagrees with an anchor: a sentence and the seq it concerns. */
export interface AnchorMismatch {
  seq: number;
  message: string;
}

/**
 * Checks the stored keys and chain against an anchor.
 * @param hashAt the recomputed chain hash at a seq of the intact part of the log (undefined past a break or the end)
 * @param lastSeq the last stored seq (0 for an empty log)
 * @returns the mismatch, or null when the log agrees with the anchor
 */
export function checkAnchor(anchor: AuditAnchor, keys: Pick<AuditRepository['keys'], 'get'>, hashAt: (seq: number) => string | undefined, lastSeq: number): AnchorMismatch | null {
  const { head } = anchor;
  const key = anchor.keys.find((k) => k.id === head.keyId);
  let headValid = false;
  try {
    headValid = !!key && verifyHeadSignature({ ...head, signature: new Uint8Array(Buffer.from(head.signature, 'base64')) }, createPublicKey(key.publicKeyPem));
  } catch {
    headValid = false;
  }
  if (!key || !headValid) return { seq: head.seq, message: `The anchor's chain head at seq ${head.seq} is not validly signed by a key it lists: the anchor itself is damaged.` };
  for (const k of anchor.keys) {
    const stored = keys.get(k.id);
    if (!stored || keyFingerprint(stored.publicKeySpki) !== k.fingerprint) {
      return { seq: 1, message: `The station's audit key #${k.id} is ${stored ? 'not the one' : 'missing, although it is'} published in the anchor: the audit key was replaced.` };
    }
  }
  if (head.seq > lastSeq) return { seq: lastSeq + 1, message: `Events ${lastSeq + 1} to ${head.seq} were deleted: the anchor holds a chain head at seq ${head.seq} but the log ends at seq ${lastSeq}.` };
  const at = hashAt(head.seq);
  if (at !== undefined && at !== head.hash) {
    return { seq: head.seq, message: `The log up to seq ${head.seq} was rewritten: it no longer ends in the chain hash published in the anchor there.` };
  }
  return null;
}

/**
 * Refuses an anchor file inside the data dir: a copy the attacker can rewrite
 * along with the log anchors nothing.
 * @throws StationError INVALID_INPUT (field auditAnchor.file)
 */
export function assertAnchorOutside(file: string, dataDir: string): void {
  const rel = relative(resolve(dataDir), resolve(file));
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    throw new StationError('INVALID_INPUT', 'The audit anchor (config.json auditAnchor.file) must lie outside the data dir, on another volume or host.', { field: 'auditAnchor.file' });
  }
}

/** Publishes signed heads to the anchor file; see the module comment. */
export interface AnchorFilePublisher {
  /** Queues the latest head for writing (called inside the signing transaction: the file is written once it committed). */
  signed(): void;
  /** Writes the latest signed head now. Never throws: a failure is logged. */
  publishNow(): void;
  /** Writes the latest signed head one last time; nothing queued is written after (the store closes). */
  close(): void;
}

/**
 * The anchor file publisher of a station.
 * @param file  the anchor path (its directory must exist: an unmounted share is reported, not created)
 * @param audit the store's audit repository (read after commit)
 * @param log   one line per failure (no secrets)
 */
export function anchorFilePublisher(file: string, audit: Pick<AuditRepository, 'heads' | 'keys'>, log: (line: string) => void, now: () => string = () => new Date().toISOString()): AnchorFilePublisher {
  let queued = false;
  let closed = false;
  let lastWritten: string | undefined;
  const publishNow = () => {
    if (closed) return;
    try {
      const head = audit.heads.latest();
      if (!head) return;
      const key = `${head.seq}:${head.hash}:${head.keyId}`;
      if (key === lastWritten) return;
      if (!existsSync(dirname(file))) throw new Error(`its folder ${dirname(file)} is not there (is the volume mounted?)`);
      writeFileAtomic(file, JSON.stringify(anchorDocument(head, audit.keys.list(), now()), null, 2) + '\n', { mode: 0o644 });
      lastWritten = key;
    } catch (e) {
      log(`audit anchor not written to ${file}: ${e instanceof Error ? e.message : 'unknown failure'}`);
    }
  };
  return {
    signed() {
      if (queued) return;
      queued = true;
      // After the signing transaction: a head rolled back with its event is never published.
      setImmediate(() => {
        queued = false;
        publishNow();
      });
    },
    publishNow,
    close() {
      publishNow();
      closed = true;
    },
  };
}

/** Publishing of a station's signed heads, as config.json's `auditAnchor` says. */
export interface AnchorPublishing {
  /** For attachAuditSigner's onSigned: inside the signing transaction. */
  onSigned(head: SignedHeadRecord, key: AuditKeyRecord): void;
  /** Writes the anchor file now, when one is configured (at start: the latest head, in case it is not there yet). */
  publishNow(): void;
  /** Writes the anchor file one last time, when one is configured (call before the store closes). */
  close(): void;
}

/**
 * The publishing of `store`'s signed heads: the anchor file, and the IDPRS
 * notification `audit.head_signed` (stream `station:audit`, in the signing
 * transaction, so a head and its notification commit together) when
 * `auditAnchor.notify` is set.
 * @param log one line per failure to write the file (no secrets)
 */
export function anchorPublishing(store: StationStore, anchor: AuditAnchorConfig | undefined, log: (line: string) => void, now: () => Date = () => new Date()): AnchorPublishing {
  const file = anchor?.file ? anchorFilePublisher(anchor.file, store.audit, log, () => now().toISOString()) : undefined;
  return {
    onSigned(head, key) {
      file?.signed();
      if (anchor?.notify) {
        recordStationNotification(
          store,
          {
            type: 'audit.head_signed',
            data: { seq: head.seq, hash: head.hash, at: head.at, keyId: head.keyId, keyFingerprint: keyFingerprint(key.publicKeySpki), signature: Buffer.from(head.signature).toString('base64') },
          },
          now(),
        );
      }
    },
    publishNow() {
      file?.publishNow();
    },
    close() {
      file?.close();
    },
  };
}
