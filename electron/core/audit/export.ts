/**
 * Audit export (issue 5 "Audit"): the log, or a filtered part of it, as CSV
 * (RFC 4180) for spreadsheets or JSON for tools. The JSON form carries the
 * chain hashes, the signed heads and the station's audit public keys, so an
 * auditor can recheck a complete export outside the station.
 */
import type { ChainedAuditEvent } from '../store/audit.js';
import { canonicalJson } from './canonical-json.js';
import { GENESIS_HASH } from './chain.js';
import type { HeadSummary } from './verify.js';

export const AUDIT_EXPORT_FORMATS = ['csv', 'json'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

/** CSV columns, in order (header line of the export). */
export const CSV_COLUMNS = ['seq', 'at', 'actor', 'action', 'outcome', 'person_id', 'card_id', 'job_id', 'details', 'prev_hash', 'hash'] as const;

/** RFC 4180 §2: fields with a comma, quote or line break are quoted, quotes doubled; lines end in CRLF. */
const NEEDS_QUOTES = /[",\r\n]/;
/**
 * Cells a spreadsheet would run as a formula (OWASP "CSV Injection"): a
 * leading = + - @ tab or CR gets an apostrophe. Officer-typed text (a failed
 * login's username) could otherwise reach the auditor's spreadsheet as code.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const CRLF = '\r\n';

/**
 * The events as CSV: a header line (CSV_COLUMNS), then one line per event;
 * `details` is the event's canonical JSON (RFC 8785), empty when none.
 */
export function auditCsv(events: readonly ChainedAuditEvent[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const e of events) {
    lines.push(
      [e.seq, e.at, e.actor, e.action, e.outcome, e.personId, e.cardId, e.jobId, e.details === null ? null : canonicalJson(e.details), e.prevHash, e.hash]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join(CRLF) + CRLF;
}

/** The JSON export document. */
export interface AuditJsonExport {
  format: 'piv-station-audit-export/1';
  exportedAt: string;
  /** The filter applied (absent members: no restriction). */
  filter: Record<string, string>;
  /** How to recheck the chain. */
  chain: { hash: 'SHA-256'; canonicalization: 'RFC 8785'; genesis: string; definition: string };
  events: ChainedAuditEvent[];
  /** Signed heads with their DER ECDSA signature (base64) over head-signer.ts headSignedBytes(). */
  signedHeads: (HeadSummary & { signature: string })[];
  /** Station audit keys (PEM SPKI), by id. */
  auditKeys: { id: number; algorithm: string; publicKeyPem: string }[];
}

/** Builds the JSON export document. */
export function auditJson(input: Omit<AuditJsonExport, 'format' | 'chain'>): AuditJsonExport {
  return {
    format: 'piv-station-audit-export/1',
    exportedAt: input.exportedAt,
    filter: input.filter,
    chain: {
      hash: 'SHA-256',
      canonicalization: 'RFC 8785',
      genesis: GENESIS_HASH,
      definition: 'hash = SHA-256(bytes(prevHash) || UTF-8(JCS({seq, at, actor, action, outcome, personId, cardId, jobId, details})))',
    },
    events: input.events,
    signedHeads: input.signedHeads,
    auditKeys: input.auditKeys,
  };
}
