/**
 * Which key references hold asymmetric keys (SP 800-73-4 Part 1 Table 4b),
 * and their default PIN policy.
 */
import { KeyRef } from '../../../electron/core/piv/constants.js';
import { PinPolicy, RETIRED_KEY_FIRST, RETIRED_KEY_LAST, TouchPolicy } from '../card-constants.js';

/** 9A, 9C, 9D, 9E and the retired key management keys 82–95. */
export function isAsymmetricKeyRef(ref: number): boolean {
  return (
    ref === KeyRef.PIV_AUTHENTICATION ||
    ref === KeyRef.DIGITAL_SIGNATURE ||
    ref === KeyRef.KEY_MANAGEMENT ||
    ref === KeyRef.CARD_AUTHENTICATION ||
    (ref >= RETIRED_KEY_FIRST && ref <= RETIRED_KEY_LAST)
  );
}

/** Table 4b: 9C "PIN Always", 9E "Always" (no PIN), every other key "PIN" (once per verification). */
export function defaultPinPolicy(ref: number): number {
  if (ref === KeyRef.DIGITAL_SIGNATURE) return PinPolicy.ALWAYS;
  if (ref === KeyRef.CARD_AUTHENTICATION) return PinPolicy.NEVER;
  return PinPolicy.ONCE;
}

/** Resolves a requested PIN policy byte (AA) against the slot default. */
export function resolvePinPolicy(ref: number, requested: number | undefined): number {
  return requested === undefined || requested === PinPolicy.DEFAULT ? defaultPinPolicy(ref) : requested;
}

/** Resolves a requested touch policy byte (AB); the virtual card has no button, so it is only recorded. */
export function resolveTouchPolicy(requested: number | undefined): number {
  return requested === undefined || requested === TouchPolicy.DEFAULT ? TouchPolicy.NEVER : requested;
}
