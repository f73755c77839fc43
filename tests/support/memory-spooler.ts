/**
 * An in-memory print spooler with CUPS's job semantics, for unit tests of
 * the print step's logic (a stopped queue holds jobs, a rejecting queue
 * refuses them, jobs keep their titles, completed jobs stay listed). Real
 * printing is tested through CUPS and cups-pdf in tests/integration.
 */
import { StationError } from '../../electron/core/errors.js';
import type { MediaSize, PrintJobState, PrintSpooler, QueueStatus, SpoolerJob } from '../../electron/core/physical/print-spooler.js';

interface MemoryJob extends SpoolerJob {
  queue: string;
  pdf: Uint8Array;
  media?: MediaSize;
}

export class MemorySpooler implements PrintSpooler {
  private readonly status = new Map<string, QueueStatus>();
  readonly jobsSeen: MemoryJob[] = [];
  private nextId = 1;

  constructor(queues: string[] = ['PIV-Test-Printer']) {
    for (const name of queues) this.status.set(name, { name, state: 'idle', accepting: true, message: '' });
  }

  /** Stops a queue (cupsdisable): its jobs wait; `message` is the printer's reason. */
  stop(queue: string, message = 'stopped'): void {
    this.status.set(queue, { ...this.status.get(queue)!, state: 'stopped', message });
  }

  /** Starts a queue again (cupsenable). */
  start(queue: string): void {
    this.status.set(queue, { ...this.status.get(queue)!, state: 'idle', message: '' });
  }

  /** Makes a queue refuse new jobs (cupsreject). */
  reject(queue: string): void {
    this.status.set(queue, { ...this.status.get(queue)!, accepting: false, message: 'rejecting jobs' });
  }

  /** Sets a job's state (the printer aborting it, an operator cancelling it). */
  setState(jobId: number, state: PrintJobState): void {
    const job = this.jobsSeen.find((j) => j.id === jobId)!;
    job.state = state;
  }

  async queues(): Promise<QueueStatus[]> {
    return [...this.status.values()].map((q) => ({ ...q }));
  }

  async queue(name: string): Promise<QueueStatus | undefined> {
    const q = this.status.get(name);
    return q ? { ...q } : undefined;
  }

  async submit(queue: string, title: string, pdf: Uint8Array, media?: MediaSize): Promise<number> {
    const q = this.status.get(queue);
    if (!q) throw new StationError('PRINTER_UNAVAILABLE', `There is no print queue "${queue}".`, { queue });
    if (!q.accepting) throw new StationError('PRINTER_UNAVAILABLE', `The printer "${queue}" refused the job: not accepting jobs.`, { queue });
    const job: MemoryJob = { id: this.nextId++, queue, title, state: 'pending', reasons: [], pdf, media };
    this.jobsSeen.push(job);
    return job.id;
  }

  /** A running queue prints its pending jobs by the next look (a fast printer); a stopped one holds them. */
  async jobs(queue: string): Promise<SpoolerJob[]> {
    const q = this.status.get(queue);
    if (!q) throw new StationError('PRINTER_UNAVAILABLE', `There is no print queue "${queue}".`, { queue });
    for (const j of this.jobsSeen) if (j.queue === queue && j.state === 'pending' && q.state !== 'stopped') j.state = 'completed';
    return this.jobsSeen.filter((j) => j.queue === queue).map(({ id, state, reasons, title }) => ({ id, state, reasons: [...reasons], title }));
  }

  async cancel(_queue: string, jobId: number): Promise<void> {
    const job = this.jobsSeen.find((j) => j.id === jobId);
    if (job && job.state !== 'completed') job.state = 'canceled';
  }

  /** The documents printed (completed) on a queue, in order. */
  printed(queue: string): MemoryJob[] {
    return this.jobsSeen.filter((j) => j.queue === queue && j.state === 'completed');
  }
}
