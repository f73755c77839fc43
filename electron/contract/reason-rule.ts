/**
 * The rule for a stated reason — rejecting a card request, cancelling a job
 * or a batch item — written once for the contract's input shapes, the core
 * and the screens: a few words, not a blank, not an essay (the audit event
 * keeps it). Imports nothing runtime-specific.
 */

/** Fewest characters of a reason, after trimming. */
export const REASON_MIN_LENGTH = 3;
/** Most characters of a reason, after trimming. */
export const REASON_MAX_LENGTH = 500;

/** Whether `text`, trimmed, is a reason the station accepts (REASON_MIN_LENGTH to REASON_MAX_LENGTH characters). */
export function isStatedReason(text: string): boolean {
  const length = text.trim().length;
  return length >= REASON_MIN_LENGTH && length <= REASON_MAX_LENGTH;
}
