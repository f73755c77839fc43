/**
 * How long a real PIV card takes to answer, for the realistic-card mode of the
 * benchmark (issue 14): a virtual card given a {@link CardTiming} waits that
 * long before it answers, so a run estimates desk time on real cards, not only
 * on an in-memory card. The virtual card's own work (node:crypto) comes on top
 * and is small beside these figures.
 *
 * {@link PUBLISHED_CARD_TIMING} takes its figures from published measurements
 * of contact smart cards and PIV tokens:
 * - Key generation on card: RSA-2048 "about 9 s" on smart cards (OnlyKey
 *   firmware issue #66, 2017, a maintainer's measurement) and 3–12 s across the
 *   Java Card chips of the JCAlgTest performance database (Švenda et al.,
 *   Masaryk University, https://www.fi.muni.cz/~xsvenda/jcalgtest/,
 *   KeyPair ALG_RSA_CRT 2048 genKeyPair); EC P-256 genKeyPair 0.1–0.5 s in the
 *   same database. Taken: RSA-2048 8 s, P-256 0.3 s, P-384 0.6 s.
 * - Private-key operations with a crypto coprocessor: RSA-2048 50–200 ms
 *   (smartcardfyi.com glossary "RSA", coprocessor table); ECDSA P-256 of the
 *   same order in JCAlgTest (Signature ALG_ECDSA_SHA_256 sign). Taken: RSA-2048
 *   150 ms, P-256 80 ms, P-384 150 ms; the management-key 3DES/AES block 10 ms.
 * - Transport: a T=1 contact card at 115 200 bit/s answers a SELECT in under
 *   10 ms (JCOP card measured at the reader, java-index.com forum thread
 *   "Is DES of only 16 bytes in 200 ms too slow?", 2007). Taken: 8 ms per
 *   APDU plus 0.09 ms per byte each way (115 200 bit/s, 10 bits a byte).
 */
import { Ins, KeyRef } from '../../electron/core/piv/constants.js';
import { ALGORITHM_OF_MECHANISM } from './slot-crypto.js';
import type { SlotAlgorithm } from './state.js';

/** Delays a card adds, in milliseconds. */
export interface CardTiming {
  /** Every APDU (each block of a chain, each GET RESPONSE): the reader's and the card's fixed cost. */
  perApduMs: number;
  /** Per byte of the C-APDU and R-APDU on the wire. */
  perByteMs: number;
  /** GENERATE ASYMMETRIC KEY PAIR, by algorithm. */
  generateMs: Partial<Record<SlotAlgorithm, number>>;
  /** GENERAL AUTHENTICATE with a slot's private key (sign or key agreement), by algorithm. */
  privateKeyMs: Partial<Record<SlotAlgorithm, number>>;
  /** One step of the management-key (9B) challenge-response. */
  managementKeyMs: number;
}

/** Figures from published card measurements (see the module's sources). */
export const PUBLISHED_CARD_TIMING: CardTiming = {
  perApduMs: 8,
  perByteMs: 0.09,
  generateMs: { RSA2048: 8000, P256: 300, P384: 600 },
  privateKeyMs: { RSA2048: 150, P256: 80, P384: 150 },
  managementKeyMs: 10,
};

/** The wait of one APDU on the wire: `request` bytes in, `response` bytes out. */
export function transferDelayMs(timing: CardTiming, request: number, response: number): number {
  return timing.perApduMs + (request + response) * timing.perByteMs;
}

/**
 * The card's own work for a whole command (chain assembled): key generation
 * by the mechanism in its control template (AC 03 80 01 <mech>), a private-key
 * operation by its algorithm (P1), the 9B challenge-response; else nothing.
 */
export function operationDelayMs(timing: CardTiming, ins: number, p1: number, p2: number, data: Uint8Array): number {
  if (ins === Ins.GENERATE_ASYMMETRIC_KEY_PAIR) {
    const alg = ALGORITHM_OF_MECHANISM.get(data[4] ?? -1);
    return alg ? (timing.generateMs[alg] ?? 0) : 0;
  }
  if (ins === Ins.GENERAL_AUTHENTICATE) {
    if (p2 === KeyRef.MANAGEMENT) return timing.managementKeyMs;
    const alg = ALGORITHM_OF_MECHANISM.get(p1);
    return alg ? (timing.privateKeyMs[alg] ?? 0) : 0;
  }
  return 0;
}
