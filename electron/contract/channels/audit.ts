/**
 * StationApi, audit: the hash-chained audit log — list, export, verify.
 */
import { z } from 'zod';
import { Id } from './fields.js';

/** One audit event as the auditor sees it, with its chain hash. */
export const AuditEventShape = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  outcome: z.enum(['ok', 'failed', 'refused']),
  personId: z.string().nullable(),
  cardId: z.string().nullable(),
  jobId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  prevHash: z.string().nullable(),
  hash: z.string().nullable(),
});
export type AuditEventView = z.infer<typeof AuditEventShape>;

/** Dates are UTC: YYYY-MM-DD (a whole day) or an ISO-8601 date-time; `from` and `to` are inclusive. */
const AuditDate = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'A date is YYYY-MM-DD or an ISO-8601 date and time.' });
const AuditFilterShape = z.object({
  from: AuditDate.optional(),
  to: AuditDate.optional(),
  /** The officer's username (the event's actor). */
  officer: z.string().min(1).max(200).optional(),
  personId: Id.optional(),
  cardId: Id.optional(),
});

const AuditHeadShape = z.object({ seq: z.number(), hash: z.string(), at: z.string(), keyId: z.number() });
/** Result of `audit.verify`: ok, or the first broken link (electron/core/audit/verify.ts names each problem). */
export const AuditVerificationShape = z.object({
  ok: z.boolean(),
  events: z.number(),
  head: z.object({ seq: z.number(), hash: z.string() }).nullable(),
  signedHeads: z.number(),
  lastSignedHead: AuditHeadShape.nullable(),
  firstBroken: z.object({ seq: z.number(), problem: z.enum(['changed', 'deleted', 'reordered', 'rewritten', 'bad-head-signature']), message: z.string() }).optional(),
  signed: z.object({ seq: z.number(), hash: z.string(), at: z.string() }).optional(),
});
export type AuditVerificationView = z.infer<typeof AuditVerificationShape>;

export const auditChannels = {
  /** Audit events matching the filter, in order, after `afterSeq`, at most `limit` (default 200). */
  'audit.list': {
    input: AuditFilterShape.extend({ afterSeq: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    output: z.array(AuditEventShape),
  },
  /** The matching events as CSV (RFC 4180) or JSON (with chain hashes, signed heads and the audit public keys). */
  'audit.export': {
    input: AuditFilterShape.extend({ format: z.enum(['csv', 'json']) }).strict(),
    output: z.object({ format: z.enum(['csv', 'json']), filename: z.string(), content: z.string(), count: z.number() }),
  },
  /** Recomputes the hash chain and checks the signed heads; `sign` then signs an intact head. */
  'audit.verify': { input: z.object({ sign: z.boolean().optional() }).strict(), output: AuditVerificationShape },
} as const;
