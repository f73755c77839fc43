/**
 * Taking over a card left by a cancelled or failed job (DESIGN.md: "Cancel …
 * leaves the card in a state a later job can take over"). The earlier job may
 * have set its PUK (escrowed) and PIN; this step puts both back to the
 * transport values with the escrowed PUK, so the new job's PUK and PIN steps
 * start from known values. Keys, certificates and objects are simply replaced
 * by the new job's steps; the management key by its lock step.
 */
import { FactoryDefaults } from '../../piv/constants.js';
import { isStationError } from '../../errors.js';
import type { ProductionStep } from '../job-types.js';
import { escrowedPuk } from '../card-secrets.js';

export const takeoverStep: ProductionStep = {
  name: 'takeover',
  label: 'Take over a card from a cancelled job',
  activity: 'taking over the card from a cancelled job',
  async isDone(ctx) {
    return !ctx.foreignCard;
  },
  async run(ctx) {
    const previous = ctx.foreignCard!;
    const puk = escrowedPuk(ctx, previous.id);
    if (puk) {
      // The earlier PUK may or may not have landed: new first, then transport (one decrement at most, reset by success).
      try {
        await ctx.session.changePuk(puk, FactoryDefaults.PUK);
      } catch (e) {
        if (!isStationError(e, 'WRONG_PUK')) throw e;
        await ctx.session.changePuk(FactoryDefaults.PUK, FactoryDefaults.PUK);
      }
      await ctx.session.resetRetryCounter(FactoryDefaults.PUK, FactoryDefaults.PIN);
    }
    ctx.store.audit.append({ actor: 'station', action: 'card.taken-over', outcome: 'ok', cardId: previous.id, jobId: ctx.job.id, details: { byCard: ctx.card.id } });
    return { previousCard: previous.id, pinAndPukRestored: !!puk };
  },
};
