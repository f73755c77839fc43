/**
 * PIN and PUK rules of the station, enforced: the rules themselves are the
 * contract's (electron/contract/pin-rules.ts, shared with the screens); this
 * module throws them as StationErrors before anything reaches a card (so a
 * bad PIN never costs a retry) and generates PINs and PUKs.
 *
 * SP 800-73-4 Part 2 §2.4.3: the PIV Card Application PIN is 6–8 digits; the
 * PUK is 8 bytes (the station uses 8 random digits, valid on every card and
 * typeable at the desk). Generated values come from node:crypto's CSPRNG.
 */
import { randomInt } from 'node:crypto';
import { StationError } from '../errors.js';
import { DEFAULT_PIN_POLICY, PIN_MAX_LENGTH, PIN_MIN_LENGTH, type PinPolicy } from '../../contract/card-profile.js';
import { chosenPinProblem, isGuessablePin, pinDecisionProblem, verifiedPinProblem } from '../../contract/pin-rules.js';

const refuse = (problem: string | null): void => {
  if (problem) throw new StationError('INVALID_INPUT', problem, { field: 'pin' });
};

/**
 * Checks a PIN the cardholder types to have it *verified* on the card
 * (activation): only its form, never the rules for choosing one.
 * @throws StationError INVALID_INPUT {field: 'pin'}
 */
export function assertVerifiablePin(pin: string): void {
  refuse(verifiedPinProblem(pin));
}

/**
 * Checks a PIN the cardholder *chooses* (an unlock, where the cardholder
 * always chooses): the profile's lengths, and not guessable.
 * @throws StationError INVALID_INPUT {field: 'pin'}
 */
export function assertChosenPin(pin: string, policy: Pick<PinPolicy, 'minLength' | 'maxLength'> = DEFAULT_PIN_POLICY): void {
  refuse(chosenPinProblem(pin, policy));
}

/**
 * Checks the PIN decision of a production, retry or reissue against the card
 * profile's PIN policy, before anything touches the card: a typed PIN where
 * the profile has the station generate it, no PIN where the cardholder must
 * choose it, or a chosen PIN the policy refuses.
 * @param pin the typed PIN; undefined → the station is to generate one
 * @throws StationError INVALID_INPUT {field: 'pin'}
 */
export function assertPinFollowsPolicy(policy: PinPolicy, pin: string | undefined): void {
  refuse(pinDecisionProblem(policy, pin));
}

/** Random digits of `length` from the CSPRNG. */
function randomDigits(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String(randomInt(0, 10));
  return s;
}

/** A generated cardholder PIN: `length` (6–8) random digits, never guessable. */
export function generatePin(length = PIN_MIN_LENGTH): string {
  if (!Number.isInteger(length) || length < PIN_MIN_LENGTH || length > PIN_MAX_LENGTH) throw new StationError('INVALID_INPUT', 'A PIN is 6 to 8 digits.', { field: 'pinLength' });
  for (;;) {
    const pin = randomDigits(length);
    if (!isGuessablePin(pin)) return pin;
  }
}

/** A generated PUK: 8 random digits (SP 800-73-4 Part 2 §2.4.3). */
export function generatePuk(): string {
  for (;;) {
    const puk = randomDigits(8);
    if (!isGuessablePin(puk)) return puk;
  }
}
