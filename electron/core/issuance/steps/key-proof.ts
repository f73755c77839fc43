/**
 * Proves that a slot holds the private key of a recorded public key, without
 * changing anything on the card (DESIGN.md table, row "per slot: generate").
 *
 * With GET METADATA (YubiKey extension F7, tag 04) the card reports the slot's
 * public key: no PIN, no signature. Otherwise the slot proves the key by use
 * (key-possession.ts), after the PIN where the slot needs it.
 */
import { SLOT_KEY_REF, type PivSlot } from '../../piv/constants.js';
import type { CardPublicKey } from '../../piv/public-key.js';
import { bytesEqual } from '../../piv/tlv.js';
import { isStationError } from '../../errors.js';
import type { StepContext } from '../job-types.js';
import { verifyCurrentPin } from '../card-secrets.js';
import { proveKeyByUse, slotNeedsPin } from '../key-possession.js';

export { hashFor, isKeyAgreementOnly, slotNeedsPin } from '../key-possession.js';

/**
 * True when the slot holds the key `key`. Uses GET METADATA where the card has
 * it, else a signature/agreement. A slot with no key answers false.
 */
export async function slotHoldsKey(ctx: StepContext, slot: PivSlot, key: CardPublicKey): Promise<boolean> {
  try {
    if (ctx.identity.supportsMetadata) {
      const meta = await ctx.session.getMetadata(SLOT_KEY_REF[slot]);
      return !!meta?.publicKey && bytesEqual(meta.publicKey.spki, key.spki);
    }
    if (slotNeedsPin(slot)) await verifyCurrentPin(ctx);
    return (await proveKeyByUse(ctx.session, slot, key)) !== undefined;
  } catch (e) {
    if (isStationError(e, 'NO_KEY', 'NOT_FOUND')) return false;
    throw e;
  }
}
