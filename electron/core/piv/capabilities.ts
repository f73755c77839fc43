/**
 * How the station reads what a card can do (issue 9): the probes of the
 * optional vendor extensions and how their answers are judged. The shape of
 * the result is the contract's CardCapabilities (electron/contract/card-capabilities.ts);
 * PivSession.identify runs the probes.
 *
 * Read extensions (GET VERSION, GET SERIAL, GET METADATA) are probed by using
 * them. Write extensions are probed by *recognition*: the instruction is sent
 * with parameters no card executes (no data, invalid references, no security
 * status), and the status word tells whether the card knows the instruction
 * (it refuses the parameters or the missing authentication) or not (6D00
 * "instruction not supported", 6E00, 6A81). Anything else is an unexpected
 * shape: the capability is off and the standard fallback is used.
 */
import type { CapabilityState, CardCapabilities } from '../../contract/card-capabilities.js';
import { Alg, Ins, Sw } from './constants.js';

export type { CapabilityState, CardCapabilities } from '../../contract/card-capabilities.js';

/**
 * INS P1 P2 of each recognition probe:
 * - SET PIN RETRIES `00 FA 00 00`: zero tries is no valid count, and it needs 9B and the PIN;
 * - SET MANAGEMENT KEY `00 FF FF FF` without the key data, without 9B;
 * - ATTEST `00 F9 00 00`: 00 is no key slot (ATTEST only reads);
 * - MOVE KEY `00 F6 00 00`: 00 is no key slot on either side, without 9B.
 */
export const RECOGNITION_PROBES = {
  setPinRetries: [Ins.SET_PIN_RETRIES, 0x00, 0x00],
  setManagementKey: [Ins.SET_MANAGEMENT_KEY, 0xff, 0xff],
  attest: [Ins.ATTEST, 0x00, 0x00],
  moveKey: [Ins.MOVE_KEY, 0x00, 0x00],
} as const satisfies Record<string, readonly [number, number, number]>;

/** Answers of a card that knows the instruction but refuses this use of it. */
const KNOWN_BUT_REFUSED: ReadonlySet<number> = new Set<number>([
  Sw.SECURITY_STATUS_NOT_SATISFIED,
  Sw.CONDITIONS_NOT_SATISFIED,
  Sw.DATA_INVALID,
  Sw.INCORRECT_DATA,
  Sw.WRONG_LENGTH,
  Sw.INCORRECT_P1P2,
  Sw.WRONG_P1P2,
  Sw.REFERENCE_NOT_FOUND,
]);

/**
 * Judges a recognition probe's status word: 'yes' when the card refused it
 * the way a card with the instruction does, else 'no' (6D00/6E00/6A81, and
 * any unexpected answer, 9000 included).
 */
export function recognitionState(sw: number): CapabilityState {
  return KNOWN_BUT_REFUSED.has(sw) ? 'yes' : 'no';
}

/** Names of mechanism bytes (SP 800-78-4 Table 6-2; YubiKey 05/16/E0/E1), as the capabilities list them. */
const ALGORITHM_NAMES: ReadonlyMap<number, string> = new Map([
  [Alg.TDEA_3KEY_ALT, 'TDEA'],
  [Alg.TDEA_3KEY, 'TDEA'],
  [Alg.AES_128, 'AES128'],
  [Alg.AES_192, 'AES192'],
  [Alg.AES_256, 'AES256'],
  [Alg.RSA_1024, 'RSA1024'],
  [Alg.RSA_2048, 'RSA2048'],
  [Alg.ECC_P256, 'P256'],
  [Alg.ECC_P384, 'P384'],
]);

/** Name of a mechanism byte, or its hex ("27") when the station has no name for it. */
export function algorithmName(id: number): string {
  return ALGORITHM_NAMES.get(id) ?? id.toString(16).toUpperCase().padStart(2, '0');
}

/** True when the capability is not known to be missing ('yes' or 'unknown'). */
export function mayHave(c: CardCapabilities, extension: keyof CardCapabilities['extensions']): boolean {
  return c.extensions[extension] !== 'no';
}
