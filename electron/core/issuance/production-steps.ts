/**
 * The production job as data: the ordered steps of DESIGN.md "The production
 * job". Resume is "skip every step proven done, run the rest".
 */
import { PIV_SLOTS } from '../piv/constants.js';
import type { ProductionStep } from './job-types.js';
import { authenticateStep, connectStep, identifyStep } from './steps/session-steps.js';
import { chuidStep } from './steps/chuid-step.js';
import { takeoverStep } from './steps/takeover-step.js';
import { slotSteps } from './steps/slot-steps.js';
import { cccStep, discoveryStep, keyHistoryStep, printedInformationStep } from './steps/object-steps.js';
import { lockStep, pinStep, pukStep, retriesStep } from './steps/secret-steps.js';
import { verifyStep, finishStep } from './steps/final-steps.js';

/** Every step of a production job, in order. */
export function productionSteps(): ProductionStep[] {
  return [
    connectStep,
    identifyStep,
    authenticateStep,
    takeoverStep,
    chuidStep,
    ...PIV_SLOTS.flatMap((slot) => slotSteps(slot)),
    cccStep,
    discoveryStep,
    printedInformationStep,
    keyHistoryStep,
    retriesStep,
    pukStep,
    pinStep,
    lockStep,
    verifyStep,
    finishStep,
  ];
}

/** Names of the steps, as persisted with a new job. */
export function productionStepNames(): string[] {
  return productionSteps().map((s) => s.name);
}
