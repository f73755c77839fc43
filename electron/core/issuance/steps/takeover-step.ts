/**
 * Taking over a card left by a cancelled or failed job (DESIGN.md: "Cancel …
 * leaves the card in a state a later job can take over"). The earlier job may
 * have set its PUK (escrowed) and PIN; this step puts both back to the
 * transport values with the escrowed PUK, so the new job's PUK and PIN steps
 * start from known values. Keys, certificates and objects are simply replaced
 * by the new job's steps; the management key by its lock step. What the new
 * job's profile does not write (a 9C certificate, Printed Information…) is
 * deleted, so the card holds only what its profile says.
 */
import { FactoryDefaults, ObjectTag, PIV_SLOTS, SLOT_CERT_OBJECT } from '../../piv/constants.js';
import type { ProfileObject } from '../../../contract/card-profile.js';
import { isStationError } from '../../errors.js';
import type { ProductionStep, StepContext } from '../job-types.js';
import { escrowedPuk } from '../card-secrets.js';

/** The tag of each optional object a profile may leave out. */
const OPTIONAL_OBJECT_TAGS: Record<ProfileObject, number> = {
  printed: ObjectTag.PRINTED_INFORMATION,
  discovery: ObjectTag.DISCOVERY,
  'key-history': ObjectTag.KEY_HISTORY,
};

/**
 * Deletes (PUT DATA with empty content) the certificates of slots and the
 * optional objects the job's profile does not write, left by the earlier job.
 * The card's own Discovery object is left alone (a card carries one from the factory).
 * @returns what was deleted, by name
 */
async function deleteWhatTheProfileLeavesOut(ctx: StepContext): Promise<string[]> {
  const deleted: string[] = [];
  for (const slot of PIV_SLOTS) {
    if (ctx.profile.slots.includes(slot)) continue;
    await ctx.session.putData(SLOT_CERT_OBJECT[slot], null);
    deleted.push(`certificate ${slot}`);
  }
  for (const [object, tag] of Object.entries(OPTIONAL_OBJECT_TAGS) as [ProfileObject, number][]) {
    if (object === 'discovery' || ctx.profile.objects.includes(object)) continue;
    await ctx.session.putData(tag, null);
    deleted.push(object);
  }
  return deleted;
}

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
    const deleted = await deleteWhatTheProfileLeavesOut(ctx);
    ctx.store.audit.append({ actor: 'station', action: 'card.taken-over', outcome: 'ok', cardId: previous.id, jobId: ctx.job.id, details: { byCard: ctx.card.id, deleted } });
    return { previousCard: previous.id, pinAndPukRestored: !!puk, deleted };
  },
};
