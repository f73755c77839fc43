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
import { FactoryDefaults, KeyRef, ObjectTag, PIV_SLOTS, SLOT_CERT_OBJECT, SLOT_KEY_REF } from '../../piv/constants.js';
import { decodeKeyHistory, MAX_RETIRED_KEYS } from '../../piv/objects/key-history.js';
import { isStationError } from '../../errors.js';
import type { ProductionStep, StepContext } from '../job-types.js';
import { escrowedPuk } from '../card-secrets.js';
import { readObject } from '../card-objects.js';

/** A PUT DATA refused for the object itself: the card keeps it (card-objects.ts). */
const DELETE_REFUSED = ['BAD_DATA', 'UNSUPPORTED', 'SECURITY_STATUS'] as const;

/** Something on the card the profile does not write. */
interface Leftover {
  tag: number;
  name: string;
  /** The key reference whose key goes with it (a certificate's slot or retired key). */
  keyRef?: number;
}

/**
 * What the job's profile does not write but the card holds (read first: one
 * GET DATA each, the Printed Information after the transport PIN): the
 * certificates of the slots left out, the optional objects left out, and the
 * retired key certificates the card's Key History announces (this station
 * retires no key). A blank card with a profile writing everything costs one
 * read (the Key History, which its own step then reuses).
 */
async function leftovers(ctx: StepContext): Promise<Leftover[]> {
  const found: Leftover[] = [];
  for (const slot of PIV_SLOTS) {
    if (ctx.profile.slots.includes(slot)) continue;
    if (await readObject(ctx, SLOT_CERT_OBJECT[slot])) found.push({ tag: SLOT_CERT_OBJECT[slot], name: `certificate ${slot}`, keyRef: SLOT_KEY_REF[slot] });
  }
  if (!ctx.profile.objects.includes('printed') && (await readObject(ctx, ObjectTag.PRINTED_INFORMATION, true))) {
    found.push({ tag: ObjectTag.PRINTED_INFORMATION, name: 'printed' });
  }
  const keyHistory = await readObject(ctx, ObjectTag.KEY_HISTORY);
  if (keyHistory && !ctx.profile.objects.includes('key-history')) found.push({ tag: ObjectTag.KEY_HISTORY, name: 'key-history' });
  for (let i = 0; i < retiredOnCard(keyHistory); i++) {
    if (await readObject(ctx, ObjectTag.CERT_RETIRED_1 + i)) found.push({ tag: ObjectTag.CERT_RETIRED_1 + i, name: `retired certificate ${i + 1}`, keyRef: KeyRef.RETIRED_1 + i });
  }
  return found;
}

/**
 * Whether the takeover may delete a key (DELETE KEY, MOVE KEY F6): one that goes
 * with a certificate it deletes — of a slot the profile leaves out, or of a
 * retired key the card's Key History announces. Asked by the identify step,
 * which probes MOVE KEY only then (issue 14); reads the Key History (once per
 * run: this step and the Key History step reuse it).
 */
export async function takeoverMayDeleteKeys(ctx: StepContext): Promise<boolean> {
  if (PIV_SLOTS.some((slot) => !ctx.profile.slots.includes(slot))) return true;
  return retiredOnCard(await readObject(ctx, ObjectTag.KEY_HISTORY)) > 0;
}

/** How many retired keys with certificates on the card a Key History announces (0 when absent or unreadable). */
function retiredOnCard(keyHistory: Uint8Array | null): number {
  if (!keyHistory) return 0;
  try {
    return Math.min(decodeKeyHistory(keyHistory).onCard, MAX_RETIRED_KEYS);
  } catch {
    return 0;
  }
}

/**
 * Deletes (PUT DATA with empty content) what the job's profile does not
 * write. An object the card refuses to delete is the card's own and stays.
 * The card's own Discovery object is left alone (a card carries one from the factory).
 * The key that goes with a deleted certificate is deleted too where the card
 * has DELETE KEY (MOVE KEY F6, optional); without it the key stays, unusable
 * by clients without its certificate (SP 800-73-4 has no command to delete a key).
 * @returns what was deleted and what the card kept, by name
 */
async function deleteWhatTheProfileLeavesOut(ctx: StepContext): Promise<{ deleted: string[]; keptByCard: string[] }> {
  const deleted: string[] = [];
  const keptByCard: string[] = [];
  for (const { tag, name, keyRef } of await leftovers(ctx)) {
    try {
      await ctx.session.putData(tag, null);
      ctx.objectsOnCard.set(tag, null);
      ctx.readFromCard.delete(tag);
      deleted.push(name);
    } catch (e) {
      if (!isStationError(e, ...DELETE_REFUSED)) throw e;
      keptByCard.push(name);
    }
    if (keyRef !== undefined && ctx.identity.capabilities.extensions.moveKey === 'yes') {
      try {
        await ctx.session.deleteKey(keyRef);
        deleted.push(`key ${keyRef.toString(16).toUpperCase()}`);
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
    // A taken-over card still has the earlier job's PIN: nothing is read with the PIN before the run restores it.
    if (ctx.foreignCard) return false;
    return (await leftovers(ctx)).length === 0;
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
      // The PIN is set anew: whatever status the card keeps for it, the run no longer counts on a VERIFY before.
      ctx.pinVerified = false;
      await ctx.session.resetRetryCounter(FactoryDefaults.PUK, FactoryDefaults.PIN);
    }
    const { deleted, keptByCard } = await deleteWhatTheProfileLeavesOut(ctx);
    if (previous) {
      ctx.store.audit.append({ actor: 'station', action: 'card.taken-over', outcome: 'ok', cardId: previous.id, jobId: ctx.job.id, details: { byCard: ctx.card.id, deleted } });
    }
    return { previousCard: previous?.id ?? null, pinAndPukRestored: !!puk, deleted, keptByCard };
  },
};
