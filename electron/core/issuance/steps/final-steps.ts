/**
 * The last two steps: verify the card as a whole, then finish the record
 * (DESIGN.md table rows "verify" and "finish").
 */
import { ObjectTag, PIV_SLOTS, type PivSlot } from '../../piv/constants.js';
import { fromHex } from '../../piv/tlv.js';
import { StationError } from '../../errors.js';
import type { ProductionStep, StepContext } from '../job-types.js';
import type { ProfileObject } from '../../../contract/card-profile.js';
import { verifyCard, type ExpectedCard, type VerificationReport } from '../verify-card.js';
import { verifyCurrentPin } from '../card-secrets.js';
import { CHUID_STEP } from './chuid-step.js';
import { validCertificateFor } from './slot-steps.js';
import { cccStep, discoveryStep, facialImageStep, keyHistoryStep, printedInformationStep, securityObjectStep } from './object-steps.js';

/** What the job's record says the card holds. */
export function expectedCardOf(ctx: StepContext): ExpectedCard {
  const hex = (name: string) => {
    const v = ctx.stepData(name)?.content ?? ctx.stepData(name)?.chuid;
    return typeof v === 'string' ? fromHex(v) : undefined;
  };
  const certificates: Partial<Record<PivSlot, Uint8Array>> = {};
  for (const slot of PIV_SLOTS) {
    const cert = validCertificateFor(ctx, slot);
    if (cert) certificates[slot] = cert.der;
  }
  const objects: NonNullable<ExpectedCard['objects']> = [];
  const notWritten: NonNullable<ExpectedCard['notWritten']> = { slots: PIV_SLOTS.filter((s) => !ctx.profile.slots.includes(s)), objects: [] };
  const add = (name: string, label: string, tag: number, pinToRead?: boolean, optional?: ProfileObject) => {
    if (optional && !ctx.profile.objects.includes(optional)) {
      notWritten.objects.push(label);
      return;
    }
    const content = hex(name);
    const cardDefined = ctx.stepData(name)?.outcome === 'card-defined';
    if (content) objects.push({ tag, name: label, content, pinToRead, ...(cardDefined ? { cardDefined } : {}) });
  };
  add(cccStep.name, 'Card Capability Container', ObjectTag.CCC);
  add(discoveryStep.name, 'Discovery object', ObjectTag.DISCOVERY, false, 'discovery');
  add(printedInformationStep.name, 'Printed Information', ObjectTag.PRINTED_INFORMATION, true, 'printed');
  add(keyHistoryStep.name, 'Key History object', ObjectTag.KEY_HISTORY, false, 'key-history');
  const facialImage = ctx.profile.biometrics.includes('facial');
  if (facialImage) add(facialImageStep.name, 'Cardholder Facial Image', ObjectTag.FACIAL_IMAGE, true);
  add(securityObjectStep.name, 'Security Object', ObjectTag.SECURITY_OBJECT);
  return { chuid: hex(CHUID_STEP), certificates, objects, notWritten, facialImage, printed: ctx.params.printed };
}

/** The objects this run read from the card and did not write since (null: absent, not a proof of anything). */
function objectsReadInThisRun(ctx: StepContext): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (const tag of ctx.readFromCard) {
    const content = ctx.objectsOnCard.get(tag);
    if (content) out.set(tag, content);
  }
  return out;
}

/** Runs the full verification; any failed check fails the step (the report is kept in the step data). */
export const verifyStep: ProductionStep = {
  name: 'verify',
  label: 'Verify the card',
  activity: 'verifying the card',
  async run(ctx) {
    const report: VerificationReport = await verifyCard({
      session: ctx.session,
      trust: await ctx.ca.trustAnchors(),
      verifyPin: () => verifyCurrentPin(ctx),
      expected: expectedCardOf(ctx),
      identity: ctx.identity,
      certificateStatus: (serial) => ctx.store.certificates.get(serial)?.status,
      readInSession: objectsReadInThisRun(ctx),
      keysProvenInSession: ctx.keysProvenInRun,
      pinAcceptedInSession: ctx.cardholderPinAccepted === true,
      // This run authenticated with a per-card key: no factory-key attempt is needed to show 9B is not the default.
      ...(ctx.authenticatedWith === 'derived' || ctx.authenticatedWith === 'foreign'
        ? { managementKeyProven: 'locked to a per-card key (the card accepted it in this session)' }
        : {}),
    });
    if (!report.ok) {
      const failed = report.checks.find((c) => !c.ok)!;
      throw new StationError('VERIFY_FAILED', `Verification failed: ${failed.name}: ${failed.detail}`, { check: failed.name });
    }
    return { report: report as unknown as Record<string, unknown> };
  },
};

/** Marks the card produced. The engine releases the session with a card reset. */
export const finishStep: ProductionStep = {
  name: 'finish',
  label: 'Finish',
  activity: 'finishing the card record',
  offCard: true,
  async isDone(ctx) {
    return ctx.card.status === 'produced';
  },
  async run(ctx) {
    ctx.updateCard({ status: 'produced' });
    return { status: 'produced' };
  },
};
