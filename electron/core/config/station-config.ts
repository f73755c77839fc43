/**
 * Station configuration (non-secret), stored as `config.json` in the data dir.
 * Validated with zod where it is read: a hand-edited file with a typo is
 * refused with the field named, never half-applied.
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { StationError } from '../errors.js';
import { NotificationsConfigSchema } from '../notifications/config.js';
import { CardProfileSchema } from '../../contract/card-profile.js';

const digits = (n: number) => z.string().regex(new RegExp(`^\\d{${n}}$`), `must be ${n} digits`);

// Card profiles: one schema shared with the StationApi (electron/contract/card-profile.ts).
export { SlotAlgorithmsSchema, CardProfileSchema, defaultApprovalRequired } from '../../contract/card-profile.js';
export type { SlotAlgorithms, CardProfile } from '../../contract/card-profile.js';

/**
 * CPR intake from the IDPRS (electron/core/workflow/cpr-intake.ts). Absent: no
 * intake. Paths are absolute or relative to the data dir.
 */
export const IdprsConfigSchema = z.object({
  /** The IDPRS signing certificate: PEM text, or the path of a PEM or DER file. CPRs must be signed by exactly this certificate. */
  signerCertificate: z.string().min(1),
  /** True when the IDPRS manages persons: a CPR for an unknown person creates it. False: unknown persons are refused. */
  managesPersons: z.boolean().default(false),
  /** The HTTP endpoint (`station cpr serve`). */
  http: z
    .object({
      /** Listen address; 127.0.0.1 unless the IDPRS is on another host. */
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8781),
      /** SHA-256 (64 hex digits) of the shared bearer token; the token itself is never stored (STATION_CPR_TOKEN may also give it). */
      tokenSha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits').optional(),
      /** TLS key and certificate (PEM paths); with `clientCa`, clients may authenticate by a certificate issued by that CA. */
      tls: z.object({ key: z.string().min(1), cert: z.string().min(1), clientCa: z.string().min(1).optional() }).optional(),
    })
    .prefault({}),
  /** The drop folder watched by `station cpr serve` (processed/ and rejected/ are made inside it). */
  dropDir: z.string().min(1).optional(),
});
export type IdprsConfig = z.infer<typeof IdprsConfigSchema>;

/**
 * Where the signed audit chain heads are published outside the data dir
 * (electron/core/audit/anchor.ts): absent, `audit verify` reports the log
 * "unanchored".
 */
export const AuditAnchorConfigSchema = z.object({
  /** The anchor file: an absolute path on another volume or host (a mounted share), rewritten after every signed head. */
  file: z.string().min(1).refine((p) => isAbsolute(p), 'must be an absolute path (on another volume or host than the data dir)').optional(),
  /** Also send each signed head to the IDPRS as an `audit.head_signed` notification (needs `notifications`). */
  notify: z.boolean().default(false),
});
export type AuditAnchorConfig = z.infer<typeof AuditAnchorConfigSchema>;

/** The whole station configuration. */
export const StationConfigSchema = z.object({
  /** Organisation name in certificate subjects and Printed Information. */
  organization: z.string().min(1).max(64),
  /** Printed Information issuer identification (≤ 15 chars). */
  issuerId: z.string().min(1).max(15),
  /** FASC-N agency code (4 digits) and system code (4 digits). */
  agencyCode: digits(4),
  systemCode: digits(4),
  /** FASC-N organizational category: 1 federal, 2 state, 3 commercial, 4 foreign. */
  organizationalCategory: digits(1),
  /** URL placed in certificates' CRL distribution point (http, per CCT). */
  crlUrl: z.string().url(),
  /** PIN and PUK retry counts set on cards that support SET PIN RETRIES. */
  pinRetries: z.number().int().min(1).max(15),
  pukRetries: z.number().int().min(1).max(15),
  profiles: z.array(CardProfileSchema).min(1),
  /** Minutes of inactivity after which an officer's session locks (issue 4). */
  sessionLockMinutes: z.number().int().min(1).max(24 * 60).default(15),
  /**
   * The agency's separation-of-duties settings (electron/contract/duties.ts).
   * `producerDiffersFromRequester` (default on): the officer who requested a
   * card may not produce it, so every card, even one whose profile needs no
   * approver, passes through two officers.
   */
  separationOfDuties: z.object({ producerDiffersFromRequester: z.boolean().default(true) }).prefault({}),
  /** First value of the card number sequence (card numbers are 8 digits, never reused). */
  cardNumberStart: z.number().int().min(1).max(99_999_999).default(1),
  /** CPR intake from the IDPRS; absent on stations without one. */
  idprs: IdprsConfigSchema.optional(),
  /** Notifications of card and request changes to the IDPRS (issue 5); absent: events wait in the outbox. */
  notifications: NotificationsConfigSchema.optional(),
  /** Copies of the signed audit chain heads outside the data dir (issue 10); absent: unanchored. */
  auditAnchor: AuditAnchorConfigSchema.optional(),
}).refine((c) => !c.auditAnchor?.notify || c.notifications !== undefined, {
  path: ['auditAnchor', 'notify'],
  message: 'sending the signed audit heads to the IDPRS needs a "notifications" section',
});
export type StationConfig = z.infer<typeof StationConfigSchema>;

/** The defaults a new data dir starts with (also shipped as resources/app/default-config.json). */
export const DEFAULT_CONFIG: StationConfig = {
  organization: 'PIV Station Test Agency',
  issuerId: 'PIVSTATION',
  agencyCode: '9999',
  systemCode: '0001',
  organizationalCategory: '1',
  crlUrl: 'http://127.0.0.1:8780/crl/issuing.crl',
  pinRetries: 3,
  pukRetries: 3,
  sessionLockMinutes: 15,
  separationOfDuties: { producerDiffersFromRequester: true },
  cardNumberStart: 1,
  profiles: [
    {
      id: 'employee',
      label: 'Employee',
      cardValidityMonths: 60,
      certificateValidityMonths: 36,
      algorithms: { '9A': 'P256', '9C': 'P256', '9D': 'P256', '9E': 'P256' },
      personAssociation: '1',
      printedAffiliation: 'Employee',
      affiliations: ['employee'],
      slots: ['9A', '9C', '9D', '9E'],
      objects: ['printed', 'discovery', 'key-history'],
      pinPolicy: { minLength: 6, maxLength: 8, source: 'either' },
      approvalRequired: true,
    },
    {
      id: 'contractor',
      label: 'Contractor',
      cardValidityMonths: 36,
      certificateValidityMonths: 36,
      algorithms: { '9A': 'P256', '9C': 'P256', '9D': 'P256', '9E': 'P256' },
      personAssociation: '5',
      printedAffiliation: 'Contractor',
      affiliations: ['contractor'],
      slots: ['9A', '9C', '9D', '9E'],
      objects: ['printed', 'discovery', 'key-history'],
      pinPolicy: { minLength: 6, maxLength: 8, source: 'either' },
      approvalRequired: true,
    },
    {
      id: 'visitor',
      label: 'Visitor',
      cardValidityMonths: 6,
      certificateValidityMonths: 6,
      algorithms: { '9A': 'P256', '9C': 'P256', '9D': 'P256', '9E': 'P256' },
      personAssociation: '6',
      printedAffiliation: 'Visitor',
      affiliations: ['visitor'],
      slots: ['9A', '9C', '9D', '9E'],
      objects: ['printed', 'discovery', 'key-history'],
      pinPolicy: { minLength: 6, maxLength: 8, source: 'either' },
      approvalRequired: false,
    },
  ],
};

/**
 * Parses and validates a configuration object.
 * @throws StationError INVALID_INPUT naming the first bad field
 */
export function parseStationConfig(raw: unknown): StationConfig {
  const result = StationConfigSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new StationError('INVALID_INPUT', `The station configuration is invalid at "${issue.path.join('.')}": ${issue.message}.`);
  }
  return result.data;
}
