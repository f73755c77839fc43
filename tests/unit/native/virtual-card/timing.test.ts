/**
 * The realistic-card delays (native/virtual-card/timing.ts): which command
 * costs what, from the bytes of the command itself. No wall time is measured.
 */
import { describe, expect, it } from 'vitest';
import { Alg, Ins, KeyRef } from '../../../../electron/core/piv/constants.js';
import { operationDelayMs, PUBLISHED_CARD_TIMING as T, transferDelayMs } from '../../../../native/virtual-card/timing.js';

/** GENERATE's control template: AC 03 80 01 <mechanism>. */
const generate = (mechanism: number) => Uint8Array.of(0xac, 0x03, 0x80, 0x01, mechanism);

describe('realistic card timing', () => {
  it('charges key generation by the mechanism the command asks for', () => {
    expect(operationDelayMs(T, Ins.GENERATE_ASYMMETRIC_KEY_PAIR, 0, 0x9a, generate(Alg.ECC_P256))).toBe(T.generateMs.P256);
    expect(operationDelayMs(T, Ins.GENERATE_ASYMMETRIC_KEY_PAIR, 0, 0x9a, generate(Alg.RSA_2048))).toBe(T.generateMs.RSA2048);
    expect(T.generateMs.RSA2048).toBeGreaterThan(T.generateMs.P256!);
  });

  it('charges a private-key operation by its algorithm (P1), the management key by its own figure, reads nothing', () => {
    expect(operationDelayMs(T, Ins.GENERAL_AUTHENTICATE, Alg.ECC_P256, 0x9c, new Uint8Array(0))).toBe(T.privateKeyMs.P256);
    expect(operationDelayMs(T, Ins.GENERAL_AUTHENTICATE, Alg.RSA_2048, 0x9a, new Uint8Array(0))).toBe(T.privateKeyMs.RSA2048);
    expect(operationDelayMs(T, Ins.GENERAL_AUTHENTICATE, Alg.AES_192, KeyRef.MANAGEMENT, new Uint8Array(0))).toBe(T.managementKeyMs);
    expect(operationDelayMs(T, Ins.GET_DATA, 0x3f, 0xff, Uint8Array.of(0x5c, 0x01, 0x7e))).toBe(0);
  });

  it('charges every APDU on the wire, more for more bytes', () => {
    expect(transferDelayMs(T, 5, 2)).toBeCloseTo(T.perApduMs + 7 * T.perByteMs);
    expect(transferDelayMs(T, 5, 1000)).toBeGreaterThan(transferDelayMs(T, 5, 2));
  });
});
