/**
 * Following a print job to its end (CUPS semantics through the in-memory spooler): a queue that
 * stops after accepting the job holds it, which fails the print and cancels the job; an aborted or
 * cancelled job fails; a refusing queue fails before anything is queued; prints on one queue run in
 * the order asked.
 */
import { describe, expect, it } from 'vitest';
import { CardPrinter, cardPrintTitle } from '../../../../electron/core/physical/card-printer.js';
import { followPrintJob } from '../../../../electron/core/physical/print-spooler.js';
import { MemorySpooler } from '../../../support/memory-spooler.js';

const Q = 'PIV-Test-Printer';
const fast = { pollMs: 0, wait: async () => {} };
const pdf = async () => new Uint8Array([0x25, 0x50, 0x44, 0x46]);

/** A spooler whose queue stops right after it accepted a job (lp succeeds, the printer then holds it). */
class StopsAfterSubmit extends MemorySpooler {
  override async submit(queue: string, title: string, doc: Uint8Array): Promise<number> {
    const id = await super.submit(queue, title, doc);
    this.stop(queue, 'out of cards');
    return id;
  }
}

describe('CardPrinter', () => {
  it('a job held by a queue that stopped after accepting it fails the print, in the printer’s words, and is cancelled', async () => {
    const spooler = new StopsAfterSubmit();
    const printer = new CardPrinter(spooler, fast);
    const recorded: number[] = [];
    await expect(printer.print(Q, 'PIV card j1', pdf, { searchByTitle: false }, (id) => recorded.push(id))).rejects.toMatchObject({
      code: 'PRINTER_UNAVAILABLE',
      message: expect.stringContaining('out of cards'),
      details: { queue: Q },
    });
    expect(recorded).toEqual([1]);
    expect(spooler.jobsSeen.map((j) => j.state)).toEqual(['canceled']);
  });

  it('an aborted, held or cancelled job fails with PRINT_FAILED', async () => {
    for (const state of ['aborted', 'held', 'canceled'] as const) {
      const spooler = new MemorySpooler();
      const id = await spooler.submit(Q, 't', new Uint8Array(1));
      spooler.setState(id, state);
      await expect(followPrintJob(spooler, Q, id, fast)).rejects.toMatchObject({ code: 'PRINT_FAILED', details: { queue: Q, printJob: id } });
    }
  });

  it('a queue that refuses jobs, or none at all, fails before anything is queued', async () => {
    const spooler = new MemorySpooler();
    spooler.reject(Q);
    const printer = new CardPrinter(spooler, fast);
    await expect(printer.print(Q, 't', pdf, { searchByTitle: false }, () => {})).rejects.toMatchObject({ code: 'PRINTER_UNAVAILABLE', message: expect.stringMatching(/not accepting jobs/) });
    await expect(printer.print('No-Such-Queue', 't', pdf, { searchByTitle: false }, () => {})).rejects.toMatchObject({ code: 'PRINTER_UNAVAILABLE', message: 'There is no print queue "No-Such-Queue".' });
    expect(spooler.jobsSeen).toEqual([]);
  });

  it('resumes a recorded job still printing instead of printing again, and prints one queue’s cards in the order asked', async () => {
    const spooler = new MemorySpooler();
    const printer = new CardPrinter(spooler, fast);
    spooler.stop(Q);
    const held = await spooler.submit(Q, cardPrintTitle('job-a'), new Uint8Array(1));
    spooler.start(Q);
    const resumed = await printer.print(Q, cardPrintTitle('job-a'), pdf, { jobId: held, searchByTitle: true }, () => {});
    expect(resumed).toMatchObject({ printJob: held, resumed: true });
    const order = await Promise.all(['job-1', 'job-2', 'job-3'].map((j) => printer.print(Q, cardPrintTitle(j), pdf, { searchByTitle: false }, () => {})));
    expect(order.map((r) => r.printJob)).toEqual([2, 3, 4]);
    expect(spooler.printed(Q).map((j) => j.title)).toEqual(['PIV card job-a', 'PIV card job-1', 'PIV card job-2', 'PIV card job-3']);
  });
});
