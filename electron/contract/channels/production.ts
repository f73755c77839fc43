/**
 * StationApi, production: direct production, the production jobs (progress,
 * retry, cancel, the one-time secrets) and the post-production check of a card.
 */
import { z } from 'zod';
import { CardCapabilitiesShape } from '../card-capabilities.js';
import { Affiliation, Id, Pin, QueueName, ReaderName, Reason } from './fields.js';

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
  /** The card has no CHUID or a factory placeholder one: not issued by this station (its PIN is never tried). */
  factoryState: z.boolean().optional(),
  /** What the card showed it can do when it was identified. */
  capabilities: CardCapabilitiesShape.optional(),
  certificates: z.array(z.object({ slot: z.string(), serial: z.string(), subject: z.string(), notAfter: z.string() })),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), skipped: z.boolean().optional(), detail: z.string() })),
});
export type VerificationReport = z.infer<typeof VerificationReport>;

export const JobSummary = z.object({
  id: z.string(),
  status: JobStatus,
  personId: z.string(),
  personName: z.string(),
  /** The card number of the job's card (8 digits), once assigned; absent from older stations. */
  cardNumber: z.string().nullable().optional(),
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
      /** The chip's serial (the card's own, read from it); not the card number. */
      serial: z.number().nullable(),
      /** The card number the station assigned (8 digits; the one officers and messages use); absent from older stations. */
      cardNumber: z.string().nullable().optional(),
      guid: z.string(),
      fascn: z.string(),
      credentialNumber: z.string(),
      status: z.string(),
      expirationDate: z.string(),
      /** What the card showed it can do, and the retry counts production left it with; null before identification. */
      capabilities: CardCapabilitiesShape.nullable(),
    })
    .nullable(),
  certificates: z.array(z.object({ slot: z.string(), serial: z.string(), status: z.string(), notAfter: z.string() })),
  verification: VerificationReport.nullable(),
  /** True when the job's PIN was typed by the cardholder, so a retry must ask for it again. */
  needsPinForRetry: z.boolean(),
  /** True when the station generates the PIN (it can go on a PIN mailer, jobs.pinMailer); absent on older answers. */
  pinGenerated: z.boolean().optional(),
});
export type JobDetail = z.infer<typeof JobDetail>;

export const productionChannels = {
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
  'jobs.cancel': { input: z.object({ jobId: Id, reason: Reason }).strict(), output: JobSummary },
  /**
   * The PUK (and a generated PIN) of a finished job, returned once: the second
   * call returns nothing. Only the production screen calls it. With `keep`, the
   * core keeps them for the same officer until a call without `keep` (the
   * officer confirmed "I have recorded the PUK"), so a reload of the result
   * screen shows them again (issue 12 obs. 5).
   */
  'jobs.takeSecrets': { input: z.object({ jobId: Id, keep: z.boolean().optional() }).strict(), output: z.object({ puk: z.string().optional(), pin: z.string().optional() }) },
  /**
   * The PIN mailer of a finished job whose PIN the station generated, holding
   * the PIN, which is then taken (no screen shows it; the PUK stays for
   * jobs.takeSecrets): printed on `queue` (`printJob` is the spooler's job),
   * or returned as a PDF (base64) when no queue is named. Everything is null
   * when the job has no generated PIN waiting. Only the officer who ran the
   * production may ask. Audited as produced (and where to), never with the PIN.
   */
  'jobs.pinMailer': {
    input: z.object({ jobId: Id, queue: QueueName.optional() }).strict(),
    output: z.object({ pdf: z.string().nullable(), queue: z.string().nullable(), printJob: z.number().nullable() }),
  },
  'card.verify': { input: z.object({ readerName: ReaderName, pin: Pin.optional() }).strict(), output: VerificationReport },
} as const;
