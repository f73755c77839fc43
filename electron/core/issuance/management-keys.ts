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

/** One management key to try. `kind` is for the record and messages; `key` never leaves the core. */
export interface ManagementKeyCandidate {
  kind: 'derived' | 'transport';
  algorithm: ManagementKeyAlgorithm;
  key: Uint8Array;
  /** Key version (derived keys only). */
  version?: number;
}

/**
 * The algorithm the station locks a card with: AES-192 where the card supports
 * AES management keys, else 3DES (SP 800-78-4 Table 3-1).
 */
export function lockAlgorithm(identity: CardIdentity): ManagementKeyAlgorithm {
  return identity.supportsAesManagementKey ? 'AES192' : 'TDEA';
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
 */
export function managementKeyCandidates(
  keyring: Keyring,
  card: CardRecord,
  transportAlgorithm: ManagementKeyAlgorithm,
): ManagementKeyCandidate[] {
  const out: ManagementKeyCandidate[] = [];
  const state = card.mgmtKeyState ?? 'transport';
  if ((state === 'locking' || state === 'locked') && card.mgmtKeyAlg && card.mgmtKeyVersion) {
    const algorithm = card.mgmtKeyAlg as ManagementKeyAlgorithm;
    out.push({ kind: 'derived', algorithm, version: card.mgmtKeyVersion, key: derivedKeyFor(keyring, card, algorithm, card.mgmtKeyVersion) });
  }
  if (state !== 'locked') out.push(transportCandidate(transportAlgorithm));
  return out;
}
