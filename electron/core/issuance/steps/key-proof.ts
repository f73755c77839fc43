/**
 * Proves that a slot holds the private key of a recorded public key, without
 * changing anything on the card (DESIGN.md table, row "per slot: generate").
 *
 * With GET METADATA (YubiKey extension F7, tag 04) the card reports the slot's
 * public key: no PIN, no signature. A card without it, or whose metadata
 * leaves the public key out, proves the key by use (key-possession.ts), after
 * the PIN where the slot needs it.
 */
import { SLOT_KEY_REF, type PivSlot } from '../../piv/constants.js';
import type { CardPublicKey } from '../../piv/public-key.js';
import type { KeyMetadata } from '../../piv/metadata.js';
import { bytesEqual } from '../../piv/tlv.js';
import { isStationError } from '../../errors.js';
import type { StepContext } from '../job-types.js';
import { withSlotPin } from '../card-secrets.js';
import { proveKeyByUse } from '../key-possession.js';

export { hashFor, isKeyAgreementOnly, slotNeedsPin } from '../key-possession.js';

/**
 * True when the slot holds the key `key`. Uses GET METADATA where the card has
 * it and reports the public key, else a signature/agreement. A slot with no key answers false.
 */
export async function slotHoldsKey(ctx: StepContext, slot: PivSlot, key: CardPublicKey): Promise<boolean> {
  try {
    if (ctx.identity.capabilities.extensions.getMetadata === 'yes') {
      const meta = await slotMetadata(ctx, slot);
      if (meta === null) return false;
      if (meta?.publicKey) return bytesEqual(meta.publicKey.spki, key.spki);
    }
    const proven = (await withSlotPin(ctx, slot, () => proveKeyByUse(ctx.session, slot, key))) !== undefined;
    if (proven) ctx.keysProvenInRun.set(slot, key.spki);
    return proven;
  } catch (e) {
    if (isStationError(e, 'NO_KEY', 'NOT_FOUND')) return false;
    throw e;
  }
}

/**
 * GET METADATA of a slot: null when the slot holds no key (6A88), undefined
 * when the card will not describe slot keys (an optional extension: the
 * caller falls back to a proof by use).
 */
async function slotMetadata(ctx: StepContext, slot: PivSlot): Promise<KeyMetadata | null | undefined> {
  try {
    return await ctx.session.getMetadata(SLOT_KEY_REF[slot]);
  } catch (e) {
    if (isStationError(e, 'UNSUPPORTED', 'BAD_DATA', 'SW', 'MALFORMED_RESPONSE', 'CONDITIONS', 'NOT_FOUND')) return undefined;
    throw e;
  }
}
