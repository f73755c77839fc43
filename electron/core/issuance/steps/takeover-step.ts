/**
 * Taking over a card left by a cancelled or failed job (DESIGN.md: "Cancel …
 * leaves the card in a state a later job can take over"). The earlier job may
 * have set its PUK (escrowed) and PIN; this step puts both back to the
 * transport values with the escrowed PUK, so the new job's PUK and PIN steps
 * start from known values. Keys, certificates and objects are simply replaced
 * by the new job's steps; the management key by its lock step. What the new
 * job's profile does not write (a 9C certificate, Printed Information…) is
 * deleted, so the card holds only what its profile says — on any card: a
 * returned card carrying another issuer's certificates is cleaned up too.
 */
import { FactoryDefaults, ObjectTag, PIV_SLOTS, SLOT_CERT_OBJECT, type PivSlot } from '../../piv/constants.js';
import { isStationError } from '../../errors.js';
import type { ProductionStep, StepContext } from '../job-types.js';
import { escrowedPuk } from '../card-secrets.js';
import { readObject } from '../card-objects.js';

/** A PUT DATA refused for the object itself: the card keeps it (card-objects.ts). */
const DELETE_REFUSED = ['BAD_DATA', 'UNSUPPORTED', 'SECURITY_STATUS'] as const;

/**
 * What the job's profile does not write but the card holds: certificates of
 * the slots left out, and the optional objects left out that are readable
 * without the PIN (read first: one GET DATA each). A blank card, or a profile
 * writing everything, has none and costs no read.
 */
async function leftovers(ctx: StepContext): Promise<{ tag: number; name: string; slot?: PivSlot }[]> {
  const found: { tag: number; name: string; slot?: PivSlot }[] = [];
  for (const slot of PIV_SLOTS) {
    if (ctx.profile.slots.includes(slot)) continue;
    if (await readObject(ctx, SLOT_CERT_OBJECT[slot])) found.push({ tag: SLOT_CERT_OBJECT[slot], name: `certificate ${slot}`, slot });
  }
  if (!ctx.profile.objects.includes('key-history') && (await readObject(ctx, ObjectTag.KEY_HISTORY))) {
    found.push({ tag: ObjectTag.KEY_HISTORY, name: 'key-history' });
  }
  return found;
}

/**
 * Deletes (PUT DATA with empty content) what the job's profile does not
 * write. A taken-over card also loses its Printed Information (the earlier
 * job's cardholder; reading it first would spend a PIN try, so it is deleted
 * blind). An object the card refuses to delete is the card's own and stays.
 * The card's own Discovery object is left alone (a card carries one from the factory).
 * The key of a slot whose certificate goes is deleted too where the card has
 * DELETE KEY (MOVE KEY F6, optional); without it the key stays, unusable by
 * clients without its certificate (SP 800-73-4 has no command to delete a key).
 * @returns what was deleted and what the card kept, by name
 */
async function deleteWhatTheProfileLeavesOut(ctx: StepContext): Promise<{ deleted: string[]; keptByCard: string[] }> {
  const targets = await leftovers(ctx);
  if (ctx.foreignCard && !ctx.profile.objects.includes('printed')) targets.push({ tag: ObjectTag.PRINTED_INFORMATION, name: 'printed' });
  const deleted: string[] = [];
  const keptByCard: string[] = [];
  for (const { tag, name, slot } of targets) {
    try {
      await ctx.session.putData(tag, null);
      ctx.objectsOnCard.set(tag, null);
      deleted.push(name);
    } catch (e) {
      if (!isStationError(e, ...DELETE_REFUSED)) throw e;
      keptByCard.push(name);
    }
    if (slot && ctx.identity.capabilities.extensions.moveKey === 'yes') {
      try {
        await ctx.session.deleteKey(slot);
        deleted.push(`key ${slot}`);
      } catch (e) {
        if (!isStationError(e, ...DELETE_REFUSED, 'NO_KEY', 'SW', 'CONDITIONS')) throw e;
      }
    }
  }
  return { deleted, keptByCard };
}

/**
 * Takes over a card left by a cancelled or failed job of ours (PIN and PUK
 * back to transport values), and cleans up any card (a returned or
 * factory-dirty one included) of what the profile does not write.
 */
export const takeoverStep: ProductionStep = {
  name: 'takeover',
  label: 'Take over or clean up the card',
  activity: 'taking over and cleaning up the card',
  async isDone(ctx) {
    return !ctx.foreignCard && (await leftovers(ctx)).length === 0;
  },
  async run(ctx) {
    const previous = ctx.foreignCard;
    const puk = previous ? escrowedPuk(ctx, previous.id) : undefined;
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
    const { deleted, keptByCard } = await deleteWhatTheProfileLeavesOut(ctx);
    if (previous) {
      ctx.store.audit.append({ actor: 'station', action: 'card.taken-over', outcome: 'ok', cardId: previous.id, jobId: ctx.job.id, details: { byCard: ctx.card.id, deleted } });
    }
    return { previousCard: previous?.id ?? null, pinAndPukRestored: !!puk, deleted, keptByCard };
  },
};
