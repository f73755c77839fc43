/**
 * Returning a recycled card to the blank the station starts a production
 * from, with standard PIV commands only (issue 9: every vendor extension is
 * optional). The vendor RESET is not used: it needs the PIN and the PUK
 * blocked first, and a card whose RESET then fails is left unusable — one
 * independent implementation answered 6F00 to RESET once its management key
 * was AES, with PIN and PUK already blocked. What the standard cannot do is
 * said: a key without DELETE KEY stays in its slot (no client uses a key
 * without its certificate; the next production generates its own).
 */
import { FactoryDefaults, ObjectTag, PIV_SLOTS, SLOT_CERT_OBJECT, SLOT_KEY_REF, type ManagementKeyAlgorithm } from '../piv/constants.js';
import { isStationError, StationError } from '../errors.js';
import { transportCandidate } from '../issuance/management-keys.js';
import type { CardAtDesk } from './card-at-desk.js';

/**
 * Every object the station writes in a production (SP 800-73-4 Part 1
 * Table 3), deleted with PUT DATA `53 00`. The Discovery object is left alone:
 * cards carry one from the factory, often fixed.
 */
const STATION_OBJECTS: readonly number[] = [
  ObjectTag.CHUID,
  ObjectTag.CCC,
  ...PIV_SLOTS.map((slot) => SLOT_CERT_OBJECT[slot]),
  ObjectTag.SECURITY_OBJECT,
  ObjectTag.PRINTED_INFORMATION,
  ObjectTag.FACIAL_IMAGE,
  ObjectTag.KEY_HISTORY,
];

/** PUT DATA or DELETE KEY answers that mean "the card keeps it": not an error of the recycle. */
const KEPT_BY_CARD = ['BAD_DATA', 'UNSUPPORTED', 'SECURITY_STATUS', 'NOT_FOUND', 'NO_KEY', 'CONDITIONS', 'SW'] as const;

/**
 * The transport key's algorithms, 3DES first: the factory key most PIV
 * middleware knows by default (yubico-piv-tool before 2.3 authenticates with
 * 3DES only); a card whose 9B cannot be 3DES refuses it atomically (SET
 * MANAGEMENT KEY changes nothing when refused) and takes the next.
 */
const TRANSPORT_ALGORITHMS: readonly ManagementKeyAlgorithm[] = ['TDEA', 'AES192', 'AES128'];

/** What a return to blank did, for the audit record. */
export interface BlankResult {
  deleted: string[];
  keptByCard: string[];
  keysDeleted: string[];
  /** The algorithm the transport key was set back with; 'factory' when the card's RESET restored its own. */
  transportKeyAlgorithm: ManagementKeyAlgorithm | 'factory';
  /** True when the card was returned with its PUK blocked and its vendor RESET was used. */
  resetByCard: boolean;
}

/**
 * Puts the card back to its transport state: the station's objects deleted,
 * the slot keys deleted where the card has DELETE KEY (MOVE KEY F6), the PUK
 * back to the transport PUK (CHANGE REFERENCE DATA from the escrowed PUK,
 * SP 800-73-4 Part 2 §3.2.2), the PIN back to the transport PIN (RESET RETRY
 * COUNTER with it, §3.2.3, which also unblocks it), and the management key
 * back to the transport key (SET MANAGEMENT KEY, the one extension the station
 * needs from every card), proven by authenticating with it. The card
 * administrator must be authenticated first.
 * @param pukCandidates the PUKs the card may hold, most likely first (each costs at most one PUK try)
 * A card whose PUK is blocked is reset with the vendor RESET instead (PivSession.reset).
 * @throws StationError WRONG_PUK (none of the PUKs works), UNSUPPORTED (the card took no transport key, or has no RESET for a blocked PUK), transport errors
 */
export async function returnToBlank(desk: CardAtDesk, pukCandidates: readonly string[]): Promise<BlankResult> {
  const { session, identity } = desk;
  const deleted: string[] = [];
  const keptByCard: string[] = [];
  for (const tag of STATION_OBJECTS) {
    const name = tag.toString(16).toUpperCase();
    try {
      await session.putData(tag, null);
      deleted.push(name);
    } catch (e) {
      if (!isStationError(e, ...KEPT_BY_CARD)) throw e;
      keptByCard.push(name);
    }
  }
  const keysDeleted: string[] = [];
  if (identity.capabilities.extensions.moveKey === 'yes') {
    for (const slot of PIV_SLOTS) {
      try {
        await session.deleteKey(SLOT_KEY_REF[slot]);
        keysDeleted.push(slot);
      } catch (e) {
        if (!isStationError(e, ...KEPT_BY_CARD)) throw e;
      }
    }
  }
  try {
    await pukToTransport(desk, pukCandidates);
  } catch (e) {
    if (!isStationError(e, 'PUK_BLOCKED')) throw e;
    // A card returned with its PUK blocked: no standard command restores it; the vendor RESET (where the card has it) is the only way.
    await session.reset();
    return { deleted, keptByCard, keysDeleted, transportKeyAlgorithm: 'factory', resetByCard: true };
  }
  await session.resetRetryCounter(FactoryDefaults.PUK, FactoryDefaults.PIN);
  const transportKeyAlgorithm = await managementKeyToTransport(desk);
  return { deleted, keptByCard, keysDeleted, transportKeyAlgorithm, resetByCard: false };
}

/** CHANGE REFERENCE DATA of the PUK from the first candidate the card accepts to the transport PUK. */
async function pukToTransport(desk: CardAtDesk, candidates: readonly string[]): Promise<void> {
  for (let i = 0; i < candidates.length; i++) {
    try {
      await desk.session.changePuk(candidates[i]!, FactoryDefaults.PUK);
      return;
    } catch (e) {
      // Only a wrong PUK makes the next candidate worth one try.
      if (!isStationError(e, 'WRONG_PUK') || i === candidates.length - 1) throw e;
    }
  }
  throw new StationError('INTERNAL', 'No PUK to try.');
}

/** SET MANAGEMENT KEY to the transport key under the first algorithm the card takes, proven by authenticating with it. */
async function managementKeyToTransport(desk: CardAtDesk): Promise<ManagementKeyAlgorithm> {
  for (const algorithm of TRANSPORT_ALGORITHMS) {
    const transport = transportCandidate(algorithm);
    try {
      await desk.session.setManagementKey(algorithm, transport.key);
    } catch (e) {
      if (isStationError(e, 'BAD_DATA', 'SW', 'CONDITIONS', 'UNSUPPORTED')) continue;
      throw e;
    }
    await desk.session.authenticateManagementKey(algorithm, transport.key);
    return algorithm;
  }
  throw new StationError('UNSUPPORTED', 'The card took none of the transport management keys (3DES, AES-192, AES-128); it keeps the station key for this card.');
}
