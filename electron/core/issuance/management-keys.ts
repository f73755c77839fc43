/**
 * Which management keys (9B) the station may try on a card, in which order.
 *
 * DESIGN.md "authenticate": never blind guessing. The candidates come from the
 * record only: the card's derived key when the record says the station may have
 * locked it, and the transport (factory) key when it may still be unlocked.
 * The engine tries each candidate at most once per connection.
 */
import { FactoryDefaults, MGMT_KEY_LENGTH, type ManagementKeyAlgorithm } from '../piv/constants.js';
import { deriveCardManagementKey } from '../pki/kdf.js';
import type { Keyring } from '../pki/keyring.js';
import type { CardRecord } from '../store/records.js';
import type { CardIdentity } from '../piv/session.js';
import { uuidBytes } from './card-numbering.js';
import { advertisedManagementAlgorithms, MANAGEMENT_ALGORITHM_PREFERENCE } from './transport-key.js';

/** One management key to try. `kind` is for the record and messages; `key` never leaves the core. */
export interface ManagementKeyCandidate {
  kind: 'derived' | 'transport';
  algorithm: ManagementKeyAlgorithm;
  key: Uint8Array;
  /** Key version (derived keys only). */
  version?: number;
}

/**
 * The algorithm the station locks a card with, from what the card showed
 * (issue 9), never from its version: among the algorithm its 9B metadata
 * reports, the management-key algorithms its SELECT answer lists and the one
 * the transport key authenticated with, the first of AES-192, AES-256,
 * AES-128, 3DES (SP 800-78-4 Table 3-1). A card that offers only 3DES is
 * locked with 3DES.
 * @param authenticatedWith the algorithm the card's current 9B accepted in this session
 */
export function lockAlgorithm(identity: Pick<CardIdentity, 'managementKey' | 'advertisedAlgorithmIds'>, authenticatedWith: ManagementKeyAlgorithm): ManagementKeyAlgorithm {
  const shown = new Set<ManagementKeyAlgorithm>([authenticatedWith, ...advertisedManagementAlgorithms(identity.advertisedAlgorithmIds)]);
  if (identity.managementKey.algorithm) shown.add(identity.managementKey.algorithm);
  return MANAGEMENT_ALGORITHM_PREFERENCE.find((a) => shown.has(a)) ?? authenticatedWith;
}

/** The per-card derived key of `card` (GUID + key version) for `algorithm`. */
export function derivedKeyFor(keyring: Keyring, card: Pick<CardRecord, 'guid'>, algorithm: ManagementKeyAlgorithm, version: number): Uint8Array {
  return deriveCardManagementKey(keyring.masterKey(version), uuidBytes(card.guid), version, algorithm);
}

/** The transport key candidate: the factory default bytes with the card's transport algorithm. */
export function transportCandidate(algorithm: ManagementKeyAlgorithm): ManagementKeyCandidate {
  const key = FactoryDefaults.MANAGEMENT_KEY.subarray(0, MGMT_KEY_LENGTH[algorithm]);
  return { kind: 'transport', algorithm, key: new Uint8Array(key) };
}

/**
 * Ordered candidates for `card`:
 * - state 'transport': the transport key only;
 * - state 'locking' (SET MANAGEMENT KEY may or may not have landed): derived, then transport;
 * - state 'locked': the derived key only.
 * The transport key is one key tried under each of `transportAlgorithms` in
 * turn (transport-key.ts): a card refuses a wrong algorithm before comparing keys.
 */
export function managementKeyCandidates(
  keyring: Keyring,
  card: CardRecord,
  transportAlgorithms: readonly ManagementKeyAlgorithm[],
): ManagementKeyCandidate[] {
  const out: ManagementKeyCandidate[] = [];
  const state = card.mgmtKeyState ?? 'transport';
  if ((state === 'locking' || state === 'locked') && card.mgmtKeyAlg && card.mgmtKeyVersion) {
    const algorithm = card.mgmtKeyAlg as ManagementKeyAlgorithm;
    out.push({ kind: 'derived', algorithm, version: card.mgmtKeyVersion, key: derivedKeyFor(keyring, card, algorithm, card.mgmtKeyVersion) });
  }
  if (state !== 'locked') out.push(...transportAlgorithms.map(transportCandidate));
  return out;
}
