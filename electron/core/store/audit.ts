/**
 * Audit events repository: the append-only, hash-chained log (UPDATE and
 * DELETE are refused by triggers, migrations 1 and 4). Each event is chained
 * in the transaction that appends it (electron/core/audit/chain.ts defines
 * the hash); signed chain heads and the station's audit keys are stored
 * here too, while signing and verification live in electron/core/audit.
 */
import { z } from 'zod';
import { AUDIT_OUTCOMES, type AuditEventRecord, type NewAuditEvent } from './records.js';
import { filterParams, fromJson, guard, optionalEquals, validate, type StoreContext } from './sql.js';
import { chainHash, GENESIS_HASH } from '../audit/chain.js';
import { canonicalJson } from '../audit/canonical-json.js';
import { assertNoSecrets } from '../audit/secret-guard.js';

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

/** An audit event with its chain links (null only on a row the chain never covered: tampering). */
export interface ChainedAuditEvent extends AuditEventRecord {
  /** Previous event's hash (GENESIS_HASH for the first), 64 hex digits. */
  prevHash: string | null;
  /** This event's hash, 64 hex digits. */
  hash: string | null;
}

/** One audit row exactly as stored, for verification (nothing parsed, nothing trusted). */
export interface StoredAuditRow {
  seq: number;
  at: unknown;
  actor: unknown;
  action: unknown;
  outcome: unknown;
  personId: unknown;
  cardId: unknown;
  jobId: unknown;
  detailsJson: unknown;
  prevHash: unknown;
  hash: unknown;
}

/** The last event of the chain. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** A chain head signed by the station (issue 5): "the log had `seq` events ending in `hash` at `at`". */
export interface SignedHeadRecord {
  id: number;
  seq: number;
  hash: string;
  /** When it was signed, ISO-8601. */
  at: string;
  keyId: number;
  /** DER ECDSA signature (see electron/core/audit/head-signer.ts for the signed bytes). */
  signature: Uint8Array;
}

/** A station audit signing key: the public key in clear, the private key sealed by the keyring's box. */
export interface AuditKeyRecord {
  id: number;
  algorithm: 'ECDSA-P256-SHA256';
  /** DER SubjectPublicKeyInfo. */
  publicKeySpki: Uint8Array;
  /** PKCS#8 private key sealed with SecretBox (label bound to the public key). */
  sealedPrivateKey: Uint8Array;
  createdAt: string;
}

/** Audit query for viewing and export; every given criterion must hold. */
export interface AuditQuery {
  /** Events at or after this instant (ISO-8601). */
  from?: string;
  /** Events strictly before this instant (ISO-8601). */
  before?: string;
  /** The acting officer's username (or 'station', 'idprs'). */
  actor?: string;
  personId?: string;
  cardId?: string;
  jobId?: string;
  /** Only events with seq greater than this (paging). */
  afterSeq?: number;
  /** At most this many events. */
  limit?: number;
}

/** Called after every appended event, inside its transaction: decides whether to sign the new head (electron/core/audit/head-signer.ts). */
export type HeadSigner = (head: AuditHead) => void;

export interface AuditRepository {
  /**
   * Appends one event (`at` defaults to now), chained to the previous one in
   * the same transaction; returns it with its sequence number and hashes.
   * @throws StationError INVALID_INPUT (bad field, or details naming a secret: pin, puk, password, key, secret…)
   */
  append(e: NewAuditEvent): ChainedAuditEvent;
  /** Events in order, optionally only those naming every given card / job / person. */
  list(filter?: { cardId?: string; jobId?: string; personId?: string }): ChainedAuditEvent[];
  /** Events matching `q`, in seq order. */
  query(q: AuditQuery): ChainedAuditEvent[];
  /** The last event's seq and hash, or null for an empty log. */
  head(): AuditHead | null;
  /** Number of stored events. */
  count(): number;
  /** Every stored row in seq order, raw, streamed (verification). */
  storedRows(): IterableIterator<StoredAuditRow>;
  /** The stored rows from `seq` on, in seq order, raw (the signer checks the tail it is about to sign). */
  storedRowsFrom(seq: number): StoredAuditRow[];
  /** The seq of the row whose stored hash is `hash`, or null (verification: was an event moved?). */
  seqOfHash(hash: string): number | null;
  /**
   * Events this opening of the store chained because they were written before
   * the hash chain existed (the upgrade through migration 4); 0 otherwise. The
   * audit signer may then make the station's first audit key and sign them.
   */
  readonly chainedOnOpen: number;
  /** Signed chain heads. */
  heads: {
    add(h: Omit<SignedHeadRecord, 'id'>): SignedHeadRecord;
    /** In seq order (then signing order). */
    list(): SignedHeadRecord[];
    latest(): SignedHeadRecord | null;
  };
  /** Station audit signing keys. */
  keys: {
    add(k: Omit<AuditKeyRecord, 'id' | 'createdAt'>): AuditKeyRecord;
    get(id: number): AuditKeyRecord | null;
    list(): AuditKeyRecord[];
  };
  /**
   * Installs the station's head signer (null removes it): called inside the
   * append transaction after every event; it decides when to sign.
   */
  setHeadSigner(signer: HeadSigner | null): void;
}

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
  prev_hash: string | null;
  hash: string | null;
}

interface HeadRow {
  id: number;
  seq: number;
  hash: string;
  at: string;
  key_id: number;
  signature: Buffer;
}

interface KeyRow {
  id: number;
  algorithm: 'ECDSA-P256-SHA256';
  public_key_spki: Buffer;
  sealed_private_key: Buffer;
  created_at: string;
}

function toRecord(row: AuditRow): ChainedAuditEvent {
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
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function toStored(row: AuditRow): StoredAuditRow {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    outcome: row.outcome,
    personId: row.person_id,
    cardId: row.card_id,
    jobId: row.job_id,
    detailsJson: row.details_json,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

const toHead = (r: HeadRow): SignedHeadRecord => ({ id: r.id, seq: r.seq, hash: r.hash, at: r.at, keyId: r.key_id, signature: new Uint8Array(r.signature) });
const toKey = (r: KeyRow): AuditKeyRecord => ({
  id: r.id,
  algorithm: r.algorithm,
  publicKeySpki: new Uint8Array(r.public_key_spki),
  sealedPrivateKey: new Uint8Array(r.sealed_private_key),
  createdAt: r.created_at,
});

/** The records an event concerns, as optional filter criteria (key → column). */
const RECORD_FILTER = { cardId: 'card_id', jobId: 'job_id', personId: 'person_id' };
/** The auditor's criteria: the records, and the acting officer. */
const QUERY_FILTER = { ...RECORD_FILTER, actor: 'actor' };

/** Options of {@link auditRepository}. */
export interface AuditRepositoryOptions {
  /**
   * This opening applied the hash-chain migration (4): events written before
   * it are chained now, once. At any other opening a row without a hash is
   * tampering, left for verify to report, never re-chained.
   */
  upgradingToChain?: boolean;
}

export function auditRepository(ctx: StoreContext, opts: AuditRepositoryOptions = {}): AuditRepository {
  const { db } = ctx;
  const insert = db.prepare(
    `INSERT INTO audit_events (seq, at, actor, action, outcome, person_id, card_id, job_id, details_json, prev_hash, hash)
     VALUES (@seq, @at, @actor, @action, @outcome, @personId, @cardId, @jobId, @details, @prevHash, @hash) RETURNING *`,
  );
  const select = db.prepare(`SELECT * FROM audit_events WHERE ${optionalEquals(RECORD_FILTER)} ORDER BY seq`);
  const selectQuery = db.prepare(
    `SELECT * FROM audit_events
     WHERE ${optionalEquals(QUERY_FILTER)} AND seq > @afterSeq
       AND (@from IS NULL OR julianday(at) >= julianday(@from)) AND (@before IS NULL OR julianday(at) < julianday(@before))
     ORDER BY seq LIMIT @limit`,
  );
  const selectLast = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
  // AUTOINCREMENT's high-water mark: a deleted last event leaves its seq used, so the gap stays visible.
  const selectHighWater = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'");
  const selectCount = db.prepare('SELECT count(*) AS n FROM audit_events');
  const selectAll = db.prepare('SELECT * FROM audit_events ORDER BY seq');
  const selectFrom = db.prepare('SELECT * FROM audit_events WHERE seq >= ? ORDER BY seq');
  const selectByHash = db.prepare('SELECT seq FROM audit_events WHERE hash = ? ORDER BY seq LIMIT 1');
  const countChained = db.prepare('SELECT count(*) AS n FROM audit_events WHERE hash IS NOT NULL');
  const fillChain = db.prepare('UPDATE audit_events SET prev_hash = @prevHash, hash = @hash WHERE seq = @seq');
  const insertHead = db.prepare('INSERT INTO audit_heads (seq, hash, at, key_id, signature) VALUES (@seq, @hash, @at, @keyId, @signature) RETURNING *');
  const selectHeads = db.prepare('SELECT * FROM audit_heads ORDER BY seq, id');
  const selectLatestHead = db.prepare('SELECT * FROM audit_heads ORDER BY seq DESC, id DESC LIMIT 1');
  const insertKey = db.prepare(
    'INSERT INTO audit_keys (algorithm, public_key_spki, sealed_private_key, created_at) VALUES (@algorithm, @spki, @sealed, @createdAt) RETURNING *',
  );
  const selectKey = db.prepare('SELECT * FROM audit_keys WHERE id = ?');
  const selectKeys = db.prepare('SELECT * FROM audit_keys ORDER BY id');

  let signer: HeadSigner | null = null;

  /**
   * Runs `fn` holding the write lock from the start (BEGIN IMMEDIATE), so two
   * processes appending at once cannot both read the same chain head. Inside
   * a caller's transaction it simply joins it.
   */
  function writeTransaction<T>(fn: () => T): T {
    return db.inTransaction ? fn() : db.transaction(fn).immediate();
  }

  /**
   * Chains rows stored before migration 4, once, at the opening that applies
   * it, and only while no row carries a hash yet: a log stripped of its
   * hashes later is tampering, never re-chained (verify reports it).
   * @returns how many rows were chained
   */
  function chainLegacyRows(): number {
    if (!opts.upgradingToChain) return 0;
    return guard('audit event', () =>
      writeTransaction(() => {
        if ((countChained.get() as { n: number }).n > 0) return 0;
        let prev = GENESIS_HASH;
        let n = 0;
        for (const row of selectAll.all() as AuditRow[]) {
          const hash = chainHash(prev, { ...toRecord(row) });
          fillChain.run({ seq: row.seq, prevHash: prev, hash });
          prev = hash;
          n++;
        }
        return n;
      }),
    );
  }
  const chainedOnOpen = chainLegacyRows();

  return {
    chainedOnOpen,
    append(e) {
      const v = validate(NEW_EVENT, e, 'audit event');
      assertNoSecrets(v.details);
      // Stored and hashed as the JSON round trip of the details, in canonical form, so
      // the hash computed here and the one recomputed from the stored text always agree.
      const details = v.details === null || v.details === undefined ? null : (JSON.parse(JSON.stringify(v.details)) as Record<string, unknown>);
      return guard('audit event', () =>
        writeTransaction(() => {
          const last = selectLast.get() as { seq: number; hash: string | null } | undefined;
          const highWater = (selectHighWater.get() as { seq: number } | undefined)?.seq ?? 0;
          const seq = Math.max(last?.seq ?? 0, highWater) + 1;
          const prevHash = last?.hash ?? GENESIS_HASH;
          const fields = {
            seq,
            at: v.at ?? ctx.now(),
            actor: v.actor,
            action: v.action,
            outcome: v.outcome,
            personId: v.personId ?? null,
            cardId: v.cardId ?? null,
            jobId: v.jobId ?? null,
            details,
          };
          const hash = chainHash(prevHash, fields);
          const row = insert.get({ ...fields, details: details === null ? null : canonicalJson(details), prevHash, hash }) as AuditRow;
          if (signer) {
            const sign = signer;
            try {
              // A savepoint: a signer failing half-way leaves nothing of its own behind.
              db.transaction(() => sign({ seq, hash }))();
            } catch {
              // Signing must never cost the event: the head is signed again on close and by `audit verify --sign`.
            }
          }
          return toRecord(row);
        }),
      );
    },
    list(filter = {}) {
      const rows = guard('audit event', () => select.all(filterParams(RECORD_FILTER, filter)) as AuditRow[]);
      return rows.map(toRecord);
    },
    query(q) {
      const rows = guard('audit event', () =>
        selectQuery.all({
          ...filterParams(QUERY_FILTER, q),
          afterSeq: q.afterSeq ?? 0,
          from: q.from ?? null,
          before: q.before ?? null,
          limit: q.limit ?? -1,
        }) as AuditRow[],
      );
      return rows.map(toRecord);
    },
    head() {
      const last = guard('audit event', () => selectLast.get() as { seq: number; hash: string | null } | undefined);
      return last ? { seq: last.seq, hash: last.hash ?? '' } : null;
    },
    count() {
      return guard('audit event', () => (selectCount.get() as { n: number }).n);
    },
    *storedRows() {
      for (const row of selectAll.iterate() as IterableIterator<AuditRow>) yield toStored(row);
    },
    storedRowsFrom(seq) {
      return guard('audit event', () => (selectFrom.all(seq) as AuditRow[]).map(toStored));
    },
    seqOfHash(hash) {
      const r = guard('audit event', () => selectByHash.get(hash) as { seq: number } | undefined);
      return r?.seq ?? null;
    },
    heads: {
      add(h) {
        const row = guard('signed audit head', () => insertHead.get({ seq: h.seq, hash: h.hash, at: h.at, keyId: h.keyId, signature: Buffer.from(h.signature) }) as HeadRow);
        return toHead(row);
      },
      list() {
        return guard('signed audit head', () => (selectHeads.all() as HeadRow[]).map(toHead));
      },
      latest() {
        const r = guard('signed audit head', () => selectLatestHead.get() as HeadRow | undefined);
        return r ? toHead(r) : null;
      },
    },
    keys: {
      add(k) {
        const row = guard('audit key', () =>
          insertKey.get({ algorithm: k.algorithm, spki: Buffer.from(k.publicKeySpki), sealed: Buffer.from(k.sealedPrivateKey), createdAt: ctx.now() }) as KeyRow,
        );
        return toKey(row);
      },
      get(id) {
        const r = guard('audit key', () => selectKey.get(id) as KeyRow | undefined);
        return r ? toKey(r) : null;
      },
      list() {
        return guard('audit key', () => (selectKeys.all() as KeyRow[]).map(toKey));
      },
    },
    setHeadSigner(next) {
      signer = next;
    },
  };
}
