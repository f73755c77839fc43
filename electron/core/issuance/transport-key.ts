/**
 * The algorithm of a card's transport (factory) management key. YubiKey
 * firmware before 5.7 ships a 3DES default key, 5.7 and later AES-192 with the
 * same bytes (yubikit tests/device/test_piv.py). GET METADATA 9B, where the card
 * has it, tells directly and is preferred (see the identify step).
 */
import type { ManagementKeyAlgorithm } from '../piv/constants.js';
import type { CardIdentity } from '../piv/session.js';

/** Parses "5.7.1" into a comparable number (5 * 10000 + 7 * 100 + 1). */
function versionNumber(version: string | undefined): number {
  if (!version) return 0;
  const [a = 0, b = 0, c = 0] = version.split('.').map((x) => Number(x) || 0);
  return a * 10000 + b * 100 + c;
}

/** Transport key algorithm: from the card's 9B metadata when known, else by version. */
export function transportAlgorithmOf(identity: CardIdentity & { managementKeyAlgorithm?: ManagementKeyAlgorithm }): ManagementKeyAlgorithm {
  if (identity.managementKeyAlgorithm) return identity.managementKeyAlgorithm;
  return versionNumber(identity.version) >= 50700 ? 'AES192' : 'TDEA';
}
