/**
 * PIN and PUK checks (SP 800-73-4 Part 2 §2.4.3, §3.2.1–3.2.3): format rules,
 * constant-time comparison, and the retry counter.
 */
import { timingSafeEqual } from 'node:crypto';
import { Sw } from '../../electron/core/piv/constants.js';
import { fromHex, toHex } from '../../electron/core/piv/tlv.js';
import { fail } from './apdu.js';
import { DIGIT_0, DIGIT_9, PIN_FIELD_LENGTH, PIN_MIN_LENGTH, PIN_PAD, swRetries } from './card-constants.js';
import type { ReferenceDataState } from './state.js';

/** Length of the value before its FF padding, or -1 when padding is not trailing-only. */
function unpaddedLength(field: Uint8Array): number {
  let n = field.indexOf(PIN_PAD);
  if (n < 0) n = field.length;
  for (let i = n; i < field.length; i++) if (field[i] !== PIN_PAD) return -1;
  return n;
}

/** A PIV PIN: 8 bytes, 6–8 ASCII digits then FF padding. */
export function isWellFormedPin(field: Uint8Array): boolean {
  if (field.length !== PIN_FIELD_LENGTH) return false;
  const n = unpaddedLength(field);
  if (n < PIN_MIN_LENGTH) return false;
  for (let i = 0; i < n; i++) if (field[i]! < DIGIT_0 || field[i]! > DIGIT_9) return false;
  return true;
}

/** A PUK: 8 bytes, 6–8 bytes of any value other than FF, then FF padding (YubiKey rule). */
export function isWellFormedPuk(field: Uint8Array): boolean {
  return field.length === PIN_FIELD_LENGTH && unpaddedLength(field) >= PIN_MIN_LENGTH;
}

/**
 * Checks `candidate` against the reference and updates its counter:
 * success restores the counter, failure (including a malformed candidate)
 * decrements it. Throws the SW to answer on failure.
 * @throws CardStatusError 6983 when blocked (no comparison made), 63Cx on mismatch
 */
export function checkReference(ref: ReferenceDataState, candidate: Uint8Array): void {
  if (ref.remaining <= 0) fail(Sw.AUTH_METHOD_BLOCKED);
  const expected = fromHex(ref.value);
  const ok = candidate.length === expected.length && timingSafeEqual(candidate, expected);
  if (!ok) {
    ref.remaining -= 1;
    fail(swRetries(ref.remaining));
  }
  ref.remaining = ref.total;
}

/** Stores a new reference value (8 padded bytes). */
export function setReference(ref: ReferenceDataState, field: Uint8Array): void {
  ref.value = toHex(field);
  ref.remaining = ref.total;
}
