/** The contract's PIN rules: choosing versus verifying (SP 800-73-4 Part 2 §2.4.3 form; the station's guessability rule). */
import { describe, expect, it } from 'vitest';
import { chosenPinProblem, chosenPinProblemWhileTyping, chosenPinRule, pinDigits, verifiedPinProblem } from '../../../electron/contract/pin-rules.js';

describe('PIN rules', () => {
  it('a PIN being verified is judged by its form only: the card decides, a guessable PIN still goes to it', () => {
    expect(verifiedPinProblem('123456')).toBeNull();
    expect(verifiedPinProblem('111111')).toBeNull();
    expect(verifiedPinProblem('12345')).toBe('The PIN must be 6 to 8 digits.');
  });

  it('a PIN being chosen follows the profile’s lengths and refuses guessable runs', () => {
    expect(chosenPinProblem('123456')).toMatch(/too easy to guess/);
    expect(chosenPinProblem('1234567', { minLength: 8, maxLength: 8 })).toBe('The PIN must be 8 digits for this card profile.');
    expect(chosenPinProblem('246810')).toBeNull();
  });

  it('the rule stated beside the field names what is refused; while typing, only a judgeable PIN is refused', () => {
    expect(chosenPinRule({ minLength: 7, maxLength: 8 })).toBe('7 to 8 digits, not one digit repeated (111111) or a straight run (123456, 654321)');
    expect(chosenPinProblemWhileTyping('12345')).toBeNull();
    expect(chosenPinProblemWhileTyping('123456')).toMatch(/too easy to guess/);
    expect(chosenPinProblemWhileTyping('1234569')).toBeNull();
  });

  it('a PIN field keeps the digits typed or pasted, at most the 8 a PIN may have', () => {
    expect(pinDigits('12 34-56')).toBe('123456');
    expect(pinDigits('1234567890')).toBe('12345678');
    expect(pinDigits('abc')).toBe('');
  });
});
