/**
 * Prints card faces through the spooler, at most once per title: a job's
 * title carries the production job id, so a retry (after a failure or a
 * crash) finds the earlier print job instead of printing a second card.
 * Prints on one queue go one at a time, in the order they were asked for
 * (a batch's cards come out in the batch's order).
 */
import { StationError } from '../errors.js';
import { followPrintJob, queueProblem, type FollowOptions, type MediaSize, type PrintSpooler, type SpoolerJob } from './print-spooler.js';

/** What an earlier attempt left. */
export interface EarlierPrint {
  /** The spooler job id an earlier attempt recorded. */
  jobId?: number;
  /** True when an earlier attempt may have submitted without recording (a crash): look for the title. */
  searchByTitle: boolean;
}

/** A finished print. */
export interface PrintResult {
  queue: string;
  title: string;
  /** The spooler job that printed it. */
  printJob: number;
  /** True when an earlier attempt's job had printed (or was finishing) and nothing was submitted now. */
  resumed: boolean;
}

/** The title of a production job's card print; reprints add their number. */
export function cardPrintTitle(productionJobId: string, reprint?: number): string {
  return reprint ? `PIV card ${productionJobId} reprint ${reprint}` : `PIV card ${productionJobId}`;
}

/** Prints documents once each, one at a time per queue. */
export class CardPrinter {
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    readonly spooler: PrintSpooler,
    private readonly follow: FollowOptions = {},
  ) {}

  /** Runs `work` after every earlier print on `queue` has ended. */
  private serial<T>(queue: string, work: () => Promise<T>): Promise<T> {
    const before = this.chains.get(queue) ?? Promise.resolve();
    const mine = before.then(work, work);
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(queue, settled);
    void settled.then(() => {
      if (this.chains.get(queue) === settled) this.chains.delete(queue);
    });
    return mine;
  }

  /** Follows a submitted job; a job that cannot finish is cancelled, so it never prints later behind the station's back. */
  private async finish(queue: string, jobId: number): Promise<void> {
    try {
      await followPrintJob(this.spooler, queue, jobId, this.follow);
    } catch (e) {
      await this.spooler.cancel(queue, jobId).catch(() => {});
      throw e;
    }
  }

  /**
   * Prints the document `render` makes, titled `title`, on `queue`, and waits for the job to
   * complete; resumes an earlier attempt's job instead when it printed or is still printing.
   * @param onSubmitted called with the new spooler job id before it is followed (record it: a crash
   *        while printing must not print a second card)
   * @param media the document's media size (a card print: ID-1); absent: the queue's default
   * @throws StationError PRINTER_UNAVAILABLE (queue missing, stopped, refusing; spooler down), PRINT_FAILED (job held, cancelled, aborted, too slow)
   */
  print(queue: string, title: string, render: () => Promise<Uint8Array>, earlier: EarlierPrint, onSubmitted: (printJob: number) => void, media?: MediaSize): Promise<PrintResult> {
    return this.serial(queue, async () => {
      if (earlier.jobId !== undefined || earlier.searchByTitle) {
        const jobs = await this.spooler.jobs(queue);
        const prior: SpoolerJob | undefined =
          earlier.jobId !== undefined ? jobs.find((j) => j.id === earlier.jobId) : jobs.filter((j) => j.title === title).sort((a, b) => b.id - a.id)[0];
        if (prior?.state === 'completed') return { queue, title, printJob: prior.id, resumed: true };
        if (prior && (prior.state === 'pending' || prior.state === 'processing')) {
          await this.finish(queue, prior.id);
          return { queue, title, printJob: prior.id, resumed: true };
        }
        // Held or stopped: that attempt will not print by itself; clear it before printing anew.
        if (prior && (prior.state === 'held' || prior.state === 'stopped')) await this.spooler.cancel(queue, prior.id).catch(() => {});
      }
      const problem = queueProblem(queue, await this.spooler.queue(queue));
      if (problem) throw new StationError('PRINTER_UNAVAILABLE', problem, { queue });
      const printJob = await this.spooler.submit(queue, title, await render(), media);
      onSubmitted(printJob);
      await this.finish(queue, printJob);
      return { queue, title, printJob, resumed: false };
    });
  }
}
