/** How probe answers become capabilities (electron/core/piv/capabilities.ts). */
import { describe, expect, it } from 'vitest';
import { algorithmName, recognitionState } from '../../../../electron/core/piv/capabilities.js';
import { Sw } from '../../../../electron/core/piv/constants.js';

describe('recognitionState', () => {
  it('a card that refuses the probe for its parameters or its missing authentication has the instruction', () => {
    for (const sw of [Sw.SECURITY_STATUS_NOT_SATISFIED, Sw.CONDITIONS_NOT_SATISFIED, Sw.INCORRECT_DATA, Sw.WRONG_LENGTH, Sw.INCORRECT_P1P2, Sw.WRONG_P1P2, Sw.REFERENCE_NOT_FOUND]) {
      expect(recognitionState(sw), sw.toString(16)).toBe('yes');
    }
  });
  it('an unknown instruction, and any unexpected answer, 9000 included, is no', () => {
    for (const sw of [Sw.INS_NOT_SUPPORTED, Sw.CLA_NOT_SUPPORTED, Sw.FUNCTION_NOT_SUPPORTED, Sw.SUCCESS, 0x6f00, 0x63c3]) {
      expect(recognitionState(sw), sw.toString(16)).toBe('no');
    }
  });
});

describe('algorithmName', () => {
  it('names SP 800-78-4 mechanisms and gives hex for the rest', () => {
    expect([0x00, 0x03, 0x0a, 0x07, 0x11, 0x14, 0x27].map(algorithmName)).toEqual(['TDEA', 'TDEA', 'AES192', 'RSA2048', 'P256', 'P384', '27']);
  });
});
