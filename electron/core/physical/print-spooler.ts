/**
 * Printing through the operating system's print spooler (CUPS on Linux and
 * macOS; issue 11 "Printing through the operating system"), as a port: the
 * core says what it needs, native/cups implements it with CUPS's own
 * commands. Card printers (Evolis, Zebra, HID Fargo …) are ordinary queues
 * with their vendors' drivers: the station needs nothing printer-specific
 * beyond the queue name and the card size of the document.
 *
 * Following a job to its end is the core's rule ({@link followPrintJob}):
 * `lp` accepts a job on a stopped queue and holds it, so a submitted job
 * proves nothing; only the job reaching "completed" does.
 */
import { StationError } from '../errors.js';

/** IPP job states (RFC 8011 §5.3.7), held and stopped included. */
export type PrintJobState = 'pending' | 'held' | 'processing' | 'stopped' | 'canceled' | 'aborted' | 'completed';

/** A job on a queue. */
export interface SpoolerJob {
  id: number;
  state: PrintJobState;
  /** IPP job-state-reasons keywords (e.g. 'printer-stopped', 'job-completed-successfully'). */
  reasons: string[];
  /** The job name (lp -t): the station puts the production job id in it. */
  title: string;
}

/** A print queue as the spooler reports it (IPP printer-state, printer-is-accepting-jobs). */
export interface QueueStatus {
  name: string;
  state: 'idle' | 'processing' | 'stopped';
  accepting: boolean;
  /** The printer's own words (printer-state-message), e.g. "out of cards". */
  message: string;
}

/** A media size, mm (portrait: width × height). */
export interface MediaSize {
  widthMm: number;
  heightMm: number;
}

/** The spooler the station prints through. */
export interface PrintSpooler {
  /** Every queue. @throws StationError PRINTER_UNAVAILABLE when the spooler cannot be reached */
  queues(): Promise<QueueStatus[]>;
  /** One queue, or undefined when it does not exist. @throws StationError PRINTER_UNAVAILABLE (spooler down) */
  queue(name: string): Promise<QueueStatus | undefined>;
  /**
   * Submits a PDF as one job named `title`, on media of `media` (mm) when given (the card size:
   * the one printer-independent fact a card print carries), else the queue's default.
   * @returns the spooler's job id
   * @throws StationError PRINTER_UNAVAILABLE (no such queue, not accepting jobs, spooler down)
   */
  submit(queue: string, title: string, pdf: Uint8Array, media?: MediaSize): Promise<number>;
  /** Every job the queue remembers (pending and finished). @throws StationError PRINTER_UNAVAILABLE */
  jobs(queue: string): Promise<SpoolerJob[]>;
  /** Cancels a job (done or gone: nothing happens). */
  cancel(queue: string, jobId: number): Promise<void>;
}

/** How a print job is followed. */
export interface FollowOptions {
  /** Between two looks at the job, ms (CUPS pushes nothing without subscriptions: the station asks). */
  pollMs?: number;
  /** Longest a job may take before the step fails, ms (a card printer prints a card in well under a minute). */
  timeoutMs?: number;
  /** Waits `ms` (tests pass a clock). */
  wait?: (ms: number) => Promise<void>;
  now?: () => number;
}

const DEFAULT_POLL_MS = 500;
const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/** The sentence for a queue that cannot print now, or undefined when it can. */
export function queueProblem(queue: string, status: QueueStatus | undefined): string | undefined {
  if (!status) return `There is no print queue "${queue}".`;
  const why = status.message ? ` (${status.message})` : '';
  if (status.state === 'stopped') return `The printer "${queue}" is stopped${why}: start it again, then retry.`;
  if (!status.accepting) return `The printer "${queue}" is not accepting jobs${why}.`;
  return undefined;
}

/**
 * Follows job `jobId` on `queue` until it completes.
 * Fails when the job is held, cancelled or aborted, when it vanishes, when the queue stops or
 * disappears while the job waits (a stopped queue holds the job forever), or after the timeout.
 * @throws StationError PRINTER_UNAVAILABLE (queue stopped or gone), PRINT_FAILED (job held, cancelled, aborted, vanished, too slow)
 */
export async function followPrintJob(spooler: PrintSpooler, queue: string, jobId: number, options: FollowOptions = {}): Promise<SpoolerJob> {
  const wait = options.wait ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? (() => Date.now());
  const deadline = now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const details = { queue, printJob: jobId };
  for (;;) {
    const job = (await spooler.jobs(queue)).find((j) => j.id === jobId);
    if (!job) {
      const status = await spooler.queue(queue);
      if (!status) throw new StationError('PRINTER_UNAVAILABLE', queueProblem(queue, status)!, details);
      throw new StationError('PRINT_FAILED', `The print job ${queue}-${jobId} is gone from the queue before it was printed.`, details);
    }
    switch (job.state) {
      case 'completed':
        return job;
      case 'canceled':
        throw new StationError('PRINT_FAILED', `The print job ${queue}-${jobId} was cancelled at the printer.`, details);
      case 'aborted':
        throw new StationError('PRINT_FAILED', `The printer "${queue}" gave up on the job (${job.reasons.join(', ') || 'aborted'}).`, details);
      case 'held':
        throw new StationError('PRINT_FAILED', `The print job ${queue}-${jobId} is held at the printer (${job.reasons.join(', ') || 'held'}).`, details);
      case 'stopped': {
        const status = await spooler.queue(queue);
        throw new StationError('PRINTER_UNAVAILABLE', queueProblem(queue, status) ?? `The printer "${queue}" stopped while printing.`, details);
      }
      default: {
        // Pending or processing: fine while the queue runs; a stopped queue would hold it forever.
        const problem = queueProblem(queue, await spooler.queue(queue));
        if (problem && job.state === 'pending') throw new StationError('PRINTER_UNAVAILABLE', problem, details);
      }
    }
    if (now() > deadline) throw new StationError('PRINT_FAILED', `The print job ${queue}-${jobId} did not finish in time.`, details);
    await wait(options.pollMs ?? DEFAULT_POLL_MS);
  }
}
