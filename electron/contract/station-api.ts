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

export const Profile = z.object({ id: Affiliation, label: z.string(), cardValidityMonths: z.number(), algorithms: z.record(z.string(), z.string()) });

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
  'persons.add': {
    input: z
      .object({
        givenName: z.string().trim().min(1).max(64),
        surname: z.string().trim().min(1).max(64),
        email: z.email().max(254).nullable().optional(),
        employeeId: z.string().regex(/^[A-Za-z0-9-]{1,32}$/).nullable().optional(),
        affiliation: Affiliation,
      })
      .strict(),
    output: Person,
  },
  'profiles.list': { input: z.object({}).strict(), output: z.array(Profile) },
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
