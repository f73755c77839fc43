/**
 * Writes the signed CHUID first: it gives a blank card its identity (GUID) for
 * every later retry (DESIGN.md table, row CHUID).
 * SP 800-73-4 Part 1 §3.1.2 (layout) and §3.1.2.1 (asymmetric signature).
 */
import { ObjectTag } from '../../piv/constants.js';
import { chuidSignedBytes, encodeChuid } from '../../piv/objects/chuid.js';
import { bytesEqual, fromHex, toHex } from '../../piv/tlv.js';
import type { ProductionStep, StepContext } from '../job-types.js';
import { readObject, writeObject } from '../card-objects.js';
import { chuidDate, uuidBytes } from '../card-numbering.js';

/** Step name of the CHUID step. */
export const CHUID_STEP = 'chuid';

/** The CHUID content this job wrote (recorded), if any. */
function recordedChuid(ctx: StepContext): Uint8Array | undefined {
  const hex = ctx.stepData(CHUID_STEP)?.chuid;
  return typeof hex === 'string' ? fromHex(hex) : undefined;
}

/** Builds the CHUID of the job's card, signed by the station's content signer. */
export async function buildSignedChuid(ctx: StepContext): Promise<Uint8Array> {
  const unsigned = {
    fascn: fromHex(ctx.card.fascn),
    guid: uuidBytes(ctx.card.guid),
    expiration: chuidDate(ctx.card.expirationDate),
  };
  const signature = await ctx.ca.signChuid(chuidSignedBytes(unsigned));
  return encodeChuid({ ...unsigned, signature });
}

/** 32 hex digits → canonical UUID text. */
export function guidToUuid(hex: string): string {
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const chuidStep: ProductionStep = {
  name: CHUID_STEP,
  label: 'Write the CHUID',
  activity: 'writing the CHUID',
  async isDone(ctx) {
    const recorded = recordedChuid(ctx);
    if (!recorded) return false;
    const onCard = await readObject(ctx, ObjectTag.CHUID);
    return !!onCard && bytesEqual(onCard, recorded);
  },
  async run(ctx) {
    const chuid = recordedChuid(ctx) ?? (await buildSignedChuid(ctx));
    // Signed for this card: no card's own CHUID can stand for it (card-objects.ts).
    await writeObject(ctx, { tag: ObjectTag.CHUID, name: 'CHUID' }, chuid);
    return { chuid: toHex(chuid) };
  },
};
