/**
 * The production job as data: the ordered steps of DESIGN.md "The production
 * job". Resume is "skip every step proven done, run the rest".
 */
import { PIV_SLOTS } from '../piv/constants.js';
import type { CardProfile, ProfileObject } from '../../contract/card-profile.js';
import type { ProductionStep } from './job-types.js';
import { authenticateStep, connectStep, identifyStep } from './steps/session-steps.js';
import { chuidStep } from './steps/chuid-step.js';
import { takeoverStep } from './steps/takeover-step.js';
import { slotSteps } from './steps/slot-steps.js';
import { cccStep, discoveryStep, facialImageStep, keyHistoryStep, printedInformationStep, securityObjectStep } from './steps/object-steps.js';
import { prepareFacialImageStep } from './steps/facial-image-prepare-step.js';
import { printStep } from './steps/print-step.js';
import { lockStep, pinStep, pukStep, retriesStep } from './steps/secret-steps.js';
import { verifyStep, finishStep } from './steps/final-steps.js';

/**
 * What a job makes: the profile's slots and optional objects (absent: everything, as before issue 4),
 * its biometric objects and when it prints the card face (absent: none).
 */
export type ProductionContent = Pick<CardProfile, 'slots' | 'objects'> & Partial<Pick<CardProfile, 'biometrics' | 'printing'>>;

/** The optional object each optional-object step writes (SP 800-73-4 Part 1 Table 3, "O"). */
const OPTIONAL_OBJECT_STEPS: { object: ProfileObject; step: ProductionStep }[] = [
  { object: 'discovery', step: discoveryStep },
  { object: 'printed', step: printedInformationStep },
  { object: 'key-history', step: keyHistoryStep },
];

/**
 * The steps of a production job, in order: the mandatory ones and, of the
 * slots and optional objects, those `content` names (default: all).
 */
export function productionSteps(content?: ProductionContent): ProductionStep[] {
  const slots = content ? PIV_SLOTS.filter((s) => content.slots.includes(s)) : PIV_SLOTS;
  const optional = OPTIONAL_OBJECT_STEPS.filter((o) => !content || content.objects.includes(o.object)).map((o) => o.step);
  const facial = content?.biometrics?.includes('facial') ?? false;
  return [
    connectStep,
    identifyStep,
    // before anything is written: the facial image must fit the card's room, or the card is refused untouched
    ...(facial ? [prepareFacialImageStep] : []),
    // the card face first, the chip after (card printers that encode after printing)
    ...(content?.printing === 'before-encoding' ? [printStep] : []),
    authenticateStep,
    takeoverStep,
    chuidStep,
    ...slots.flatMap((slot) => slotSteps(slot)),
    cccStep,
    ...optional,
    ...(facial ? [facialImageStep] : []),
    // after every object it covers: it hashes what is on the card
    securityObjectStep,
    retriesStep,
    pukStep,
    pinStep,
    lockStep,
    verifyStep,
    // the chip verified first, the card face after
    ...(content?.printing === 'after-encoding' ? [printStep] : []),
    finishStep,
  ];
}

/** Names of the steps, as persisted with a new job. */
export function productionStepNames(content?: ProductionContent): string[] {
  return productionSteps(content).map((s) => s.name);
}

/** Every step any profile may have (for labels of recorded steps). */
export function allProductionSteps(): ProductionStep[] {
  return productionSteps({ slots: [...PIV_SLOTS], objects: OPTIONAL_OBJECT_STEPS.map((o) => o.object), biometrics: ['facial'], printing: 'after-encoding' });
}
