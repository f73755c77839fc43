/**
 * Printing the card face as a step of production (issue 11), before or after
 * the chip is encoded as the profile says. It never touches the card: a
 * print failure fails this step only, and a retry prints again without
 * writing the chip. The spooler job is recorded the moment it is submitted,
 * and the job's title carries the production job id, so a retry after a
 * crash finds the earlier print instead of printing a second card.
 */
import { StationError } from '../../errors.js';
import { cardPrintTitle } from '../../physical/card-printer.js';
import { printablePdf } from '../../physical/card-render.js';
import { jobFaceSources } from '../../physical/job-face.js';
import type { ProductionStep } from '../job-types.js';
import { CARD_MEDIA } from '../../physical/card-geometry.js';

export const PRINT_STEP = 'print.card';

export const printStep: ProductionStep = {
  name: PRINT_STEP,
  label: 'Print the card face',
  activity: 'printing the card face',
  offCard: true,
  async isDone(ctx) {
    const rec = ctx.stepRecord(PRINT_STEP);
    return rec?.status === 'done' && rec.data?.printed === true;
  },
  async run(ctx) {
    const physical = ctx.physical;
    const queue = physical?.cardQueue;
    if (!physical || !queue) {
      throw new StationError('PRINTER_UNAVAILABLE', 'This card profile prints the card face, but no card printer is configured for this station (config.json cardPrinter.queue).');
    }
    const title = cardPrintTitle(ctx.job.id);
    const recorded = ctx.stepData(PRINT_STEP);
    const sources = jobFaceSources(ctx, ctx.params, ctx.person, ctx.card, () => ctx.profile);
    const result = await physical.printer.print(
      queue,
      title,
      () => printablePdf(sources, physical.fonts(), title, ctx.now()),
      { jobId: typeof recorded?.printJob === 'number' ? recorded.printJob : undefined, searchByTitle: ctx.previouslyAttempted(PRINT_STEP) },
      (printJob) => ctx.saveStepData({ printJob, queue, title }),
      CARD_MEDIA,
    );
    ctx.store.audit.append({ actor: 'station', action: 'card.printed', outcome: 'ok', personId: ctx.person.id, cardId: ctx.card.id, jobId: ctx.job.id, details: { queue, printJob: result.printJob, resumed: result.resumed } });
    return { printed: true, printJob: result.printJob, queue, title, resumed: result.resumed };
  },
};
