/**
 * PIN and PUK rules of the station.
 *
 * SP 800-73-4 Part 2 §2.4.3: the PIV Card Application PIN is 6–8 digits; the
 * PUK is 8 bytes (the station uses 8 random digits, valid on every card and
 * typeable at the desk). Generated values come from node:crypto's CSPRNG.
 */
import { randomInt } from 'node:crypto';
import { StationError } from '../errors.js';
import type { PinPolicy } from '../../contract/card-profile.js';

const PIN_PATTERN = /^\d{6,8}$/;

/** Trivial PINs refused at the desk: one repeated digit, or a straight run. */
function isTrivial(pin: string): boolean {
  if (/^(\d)\1+$/.test(pin)) return true;
  const ascending = '0123456789012345';
  const descending = '9876543210987654';
  return ascending.includes(pin) || descending.includes(pin);
}

/**
 * Checks a cardholder PIN before anything reaches a card (so a bad PIN never
 * costs a retry).
 * @throws StationError INVALID_INPUT "The PIN must be 6 to 8 digits." / trivial PIN
 */
export function assertValidPin(pin: string): void {
  if (!PIN_PATTERN.test(pin)) throw new StationError('INVALID_INPUT', 'The PIN must be 6 to 8 digits.', { field: 'pin' });
  if (isTrivial(pin)) {
    throw new StationError('INVALID_INPUT', 'The PIN is too easy to guess (repeated or consecutive digits); choose another.', { field: 'pin' });
  }
}

/**
 * Checks the PIN decision of a production, retry or reissue against the card
 * profile's PIN policy, before anything touches the card: a typed PIN where
 * the profile has the station generate it, no PIN where the cardholder must
 * choose it, or a PIN outside the profile's length, is refused.
 * @param pin the typed PIN; undefined → the station is to generate one
 * @throws StationError INVALID_INPUT {field: 'pin'}
 */
export function assertPinFollowsPolicy(policy: PinPolicy, pin: string | undefined): void {
  if (pin === undefined) {
    if (policy.source === 'chosen') {
      throw new StationError('INVALID_INPUT', 'This card profile needs a PIN chosen by the cardholder: ask the cardholder to type it.', { field: 'pin' });
    }
    return;
  }
  if (policy.source === 'generated') {
    throw new StationError('INVALID_INPUT', 'This card profile has the station generate the PIN: do not type one.', { field: 'pin' });
  }
  assertPinLength(policy, pin);
  assertValidPin(pin);
}

/**
 * Checks a typed PIN's length against the profile's policy (a PIN typed at an
 * unlock, where the cardholder always chooses).
 * @throws StationError INVALID_INPUT {field: 'pin'}
 */
export function assertPinLength(policy: Pick<PinPolicy, 'minLength' | 'maxLength'>, pin: string): void {
  if (!/^\d+$/.test(pin) || pin.length < policy.minLength || pin.length > policy.maxLength) {
    const range = policy.minLength === policy.maxLength ? `${policy.minLength}` : `${policy.minLength} to ${policy.maxLength}`;
    throw new StationError('INVALID_INPUT', `The PIN must be ${range} digits for this card profile.`, { field: 'pin' });
  }
}

/** Random digits of `length` from the CSPRNG. */
function randomDigits(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String(randomInt(0, 10));
  return s;
}

/** A generated cardholder PIN: `length` (6–8) random digits, never trivial. */
export function generatePin(length = 6): string {
  if (!Number.isInteger(length) || length < 6 || length > 8) throw new StationError('INVALID_INPUT', 'A PIN is 6 to 8 digits.', { field: 'pinLength' });
  for (;;) {
    const pin = randomDigits(length);
    if (!isTrivial(pin)) return pin;
  }
}

/** A generated PUK: 8 random digits (SP 800-73-4 Part 2 §2.4.3). */
export function generatePuk(): string {
  for (;;) {
    const puk = randomDigits(8);
    if (!isTrivial(puk)) return puk;
  }
}
