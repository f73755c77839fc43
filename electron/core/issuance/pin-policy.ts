/**
 * PIN and PUK rules of the station.
 *
 * SP 800-73-4 Part 2 §2.4.3: the PIV Card Application PIN is 6–8 digits; the
 * PUK is 8 bytes (the station uses 8 random digits, valid on every card and
 * typeable at the desk). Generated values come from node:crypto's CSPRNG.
 */
import { randomInt } from 'node:crypto';
import { StationError } from '../errors.js';

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

/** Random digits of `length` from the CSPRNG. */
function randomDigits(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String(randomInt(0, 10));
  return s;
}

/** A generated cardholder PIN: `length` (6–8) random digits, never trivial. */
export function generatePin(length = 6): string {
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
