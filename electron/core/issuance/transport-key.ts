/**
 * The algorithms a card's transport (factory) management key may have, from
 * what the card showed, never from its version number (issue 9): its 9B
 * metadata (GET METADATA 9B) when it names one; else the management-key
 * algorithms its SELECT answer lists; else AES-192, then 3DES (YubiKey-style
 * factory keys use the same bytes 0102…08 with either, yubikit
 * tests/device/test_piv.py). A card refuses the P1 of an algorithm its 9B does
 * not have before any key comparison (6A80/6A86), so trying the next costs no
 * authentication attempt.
 */
import { MGMT_ALG_ID, MGMT_KEY_LENGTH, FactoryDefaults, type ManagementKeyAlgorithm } from '../piv/constants.js';
import type { CardIdentity } from '../piv/session.js';

/** Preference when the card leaves the choice open: AES-192 first (DESIGN.md "Lock and secrets"). */
export const MANAGEMENT_ALGORITHM_PREFERENCE: readonly ManagementKeyAlgorithm[] = ['AES192', 'AES256', 'AES128', 'TDEA'];

/** The management-key algorithms among mechanism bytes a SELECT answer lists, in preference order. */
export function advertisedManagementAlgorithms(ids: readonly number[]): ManagementKeyAlgorithm[] {
  // 3TDEA has two identifiers (SP 800-78-4 Table 6-2 uses 00, YubiKey 03).
  const tdeaIds = [0x00, MGMT_ALG_ID.TDEA];
  return MANAGEMENT_ALGORITHM_PREFERENCE.filter((a) => (a === 'TDEA' ? tdeaIds.some((id) => ids.includes(id)) : ids.includes(MGMT_ALG_ID[a])));
}

/** Algorithms the factory key bytes can be used with (24 bytes: not AES-256). */
function fitsFactoryKey(a: ManagementKeyAlgorithm): boolean {
  return MGMT_KEY_LENGTH[a] <= FactoryDefaults.MANAGEMENT_KEY.length;
}

/** The transport key algorithms to try, most likely first. */
export function transportAlgorithmsOf(identity: Pick<CardIdentity, 'managementKey' | 'advertisedAlgorithmIds'>): ManagementKeyAlgorithm[] {
  const fromMetadata = identity.managementKey.algorithm;
  if (fromMetadata && fitsFactoryKey(fromMetadata)) return [fromMetadata];
  const listed = advertisedManagementAlgorithms(identity.advertisedAlgorithmIds).filter(fitsFactoryKey);
  return listed.length > 0 ? listed : ['AES192', 'TDEA'];
}
