/**
 * StationApi, mass production: batches of approved requests across readers,
 * from a list of request ids or a CSV file.
 */
import { z } from 'zod';
import { Id, ReaderName, Reason } from './fields.js';

/**
 * What the officer should do at one reader for a batch to go on (issue 12, observation 2): insert a
 * blank card in an empty reader, take out a card the batch is finished with (a produced card, an
 * issued card, a card that is not PIV), or nothing to do while a card is being produced.
 */
export const BatchPromptShape = z.object({
  readerName: z.string(),
  action: z.enum(['insert-blank', 'remove', 'producing']),
  /** The card number of the card to take out, when the station knows it. */
  cardNumber: z.string().nullable(),
  sentence: z.string(),
});
export type BatchPromptView = z.infer<typeof BatchPromptShape>;

export const BatchShape = z.object({
  id: z.string(),
  /** The batch's short number, the one officers see and type (contract/request-number.ts batchNumberText: "B-000012"). */
  number: z.number(),
  status: z.enum(['running', 'paused', 'done', 'cancelled']),
  readers: z.array(z.string()),
  total: z.number(),
  done: z.number(),
  failed: z.number(),
  remaining: z.number(),
  cardsPerHour: z.number().nullable(),
  items: z.array(
    z.object({
      requestId: z.string(),
      /** The request's short number ("R-000123" in words). */
      requestNumber: z.number().nullable(),
      personName: z.string(),
      state: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
      readerName: z.string().nullable(),
      jobId: z.string().nullable(),
      failure: z.string().nullable(),
      /** The card face's print (issue 11); null or absent when the card's profile prints nothing. */
      print: z.enum(['waiting', 'printing', 'printed', 'failed', 'not printed']).nullable().optional(),
      /** The card number assigned on approval. */
      cardNumber: z.string().nullable().optional(),
      /** True while the card's one-time PUK and generated PIN wait to be taken once (jobs.takeSecrets, jobs.pinMailer). */
      secretsWaiting: z.boolean().optional(),
    }),
  ),
  /** What to do at each reader the batch may use, while it waits for cards (empty when there is nothing to do). */
  prompts: z.array(BatchPromptShape).optional(),
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
  requests: z.array(z.object({ line: z.number(), requestId: z.string(), requestNumber: z.number(), personName: z.string() })),
  /** Every problem, by line (null: the whole file); a file with problems starts no batch. */
  problems: z.array(z.object({ line: z.number().nullable(), message: z.string() })),
});
export type BatchCsvView = z.infer<typeof BatchCsvShape>;

export const batchesChannels = {
  'batches.start': {
    input: z.object({ requestIds: z.array(Id).min(1).max(10_000), readers: z.union([z.literal('all'), z.array(ReaderName).min(1)]) }).strict(),
    output: z.object({ batchId: z.string(), number: z.number() }),
  },
  'batches.list': { input: z.object({}).strict(), output: z.array(BatchShape) },
  /** A batch by its id or its number ("B-000012"); so are the batch and request of the calls below. */
  'batches.get': { input: z.object({ batchId: Id }).strict(), output: BatchShape },
  'batches.cancelItem': { input: z.object({ batchId: Id, requestId: Id, reason: Reason }).strict(), output: BatchShape },
  /** Pauses a running batch (cards inserted meanwhile are left alone; a card being produced finishes) or resumes a paused one; audited. */
  'batches.setPaused': { input: z.object({ batchId: Id, action: z.enum(['pause', 'resume']) }).strict(), output: BatchShape },
  /** Runs a failed card's production again now, in the reader it ran in (a print that failed after encoding needs no card). */
  'batches.retryItem': { input: z.object({ batchId: Id, requestId: Id }).strict(), output: BatchShape },
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
} as const;
