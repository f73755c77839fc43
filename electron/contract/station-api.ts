/**
 * StationApi: the one contract between the renderer and the station core.
 * Every call (`domain.verb`) and event is a zod schema here; the same contract
 * is served over Electron IPC (shell + preload), the browser host's WebSocket
 * and, for the CLI, by direct dispatch. Imports nothing runtime-specific.
 *
 * Inputs are validated where they enter (the core's dispatch); results are
 * validated before they leave, so a renderer never sees an unexpected shape.
 */
import { z } from 'zod';
import { CardProfileFields, ProfilePatchInput } from './card-profile.js';
import { plainName } from './plain-text.js';

// ---------- shared shapes ----------

export const ErrorShape = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]).optional()).default({}),
  retryable: z.boolean(),
});
export type ApiError = z.infer<typeof ErrorShape>;

const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, 'not an id');
const ReaderName = z.string().min(1).max(128);
const Pin = z.string().regex(/^\d{6,8}$/, 'The PIN must be 6 to 8 digits.');
const Affiliation = z.enum(['employee', 'contractor', 'visitor']);

/** What the station recognizes about the card in a reader. */
export const CardKind = z.enum(['none', 'piv', 'not-piv', 'station-locked', 'unknown']);

export const Reader = z.object({
  name: z.string(),
  cardPresent: z.boolean(),
  atr: z.string().optional(),
  training: z.boolean().optional(),
  /** Recognized card kind; 'unknown' until probed or when the reader is busy. */
  card: CardKind,
});
export type Reader = z.infer<typeof Reader>;

export const Person = z.object({
  id: z.string(),
  givenName: z.string(),
  surname: z.string(),
  email: z.string().nullable(),
  employeeId: z.string().nullable(),
  affiliation: Affiliation,
  createdAt: z.string(),
});
export type Person = z.infer<typeof Person>;

/** A card profile with every field (defaults filled in), its version and its last change (issue 4 "card profiles (administered)"). */
export const Profile = CardProfileFields.required().extend({ version: z.number().int(), updatedAt: z.string(), updatedBy: z.string() });
export type Profile = z.infer<typeof Profile>;

export const StepState = z.enum(['pending', 'running', 'in_progress', 'done', 'failed']);
export const JobStatus = z.enum(['pending', 'running', 'failed', 'done', 'cancelled']);

export const JobStep = z.object({
  name: z.string(),
  label: z.string(),
  status: StepState,
  attempts: z.number(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  ms: z.number().optional(),
});

export const VerificationReport = z.object({
  ok: z.boolean(),
  guid: z.string().optional(),
  fascn: z.string().optional(),
  expiration: z.string().optional(),
  certificates: z.array(z.object({ slot: z.string(), serial: z.string(), subject: z.string(), notAfter: z.string() })),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), skipped: z.boolean().optional(), detail: z.string() })),
});
export type VerificationReport = z.infer<typeof VerificationReport>;

export const JobSummary = z.object({
  id: z.string(),
  status: JobStatus,
  personId: z.string(),
  personName: z.string(),
  readerName: z.string().nullable(),
  failedStep: z.string().nullable(),
  /** The officer's sentence for a failure ("The card was removed while …"). */
  failure: z.string().nullable(),
  errorCode: z.string().nullable(),
  retryable: z.boolean().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type JobSummary = z.infer<typeof JobSummary>;

export const JobDetail = JobSummary.extend({
  steps: z.array(JobStep),
  card: z
    .object({
      id: z.string(),
      serial: z.number().nullable(),
      guid: z.string(),
      fascn: z.string(),
      credentialNumber: z.string(),
      status: z.string(),
      expirationDate: z.string(),
    })
    .nullable(),
  certificates: z.array(z.object({ slot: z.string(), serial: z.string(), status: z.string(), notAfter: z.string() })),
  verification: VerificationReport.nullable(),
  /** True when the job's PIN was typed by the cardholder, so a retry must ask for it again. */
  needsPinForRetry: z.boolean(),
});
export type JobDetail = z.infer<typeof JobDetail>;

// ---------- workflow shapes (issue 4) ----------

export const RoleShape = z.enum(['registration', 'approver', 'production', 'security', 'auditor', 'admin']);
const Username = z.string().regex(/^[a-z][a-z0-9._-]{2,31}$/, 'A username is 3 to 32 lower-case letters, digits, dots, dashes or underscores.');
const DisplayName = plainName('The display name', 80);
/** Officer passwords: at least 12 characters (NIST SP 800-63B §5.1.1.2 allows long passphrases; no composition rules). */
const Password = z.string().min(12, 'The password must have at least 12 characters.').max(256);

export const OfficerShape = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(RoleShape),
  personId: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  createdAt: z.string(),
});
export type OfficerView = z.infer<typeof OfficerShape>;

export const RequestStateShape = z.enum(['requested', 'approved', 'rejected', 'cancelled', 'in_production', 'production_failed', 'produced']);
export const CardRequestShape = z.object({
  id: z.string(),
  personId: z.string(),
  personName: z.string(),
  profile: Affiliation,
  state: RequestStateShape,
  source: z.enum(['desk', 'kiosk', 'idprs']),
  requestedBy: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  cardId: z.string().nullable(),
  /** The card number assigned on approval. */
  cardNumber: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CardRequestView = z.infer<typeof CardRequestShape>;

export const BatchShape = z.object({
  id: z.string(),
  status: z.enum(['running', 'paused', 'done', 'cancelled']),
  readers: z.array(z.string()),
  total: z.number(),
  done: z.number(),
  failed: z.number(),
  remaining: z.number(),
  cardsPerHour: z.number().nullable(),
  items: z.array(z.object({ requestId: z.string(), personName: z.string(), state: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']), readerName: z.string().nullable(), jobId: z.string().nullable(), failure: z.string().nullable() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type BatchView = z.infer<typeof BatchShape>;

/** Most characters a CSV batch file may have (10 000 request ids with a few columns each; well under a bridge frame). */
export const MAX_BATCH_CSV_CHARS = 512 * 1024;
/** Most characters one line of a CSV batch file may have (a request id and a few columns). */
export const MAX_BATCH_CSV_LINE_CHARS = 2000;
/** The sentence for a batch file over MAX_BATCH_CSV_CHARS (the renderer refuses such a file before sending it). */
export const BATCH_CSV_TOO_LARGE = 'The batch file is too large: a batch file lists at most 10 000 requests.';
/** A CSV batch file checked by the core before a batch starts: the requests it names and every bad line. */
export const BatchCsvShape = z.object({
  requests: z.array(z.object({ line: z.number(), requestId: z.string(), personName: z.string() })),
  /** Every problem, by line (null: the whole file); a file with problems starts no batch. */
  problems: z.array(z.object({ line: z.number().nullable(), message: z.string() })),
});
export type BatchCsvView = z.infer<typeof BatchCsvShape>;

// ---------- audit (issue 5) ----------

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

// ---------- card lifecycle (issue 5) ----------

export const CardStatusShape = z.enum(['approved', 'in_production', 'production_failed', 'produced', 'cancelled', 'active', 'suspended', 'revoked', 'expired']);
/** A card as the lifecycle screens show it (electron/core/lifecycle/service.ts CardView). */
export const CardViewShape = z.object({
  id: z.string(),
  personId: z.string(),
  personName: z.string(),
  status: CardStatusShape,
  cardNumber: z.string().nullable(),
  credentialNumber: z.string(),
  /** The card profile id; a replacement follows its PIN policy. */
  profile: z.string(),
  /** CHUID GUID as a UUID. */
  guid: z.string(),
  fascn: z.string(),
  expirationDate: z.string(),
  chipSerial: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CardView = z.infer<typeof CardViewShape>;
export const CardDetailShape = CardViewShape.extend({
  certificates: z.array(z.object({ slot: z.string(), serial: z.string(), status: z.string(), revocationReason: z.string().nullable(), notAfter: z.string() })),
  requestId: z.string().nullable(),
});
export type CardDetailView = z.infer<typeof CardDetailShape>;
/** A card named by its id, 8-digit card number or CHUID GUID. */
const CardRef = z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, 'Name the card by its id, card number or GUID.');
export const TerminationReasonShape = z.enum(['lost', 'stolen', 'damaged', 'left', 'key-compromise']);
/** The published CRL: DER (base64) and what it says. */
export const CrlShape = z.object({
  der: z.string(),
  crlNumber: z.number().nullable(),
  issuer: z.string(),
  thisUpdate: z.string(),
  nextUpdate: z.string().nullable(),
  entries: z.array(z.object({ serial: z.string(), reason: z.string(), revokedAt: z.string() })),
  /** Where relying parties fetch it: the URL certificates carry as their CRL distribution point. */
  distributionPoint: z.string().optional(),
});
export type CrlViewShape = z.infer<typeof CrlShape>;

// ---------- person edit, kiosk (issue 4) ----------

/** The attributes of a person an officer types (persons.add, persons.update): the same rules for both. */
const PersonFields = z.object({
  givenName: plainName('The given name', 64),
  surname: plainName('The surname', 64),
  email: z.email().max(254).nullable().optional(),
  employeeId: z.string().regex(/^[A-Za-z0-9-]{1,32}$/).nullable().optional(),
  affiliation: Affiliation,
});

/** What a kiosk shows about the person who identified: the name and the profiles they may ask for, nothing else. */
export const KioskPersonShape = z.object({
  displayName: z.string(),
  profiles: z.array(z.object({ id: Affiliation, label: z.string() })),
});
export type KioskPersonView = z.infer<typeof KioskPersonShape>;

/** Whether this connection is a kiosk, and who (if anyone) identified at it. */
export const KioskStatusShape = z.object({ kiosk: z.boolean(), person: KioskPersonShape.nullable(), idleSeconds: z.number() });
export type KioskStatusView = z.infer<typeof KioskStatusShape>;

/** The kiosk's receipt of a request: its number and state (always `requested`: an approver decides). */
export const KioskReceiptShape = z.object({ requestId: z.string(), profile: Affiliation, state: RequestStateShape });
export type KioskReceiptView = z.infer<typeof KioskReceiptShape>;
// ---------- notifications outbox (issue 5) ----------

export const OutboxStatusShape = z.enum(['pending', 'delivered', 'dead']);
/** One outbox event as the Notifications screen shows it (electron/core/notifications/service.ts). */
export const OutboxEventShape = z.object({
  id: z.string(),
  type: z.string(),
  status: OutboxStatusShape,
  /** The ordering stream (`person:<id>`) and the event's place in it. */
  stream: z.string(),
  seq: z.number(),
  personId: z.string(),
  personName: z.string().nullable(),
  cardId: z.string().nullable(),
  cardNumber: z.string().nullable(),
  requestId: z.string().nullable(),
  attempts: z.number(),
  createdAt: z.string(),
  nextAttemptAt: z.string(),
  lastAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  deadAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type OutboxEventView = z.infer<typeof OutboxEventShape>;
const OutboxCountsShape = z.object({ pending: z.number(), delivered: z.number(), dead: z.number() });

// ---------- persons screen: browse and CSV import (issue 4) ----------

/**
 * Most characters a persons CSV sent over the bridge may have: 256 Ki
 * characters (about 2 500 persons) stay under the bridge's 1 MiB frame
 * (host/bridge-protocol.ts MAX_FRAME_BYTES) even when every character takes
 * three bytes of UTF-8 in the JSON message. Larger files: `station person import`.
 */
export const MAX_PERSONS_CSV_CHARS = 256 * 1024;
/** The sentence for a persons file over MAX_PERSONS_CSV_CHARS (the renderer refuses such a file before sending it). */
export const PERSONS_CSV_TOO_LARGE = 'The persons file is too large for the screen (at most 256 KB): split it, or import it with `station person import`.';
/** Most characters one line of a persons CSV may have (six fields of at most 254 characters, quoted). */
export const MAX_PERSONS_CSV_LINE_CHARS = 2000;
/** Most persons one browse page holds. */
export const MAX_PERSONS_PAGE = 200;
/** The answer of persons.import: how many persons were (dry run: would be) imported, or every bad line (then none was). */
export const PersonsImportShape = z.object({
  dryRun: z.boolean(),
  imported: z.number(),
  errors: z.array(z.object({ line: z.number(), message: z.string() })),
});
export type PersonsImportView = z.infer<typeof PersonsImportShape>;

// ---------- channels: input and output schema of every call ----------

export const channels = {
  'station.info': {
    input: z.object({}).strict(),
    output: z.object({ version: z.string(), organization: z.string(), training: z.boolean() }),
  },
  'readers.list': { input: z.object({}).strict(), output: z.array(Reader) },
  'persons.search': {
    input: z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(200).optional() }).strict(),
    output: z.array(Person),
  },
  'persons.get': { input: z.object({ id: Id }).strict(), output: Person },
  'persons.add': { input: PersonFields.strict(), output: Person },
  'profiles.list': { input: z.object({}).strict(), output: z.array(Profile) },
  'profiles.get': { input: z.object({ id: Affiliation }).strict(), output: Profile },
  /**
   * Changes a profile (administrators). `patch`: the fields to change, or the
   * whole profile; the core validates the merged profile and names the
   * offending field (electron/contract/card-profile.ts has the rules).
   */
  'profiles.update': { input: z.object({ id: Affiliation, patch: ProfilePatchInput }).strict(), output: Profile },
  'production.start': {
    input: z
      .object({
        personId: Id,
        readerName: ReaderName,
        profile: Affiliation.optional(),
        algorithm: z.enum(['P256', 'P384', 'RSA2048']).optional(),
        /** Absent: the station generates the PIN (shown once at the end). */
        pin: Pin.optional(),
      })
      .strict(),
    output: z.object({ jobId: z.string() }),
  },
  'jobs.list': { input: z.object({ status: z.array(JobStatus).optional() }).strict(), output: z.array(JobSummary) },
  'jobs.get': { input: z.object({ jobId: Id }).strict(), output: JobDetail },
  'jobs.retry': { input: z.object({ jobId: Id, readerName: ReaderName, pin: Pin.optional() }).strict(), output: z.object({ jobId: z.string() }) },
  'jobs.cancel': { input: z.object({ jobId: Id, reason: z.string().trim().min(3).max(500) }).strict(), output: JobSummary },
  /**
   * The PUK (and a generated PIN) of a finished job, returned once: the second
   * call returns nothing. Only the production screen calls it.
   */
  'jobs.takeSecrets': { input: z.object({ jobId: Id }).strict(), output: z.object({ puk: z.string().optional(), pin: z.string().optional() }) },
  'card.verify': { input: z.object({ readerName: ReaderName, pin: Pin.optional() }).strict(), output: VerificationReport },
  // ---------- officers, sessions (issue 4) ----------
  /** Whether the station has officers yet (first run), and who is logged in on this connection. */
  'auth.status': {
    input: z.object({}).strict(),
    output: z.object({ firstRun: z.boolean(), officer: OfficerShape.nullable(), locked: z.boolean(), lockAfterSeconds: z.number() }),
  },
  /** First run only (no officer exists): creates the administrator and logs them in. */
  'auth.firstRunAdmin': {
    input: z.object({ username: Username, displayName: DisplayName, password: Password }).strict(),
    output: OfficerShape,
  },
  /** Logs in on this connection (also unlocks a session locked by inactivity). */
  'auth.login': { input: z.object({ username: Username, password: z.string().min(1).max(256) }).strict(), output: OfficerShape },
  'auth.logout': { input: z.object({}).strict(), output: z.object({}) },
  'officers.list': { input: z.object({}).strict(), output: z.array(OfficerShape) },
  'officers.add': {
    input: z
      .object({ username: Username, displayName: DisplayName, password: Password, roles: z.array(RoleShape).min(1), personId: Id.nullable().optional() })
      .strict(),
    output: OfficerShape,
  },
  // ---------- card requests (issue 4) ----------
  'requests.create': { input: z.object({ personId: Id, profile: Affiliation }).strict(), output: CardRequestShape },
  'requests.list': { input: z.object({ state: z.array(RequestStateShape).optional() }).strict(), output: z.array(CardRequestShape) },
  'requests.get': { input: z.object({ requestId: Id }).strict(), output: CardRequestShape },
  'requests.approve': { input: z.object({ requestId: Id }).strict(), output: CardRequestShape },
  'requests.reject': { input: z.object({ requestId: Id, reason: z.string().trim().min(3).max(500) }).strict(), output: CardRequestShape },
  /** Produces the approved request's card in a reader (the single-production flow). */
  'requests.produce': { input: z.object({ requestId: Id, readerName: ReaderName, pin: Pin.optional() }).strict(), output: z.object({ jobId: z.string() }) },
  // ---------- mass production (issue 4) ----------
  'batches.start': {
    input: z.object({ requestIds: z.array(Id).min(1).max(10_000), readers: z.union([z.literal('all'), z.array(ReaderName).min(1)]) }).strict(),
    output: z.object({ batchId: z.string() }),
  },
  'batches.list': { input: z.object({}).strict(), output: z.array(BatchShape) },
  'batches.get': { input: z.object({ batchId: Id }).strict(), output: BatchShape },
  'batches.cancelItem': { input: z.object({ batchId: Id, requestId: Id, reason: z.string().trim().min(3).max(500) }).strict(), output: BatchShape },
  /** Reads a CSV batch file (the request ids, one a line) and checks each request as batches.start would; starts nothing. */
  'batches.parseCsv': {
    input: z
      .object({
        csv: z
          .string()
          .max(MAX_BATCH_CSV_CHARS, BATCH_CSV_TOO_LARGE)
          .refine((csv) => csv.split('\n').every((line) => line.length <= MAX_BATCH_CSV_LINE_CHARS), 'A line of the batch file is too long: is it a CSV file of card requests?'),
      })
      .strict(),
    output: BatchCsvShape,
  },
  // ---------- audit (issue 5) ----------
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
  // ---------- card lifecycle (issue 5) ----------
  'cards.list': { input: z.object({ status: z.array(CardStatusShape).optional(), personId: Id.optional() }).strict(), output: z.array(CardViewShape) },
  'cards.get': { input: z.object({ card: CardRef }).strict(), output: CardDetailShape },
  /** Terminates a card (card absent is fine): certificates revoked with the reason's CRL code. */
  'cards.revoke': { input: z.object({ card: CardRef, reason: TerminationReasonShape }).strict(), output: CardDetailShape },
  'cards.suspend': { input: z.object({ card: CardRef }).strict(), output: CardDetailShape },
  'cards.resume': { input: z.object({ card: CardRef }).strict(), output: CardDetailShape },
  /** The cardholder collects the card: the PIN is verified on the card in the reader. `card` (desk operations): the card chosen on screen; another card in the reader is refused (CARD_MISMATCH). */
  'cards.activate': { input: z.object({ readerName: ReaderName, pin: Pin, card: CardRef.optional() }).strict(), output: CardDetailShape },
  /** PIN unlock at the desk with the escrowed PUK; the PUK is rotated and escrowed again. */
  'cards.unlock': { input: z.object({ readerName: ReaderName, newPin: Pin, card: CardRef.optional() }).strict(), output: CardDetailShape },
  /** Revokes a lost/stolen/damaged card and starts the replacement's production on the blank card in the reader. */
  'cards.reissue': {
    input: z.object({ card: CardRef, reason: z.enum(['lost', 'stolen', 'damaged']), readerName: ReaderName, pin: Pin.optional() }).strict(),
    output: z.object({ replacedCardId: z.string(), cardId: z.string(), jobId: z.string(), requestId: z.string() }),
  },
  /** A returned card: certificates revoked, reset to factory state (a blank again). */
  'cards.recycle': { input: z.object({ readerName: ReaderName, card: CardRef.optional() }).strict(), output: CardDetailShape },
  'crl.get': { input: z.object({}).strict(), output: CrlShape },
  // ---------- person edit, kiosk (issue 4) ----------
  /** Changes the given attributes of a person (electron/core/workflow/person-edit.ts says what is refused). */
  'persons.update': { input: PersonFields.partial().extend({ id: Id }).strict(), output: Person },
  /** Turns this connection into a self-service kiosk: the officer's session ends (electron/core/workflow/kiosk.ts). */
  'kiosk.start': { input: z.object({}).strict(), output: KioskStatusShape },
  /** Whether this connection is a kiosk (public: every window asks it before choosing its face). */
  'kiosk.status': { input: z.object({}).strict(), output: KioskStatusShape },
  /** The person identifies with attributes on record: employee id and e-mail address. */
  'kiosk.identify': {
    input: z.object({ employeeId: z.string().trim().min(1).max(32), email: z.string().trim().min(3).max(254) }).strict(),
    output: KioskPersonShape,
  },
  /** A card request for the identified person, always for an approver to decide. */
  'kiosk.request': { input: z.object({ profile: Affiliation }).strict(), output: KioskReceiptShape },
  /** Forgets the identified person: the next person starts clean. */
  'kiosk.reset': { input: z.object({}).strict(), output: KioskStatusShape },
  // ---------- notifications outbox (issue 5) ----------
  /** One status's events (optionally one person's or card's), `offset`/`limit` paging (limit default 50), with the total and the count per status. */
  'outbox.list': {
    input: z
      .object({ status: OutboxStatusShape, personId: Id.optional(), cardId: Id.optional(), offset: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(500).optional() })
      .strict(),
    output: z.object({ events: z.array(OutboxEventShape), total: z.number(), counts: OutboxCountsShape }),
  },
  /** Puts one dead letter (`eventId`) or every dead letter (`allDead: true`) back for delivery now; audited per letter. */
  'outbox.redeliver': {
    input: z
      .object({ eventId: Id.optional(), allDead: z.literal(true).optional() })
      .strict()
      .refine((v) => (v.eventId !== undefined) !== (v.allDead === true), { message: 'Name one dead letter (eventId) or all of them (allDead: true).' }),
    output: z.object({ redelivered: z.array(OutboxEventShape) }),
  },
  // ---------- persons screen (issue 4) ----------
  /** One page of everyone, by surname then given name (then id), optionally one affiliation; `total` counts every match. */
  'persons.list': {
    input: z.object({ offset: z.number().int().min(0).max(10_000_000), limit: z.number().int().min(1).max(MAX_PERSONS_PAGE), affiliation: Affiliation.optional() }).strict(),
    output: z.object({ persons: z.array(Person), total: z.number() }),
  },
  /** Imports persons from CSV text, all or nothing (electron/core/workflow/person-import.ts); `dryRun` checks and writes nothing. */
  'persons.import': {
    input: z
      .object({
        csv: z
          .string()
          .min(1, 'The persons file is empty.')
          .max(MAX_PERSONS_CSV_CHARS, PERSONS_CSV_TOO_LARGE)
          .refine((csv) => csv.split('\n').every((line) => line.length <= MAX_PERSONS_CSV_LINE_CHARS), 'A line of the persons file is too long: is it a CSV file of persons?'),
        dryRun: z.boolean().optional(),
      })
      .strict(),
    output: PersonsImportShape,
  },
} as const;

/** Every channel name. */
export type Channel = keyof typeof channels;
export const CHANNELS = Object.keys(channels) as Channel[];
export type ChannelInput<C extends Channel> = z.input<(typeof channels)[C]['input']>;
export type ChannelOutput<C extends Channel> = z.infer<(typeof channels)[C]['output']>;

// ---------- events ----------

export const events = {
  /** The full reader list after any change (reader or card came or went, card recognized). */
  'reader.changed': z.array(Reader),
  /** Progress of a job (started/finished/failed step, job finished/failed/cancelled). */
  'job.event': z.object({
    type: z.enum(['job.started', 'job.step.started', 'job.step.skipped', 'job.step.finished', 'job.step.failed', 'job.finished', 'job.failed', 'job.cancelled']),
    jobId: z.string(),
    step: z.string().optional(),
    index: z.number().optional(),
    total: z.number().optional(),
    ms: z.number().optional(),
    sentence: z.string().optional(),
  }),
  /** A card request changed state (created, approved, rejected, produced…). */
  'request.changed': z.object({ requestId: z.string(), state: RequestStateShape }),
  /** Batch progress after any item changes. */
  'batch.changed': z.object({ batchId: z.string(), done: z.number(), failed: z.number(), remaining: z.number() }),
  /** This connection's session was locked after inactivity: log in again. */
  'session.locked': z.object({}),
} as const;
export type EventName = keyof typeof events;
export const EVENTS = Object.keys(events) as EventName[];
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

/** Result envelope crossing IPC/WebSocket (Signal-Desktop style): never a thrown exception. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/**
 * The shape the renderer sees as `window.station` (preload) and as the
 * browser host's bridge client: exactly these two members.
 */
export interface StationBridge {
  invoke<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<Result<ChannelOutput<C>>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The keys of StationBridge, for the parity test between preload, bridge client and contract. */
export const BRIDGE_KEYS = ['invoke', 'subscribe'] as const;

/**
 * Who may call each channel (enforced in the core's dispatch, never only in
 * the UI): 'public' needs no login, 'officer' any logged-in officer, 'kiosk'
 * only a connection in kiosk mode (never an officer), otherwise an officer
 * holding at least one of the roles. A kiosk connection may call only 'kiosk'
 * and 'public' channels. IDPRS callers have their own narrow door (CPR intake).
 */
export const CHANNEL_ROLES: Record<Channel, 'public' | 'officer' | 'kiosk' | readonly z.infer<typeof RoleShape>[]> = {
  'audit.list': ['auditor'],
  'audit.export': ['auditor'],
  'audit.verify': ['auditor'],
  'station.info': 'public',
  'auth.status': 'public',
  'auth.firstRunAdmin': 'public',
  'auth.login': 'public',
  'auth.logout': 'officer',
  'readers.list': 'officer',
  'profiles.list': 'officer',
  'profiles.get': 'officer',
  'profiles.update': ['admin'],
  'persons.search': ['registration', 'approver', 'production', 'security', 'auditor'],
  'persons.get': ['registration', 'approver', 'production', 'security', 'auditor'],
  'persons.add': ['registration'],
  'production.start': ['production'],
  'jobs.list': ['production', 'registration', 'approver', 'security', 'auditor'],
  'jobs.get': ['production', 'registration', 'approver', 'security', 'auditor'],
  'jobs.retry': ['production', 'security'],
  'jobs.cancel': ['production', 'security'],
  'jobs.takeSecrets': ['production', 'security'],
  'card.verify': ['production', 'security'],
  'officers.list': ['admin'],
  'officers.add': ['admin'],
  'requests.create': ['registration'],
  'requests.list': ['registration', 'approver', 'production', 'auditor'],
  'requests.get': ['registration', 'approver', 'production', 'auditor'],
  'requests.approve': ['approver'],
  'requests.reject': ['approver'],
  'requests.produce': ['production'],
  'batches.start': ['production'],
  'batches.list': ['production', 'auditor'],
  'batches.get': ['production', 'auditor'],
  'batches.cancelItem': ['production'],
  'batches.parseCsv': ['production'],
  'cards.list': ['auditor', 'security', 'registration'],
  'cards.get': ['auditor', 'security', 'registration'],
  'cards.revoke': ['security'],
  'cards.suspend': ['security'],
  'cards.resume': ['security'],
  'cards.activate': ['production', 'security'],
  'cards.unlock': ['security'],
  'cards.reissue': ['security'],
  'cards.recycle': ['security'],
  'crl.get': ['security', 'auditor'],
  'persons.update': ['registration'],
  'kiosk.start': ['registration', 'admin'],
  'kiosk.status': 'public',
  'kiosk.identify': 'kiosk',
  'kiosk.request': 'kiosk',
  'kiosk.reset': 'kiosk',
  // The outbox holds every card's history: admin and security as `station outbox`; the auditor may look, not resend.
  'outbox.list': ['admin', 'security', 'auditor'],
  'outbox.redeliver': ['admin', 'security'],
  'persons.list': ['registration', 'approver', 'production', 'security', 'auditor'],
  'persons.import': ['registration'],
};

/**
 * Channels a screen polls while it is open (the Notifications screen: the
 * delivery worker moves events without telling the renderer). A call on them
 * needs a valid, unlocked session like any other but does not count as the
 * officer's activity, so an unattended window still locks.
 */
export const BACKGROUND_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['outbox.list']);

