/**
 * The audit service behind the StationApi channels `audit.list`,
 * `audit.export` and `audit.verify` and the `station audit` commands: filters
 * in the auditor's terms (dates, officer, person, card), export, verification.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { StationError } from '../errors.js';
import type { AuditQuery, ChainedAuditEvent } from '../store/audit.js';
import type { StationStore } from '../store/store.js';
import { auditCsv, auditJson, type AuditExportFormat } from './export.js';
import { publicKeyPem, type AuditHeadSigner, type KeyRotation, type KeyTrust } from './head-signer.js';
import { headSummaries, verifyAuditLog, type AnchorInput, type AuditVerification } from './verify.js';
import { MAX_ANCHOR_BYTES, parseAnchor } from './anchor.js';

/** An auditor's filter. Dates are UTC: `YYYY-MM-DD` (whole day) or an ISO-8601 date-time. */
export interface AuditFilter {
  /** From this day (00:00 UTC) or instant, inclusive. */
  from?: string;
  /** Up to this day (to its end, UTC) or instant, inclusive. */
  to?: string;
  /** The officer's username (the event's actor). */
  officer?: string;
  personId?: string;
  cardId?: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;

/** Parses a filter date; date-only means that day in UTC. @throws StationError INVALID_INPUT */
function parseDate(option: 'from' | 'to', text: string): { ms: number; dateOnly: boolean } {
  const dateOnly = DATE_ONLY.test(text);
  const ms = Date.parse(dateOnly ? `${text}T00:00:00.000Z` : text);
  // Date.parse accepts too much (e.g. "2025-02-30" rolls over): insist on a round trip for dates.
  if (Number.isNaN(ms) || (dateOnly && new Date(ms).toISOString().slice(0, 10) !== text) || (!dateOnly && !/^\d{4}-\d{2}-\d{2}T/.test(text))) {
    throw new StationError('INVALID_INPUT', `The ${option} date must be YYYY-MM-DD or an ISO-8601 date and time.`, { field: option });
  }
  return { ms, dateOnly };
}

/**
 * Turns an auditor's filter into a repository query: `from` inclusive,
 * `to` inclusive (a date-only `to` covers that whole day).
 * @throws StationError INVALID_INPUT for a malformed date or `to` before `from`
 */
export function toAuditQuery(f: AuditFilter): AuditQuery {
  const q: AuditQuery = {};
  let fromMs: number | undefined;
  if (f.from !== undefined) {
    fromMs = parseDate('from', f.from).ms;
    q.from = new Date(fromMs).toISOString();
  }
  if (f.to !== undefined) {
    const to = parseDate('to', f.to);
    const beforeMs = to.dateOnly ? to.ms + MS_PER_DAY : to.ms + 1;
    if (fromMs !== undefined && beforeMs <= fromMs) throw new StationError('INVALID_INPUT', 'The to date is before the from date.', { field: 'to' });
    q.before = new Date(beforeMs).toISOString();
  }
  if (f.officer !== undefined) q.actor = f.officer;
  if (f.personId !== undefined) q.personId = f.personId;
  if (f.cardId !== undefined) q.cardId = f.cardId;
  return q;
}

/** An export, ready to write to a file or hand to the renderer. */
export interface AuditExport {
  format: AuditExportFormat;
  /** Suggested file name, e.g. `audit-2025-03-01T09-00-00Z.csv`. */
  filename: string;
  content: string;
  /** Events exported. */
  count: number;
}

/** Reads, exports and verifies the audit log of one store. */
export class AuditService {
  /**
   * @param store      the station store
   * @param signer     the station's head signer (attachAuditSigner); without it, signed
   *                   heads are checked against their stored public keys only, and `sign` is refused
   * @param anchorFile the configured audit anchor (config auditAnchor.file), checked by every verification
   * @param now        clock (ISO-8601)
   */
  constructor(private readonly deps: { store: StationStore; signer?: AuditHeadSigner; anchorFile?: string; now?: () => string }) {}

  private now(): string {
    return this.deps.now?.() ?? new Date().toISOString();
  }

  /** Events matching `filter`, in seq order, after `afterSeq`, at most `limit` (default 200). */
  list(filter: AuditFilter & { afterSeq?: number; limit?: number } = {}): ChainedAuditEvent[] {
    return this.deps.store.audit.query({ ...toAuditQuery(filter), afterSeq: filter.afterSeq, limit: filter.limit ?? 200 });
  }

  /**
   * The matching events as CSV or JSON (see export.ts). The export itself is
   * then audited (`audit.exported`: who, format, filter, how many events), so
   * the log shows every copy of it that left the station.
   * @param actor the exporting officer's username
   */
  export(filter: AuditFilter, format: AuditExportFormat, actor: string): AuditExport {
    const { store } = this.deps;
    const events = store.audit.query(toAuditQuery(filter));
    const exportedAt = this.now();
    const stamp = exportedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
    let content: string;
    if (format === 'csv') content = auditCsv(events);
    else {
      const applied: Record<string, string> = {};
      for (const [k, v] of Object.entries(filter)) if (typeof v === 'string') applied[k] = v;
      const doc = auditJson({
        exportedAt,
        filter: applied,
        events,
        signedHeads: store.audit.heads.list().map((h) => ({ ...headSummaries([h])[0]!, signature: Buffer.from(h.signature).toString('base64') })),
        auditKeys: store.audit.keys.list().map((k) => ({ id: k.id, algorithm: k.algorithm, publicKeyPem: publicKeyPem(k.publicKeySpki) })),
      });
      content = JSON.stringify(doc, null, 2) + '\n';
    }
    const applied = Object.fromEntries(Object.entries(filter).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    store.audit.append({ actor, action: 'audit.exported', outcome: 'ok', personId: null, cardId: null, details: { format, count: events.length, ...applied } });
    return { format, filename: `audit-${stamp}.${format}`, content, count: events.length };
  }

  /**
   * Recomputes the chain and checks every signed head and audit key, and the
   * log against an anchor (verify.ts): `anchor` (an anchor document's text,
   * `audit verify --anchor FILE`), else the configured anchor file; with
   * neither the result says 'unanchored'. With `sign`, an intact log's head is
   * then signed by the station.
   * @throws StationError SECRETS_LOCKED when `sign` is asked without the station's key;
   *   INVALID_INPUT when the given anchor is not an anchor document
   */
  verify(opts: { sign?: boolean; anchor?: string } = {}): AuditVerification & { signed?: { seq: number; hash: string; at: string } } {
    const { store, signer } = this.deps;
    const trust = signer ? (id: number) => signer.trust(id) : publicOnlyTrust(store);
    const result = verifyAuditLog({ audit: store.audit, trust, anchor: this.anchorInput(opts.anchor) });
    if (!opts.sign || !result.ok) return result;
    if (!signer || signer.keyId === null) throw new StationError('SECRETS_LOCKED', "The station's audit key is not available to sign the chain head.");
    const signed = signer.signHead();
    if (!signed) return result;
    const head = { seq: signed.seq, hash: signed.hash, at: signed.at, keyId: signed.keyId };
    return { ...result, signedHeads: result.signedHeads + 1, lastSignedHead: head, signed: { seq: signed.seq, hash: signed.hash, at: signed.at } };
  }
  /**
   * Replaces the station's audit key (head-signer.ts rotateKey), audited as `actor`.
   * @throws StationError SECRETS_LOCKED without the station's keyring
   */
  rotateKey(actor: string): KeyRotation {
    if (!this.deps.signer) throw new StationError('SECRETS_LOCKED', "The station's keyring is not open: the audit key cannot be replaced.");
    return this.deps.signer.rotateKey(actor);
  }

  /** The anchor to check: the given document, else the configured file (unreadable: reported, not thrown). */
  private anchorInput(given: string | undefined): AnchorInput | undefined {
    if (given !== undefined) return { source: 'the anchor given', anchor: parseAnchor(given) };
    const file = this.deps.anchorFile;
    if (!file) return undefined;
    try {
      const text = readFileSync(file, 'utf8');
      if (text.length > MAX_ANCHOR_BYTES) throw new StationError('INVALID_INPUT', 'it is larger than an anchor can be');
      return { source: file, anchor: parseAnchor(text) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { source: file, unavailable: code === 'ENOENT' ? 'the file is not there' : e instanceof Error ? e.message : 'unreadable' };
    }
  }
}

/** Without the keyring: a stored key is taken at its word (its seal cannot be checked). */
function publicOnlyTrust(store: StationStore): (keyId: number) => KeyTrust {
  return (keyId) => {
    const k = store.audit.keys.get(keyId);
    if (!k) return { trusted: false, reason: 'the signing key is not in the station' };
    try {
      return { trusted: true, publicKey: createPublicKey({ key: Buffer.from(k.publicKeySpki), format: 'der', type: 'spki' }) };
    } catch {
      return { trusted: false, reason: 'the signing key is malformed' };
    }
  };
}
