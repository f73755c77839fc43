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
/** Kinds of broken link (electron/core/audit/verify.ts says what each means). */
export const AUDIT_PROBLEMS = [
  'changed',
  'deleted',
  'reordered',
  'rewritten',
  'bad-head-signature',
  'unsigned',
  'key-missing',
  'key-not-rotated',
  'anchor-mismatch',
  'anchor-unavailable',
] as const;
export type AuditProblem = (typeof AUDIT_PROBLEMS)[number];
/** Whether the log was checked against the signed heads published outside the data dir (electron/core/audit/anchor.ts). */
export const AuditAnchorStatusShape = z.discriminatedUnion('status', [
  z.object({ status: z.literal('unanchored') }),
  z.object({ status: z.literal('checked'), source: z.string(), seq: z.number(), at: z.string() }),
  z.object({ status: z.literal('unavailable'), source: z.string() }),
]);
/** Result of `audit.verify`: ok, or the first broken link (electron/core/audit/verify.ts names each problem). */
export const AuditVerificationShape = z.object({
  ok: z.boolean(),
  events: z.number(),
  head: z.object({ seq: z.number(), hash: z.string() }).nullable(),
  signedHeads: z.number(),
  lastSignedHead: AuditHeadShape.nullable(),
  firstBroken: z.object({ seq: z.number(), problem: z.enum(AUDIT_PROBLEMS), message: z.string() }).optional(),
  signed: z.object({ seq: z.number(), hash: z.string(), at: z.string() }).optional(),
  anchor: AuditAnchorStatusShape,
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
  /**
   * Recomputes the hash chain and checks the signed heads and audit keys, and the log against the
   * anchor (`anchor`: the text of an anchor file, else the configured one); `sign` then signs an intact head.
   */
  'audit.verify': {
    input: z.object({ sign: z.boolean().optional(), anchor: z.string().min(1).max(256 * 1024).optional() }).strict(),
    output: AuditVerificationShape,
  },
  /** Replaces the station's audit key, audited; the previous key signs the rotation (electron/core/audit/head-signer.ts). */
  'audit.rotateKey': {
    input: z.object({}).strict(),
    output: z.object({ previousKeyId: z.number().nullable(), keyId: z.number(), fingerprint: z.string(), seq: z.number() }),
  },
} as const;
