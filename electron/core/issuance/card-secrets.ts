/**
 * PIN and PUK on the card during production, with retries that never cost more
 * than one counter decrement (DESIGN.md "PIN, PUK" row).
 *
 * Order: the PUK is set before the PIN, so that whenever the PIN must be
 * recovered (a generated PIN lost in a crash) the current PUK is known: the
 * escrowed one. Both steps record "in progress" before touching the card; on a
 * retry the candidate values are exactly two (new, transport), tried new first.
 */
import { FactoryDefaults, type PivSlot } from '../piv/constants.js';
import { isStationError, StationError } from '../errors.js';
import type { StepContext } from './job-types.js';
import type { SecretBox } from '../pki/secret-box.js';
import { generatePin, generatePuk } from './pin-policy.js';
import { pinAlways, slotNeedsPin } from './key-possession.js';

/** Step names, shared with the step list. */
export const PIN_STEP = 'pin';
export const PUK_STEP = 'puk';

/** Escrow label binding a sealed PUK to its card (AAD of the secret box). */
function pukLabel(cardId: string): string {
  return `escrow:PUK:${cardId}`;
}

/** Stores the PUK of `cardId` sealed with the keyring's box. */
export function escrowPuk(ctx: Pick<StepContext, 'store' | 'keyring'>, cardId: string, puk: string): void {
  ctx.store.escrow.put(cardId, 'PUK', ctx.keyring.box.seal(new TextEncoder().encode(puk), pukLabel(cardId)));
}

/**
 * Seals every escrowed PUK again with the box's current key (a passphrase change, core/reseal.ts).
 * @returns how many were sealed again
 * @throws StationError SECRETS_LOCKED when one opens with none of the box's keys
 */
export function resealEscrowedPuks(store: StepContext['store'], box: SecretBox): number {
  let resealed = 0;
  for (const { cardId, kind, sealed } of store.escrow.list()) {
    if (kind !== 'PUK' || box.isCurrent(sealed, pukLabel(cardId))) continue;
    store.escrow.replaceSealed(cardId, kind, box.reseal(sealed, pukLabel(cardId)));
    resealed++;
  }
  return resealed;
}

/** The escrowed PUK of `cardId`, or undefined. @throws StationError SECRETS_LOCKED */
export function escrowedPuk(ctx: Pick<StepContext, 'store' | 'keyring'>, cardId: string): string | undefined {
  const sealed = ctx.store.escrow.get(cardId, 'PUK');
  return sealed ? new TextDecoder().decode(ctx.keyring.box.open(sealed, pukLabel(cardId))) : undefined;
}

/**
 * Whether the card may already hold the step's new value: the step finished,
 * or an earlier run of the job started it (the current run's own attempt does
 * not count: it has not touched the card yet when this is asked).
 */
export function attempted(ctx: Pick<StepContext, 'stepRecord' | 'previouslyAttempted'>, step: string): boolean {
  return ctx.stepRecord(step)?.status === 'done' || ctx.previouslyAttempted(step);
}

/**
 * Sets the PUK: a fresh 8-digit PUK, escrowed (sealed) before the card is
 * touched; on a retry the escrowed value is reused, never regenerated.
 * Uncertain outcome: CHANGE REFERENCE DATA new→new proves the new PUK (no
 * decrement if it holds); if refused (one decrement), transport→new, whose
 * success resets the counter (SP 800-73-4 Part 2 §3.2.2).
 */
export async function setPuk(ctx: StepContext): Promise<void> {
  let puk = escrowedPuk(ctx, ctx.card.id);
  const uncertain = puk !== undefined && attempted(ctx, PUK_STEP);
  if (puk === undefined) {
    puk = generatePuk();
    escrowPuk(ctx, ctx.card.id, puk);
  }
  if (uncertain) {
    try {
      await ctx.session.changePuk(puk, puk);
      return;
    } catch (e) {
      if (!isStationError(e, 'WRONG_PUK')) throw e;
    }
  }
  await ctx.session.changePuk(FactoryDefaults.PUK, puk);
}

/** The PUK currently on the card: the escrowed one once the PUK step ran, else the transport PUK. */
export function currentPuk(ctx: StepContext): string {
  const rec = ctx.stepRecord(PUK_STEP);
  if (rec?.status === 'done') {
    const puk = escrowedPuk(ctx, ctx.card.id);
    if (!puk) throw new StationError('INTERNAL', 'The escrowed PUK of this card is missing.');
    return puk;
  }
  return FactoryDefaults.PUK;
}

/** VERIFY of the cardholder's PIN; its acceptance is remembered for the run (StepContext.cardholderPinAccepted). */
async function verifyCardholderPin(ctx: StepContext, pin: string): Promise<void> {
  await verifyPinOnCard(ctx, pin);
  ctx.cardholderPinAccepted = true;
}

/** VERIFY of `pin`, keeping StepContext.pinVerified as the card's PIN status after it (a refusal clears the status, 73-2 §3.2.1). */
export async function verifyPinOnCard(ctx: StepContext, pin: string): Promise<void> {
  ctx.pinVerified = false;
  await ctx.session.verifyPin(pin);
  ctx.pinVerified = true;
}

/**
 * Makes sure the cardholder PIN is on the card and verified.
 * - never attempted: CHANGE REFERENCE DATA transport→PIN;
 * - attempted, PIN known: VERIFY new (ok ⇒ done); refused ⇒ transport→new (one decrement, reset by success);
 * - attempted, PIN unknown (a generated PIN lost with a restart): a new PIN is
 *   generated and set with RESET RETRY COUNTER using the PUK on the card, which
 *   costs no PIN try at all.
 * @throws StationError INVALID_INPUT when a cardholder-chosen PIN is needed and not given
 */
export async function setPin(ctx: StepContext): Promise<void> {
  const wasAttempted = attempted(ctx, PIN_STEP);
  if (!ctx.secrets.pin) {
    if (ctx.params.pinSource === 'given') {
      throw new StationError('INVALID_INPUT', "This job needs the cardholder's PIN again: ask the cardholder to type it.", { field: 'pin' });
    }
    // The profile's shortest length: a generated PIN is read off a mailer or screen, the length it must have is enough.
    ctx.secrets.pin = generatePin(ctx.profile.pinPolicy.minLength);
    ctx.secrets.pinGenerated = true;
    if (wasAttempted) {
      ctx.pinVerified = false;
      await ctx.session.resetRetryCounter(currentPuk(ctx), ctx.secrets.pin);
      await verifyCardholderPin(ctx, ctx.secrets.pin);
      return;
    }
  }
  const pin = ctx.secrets.pin;
  if (wasAttempted) {
    try {
      await verifyCardholderPin(ctx, pin);
      return;
    } catch (e) {
      if (!isStationError(e, 'WRONG_PIN')) throw e;
    }
  }
  ctx.pinVerified = false;
  await ctx.session.changePin(FactoryDefaults.PIN, pin);
  // Not taken as proof of the new PIN: this VERIFY is the card session's proof that the cardholder's PIN works,
  // which the verify step then relies on (verify-card.ts pinAcceptedInSession), and it leaves the PIN verified.
  await verifyCardholderPin(ctx, pin);
}

/**
 * Verifies whichever PIN is on the card now, before a PIN-protected operation
 * (9A/9D use, every 9C use, reading Printed Information). Before the PIN step
 * ran that is the transport PIN; after, the cardholder's; when uncertain, the
 * PIN step's own resolution runs (and so the PIN step's effect happens here).
 */
export async function verifyCurrentPin(ctx: StepContext): Promise<void> {
  const rec = ctx.stepRecord(PIN_STEP);
  if (!attempted(ctx, PIN_STEP)) {
    await verifyPinOnCard(ctx, FactoryDefaults.PIN);
    return;
  }
  if (rec?.status === 'done' && ctx.secrets.pin) {
    await verifyCardholderPin(ctx, ctx.secrets.pin);
    return;
  }
  await setPin(ctx);
}

/**
 * Runs a command that needs the PIN verified ("PIN" access rule: 9A, 9D,
 * Printed Information, the facial image), sending as few VERIFYs as the card
 * allows (issue 14): none when the run knows the PIN status verified
 * (StepContext.pinVerified), else {@link verifyCurrentPin} first. A card that
 * answers 6982 all the same (it dropped the status) gets the VERIFY then and
 * the command once more: a 6982 spends no try and changes nothing.
 * Not for the Digital Signature key (9C, "PIN Always"): its caller verifies right before each use.
 * @throws StationError from VERIFY or from `operation`
 */
export async function withCurrentPin<T>(ctx: StepContext, operation: () => Promise<T>): Promise<T> {
  if (!ctx.pinVerified) {
    await verifyCurrentPin(ctx);
    return operation();
  }
  try {
    return await operation();
  } catch (e) {
    if (!isStationError(e, 'SECURITY_STATUS')) throw e;
    ctx.pinVerified = false;
    await verifyCurrentPin(ctx);
    return operation();
  }
}

/**
 * Runs one use of `slot`'s key with the PIN its access rule asks for (SP 800-73-4 Part 1 §3.2, Table 4b):
 * 9C ("PIN Always") a VERIFY right before the use; 9A and 9D the PIN verified as {@link withCurrentPin}
 * keeps it (no VERIFY while the run knows it verified); 9E none.
 * @throws StationError from VERIFY or from `operation`
 */
export async function withSlotPin<T>(ctx: StepContext, slot: PivSlot, operation: () => Promise<T>): Promise<T> {
  if (pinAlways(slot)) {
    await verifyCurrentPin(ctx);
    return operation();
  }
  return slotNeedsPin(slot) ? withCurrentPin(ctx, operation) : operation();
}
