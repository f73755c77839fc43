/**
 * The card object created when a request is approved (issue 4 "Card
 * object"): card number from the `card.number` sequence (8 digits, never
 * reused), FASC-N credential number from the credential sequence, Card UUID
 * (GUID), expiration date, and a generated PUK escrowed sealed. The PIN is
 * chosen or generated later, at production.
 */
import { StationError } from '../errors.js';
import type { StationConfig } from '../config/station-config.js';
import type { ProfileRegistry } from './profile-registry.js';
import { encodeFascn } from '../piv/objects/fascn.js';
import { toHex } from '../piv/tlv.js';
import { addMonths, CREDENTIAL_SEQUENCE, fascnFieldsFor, newCardUuid } from '../issuance/card-numbering.js';
import { escrowPuk } from '../issuance/card-secrets.js';
import { generatePuk } from '../issuance/pin-policy.js';
import type { Keyring } from '../pki/keyring.js';
import type { CardRecord, PersonRecord } from '../store/records.js';
import type { StationStore } from '../store/store.js';

/** The store sequence that numbers card objects. */
export const CARD_NUMBER_SEQUENCE = 'card.number';
/** Card numbers are 8 decimal digits. */
export const CARD_NUMBER_DIGITS = 8;
const MAX_CARD_NUMBER = 10 ** CARD_NUMBER_DIGITS - 1;

/** The 8-digit text of a card number. @throws StationError INVALID_INPUT when the sequence is past 99999999 */
export function formatCardNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_CARD_NUMBER) {
    throw new StationError('INVALID_INPUT', 'The card numbers are exhausted; configure a new card number range.');
  }
  return String(n).padStart(CARD_NUMBER_DIGITS, '0');
}

/**
 * How a card object comes about:
 * - 'approval': a card request is approved (issue 4 "Card object"): status
 *   'approved', a card number, and a PUK generated and escrowed at once;
 * - 'direct': a card produced by the engine without a request (tests and the
 *   benchmark, below the rule book; the station's direct issue makes a request):
 *   status 'in_production' as its job starts at once, no card number, and the
 *   job's PUK step makes and escrows the PUK.
 */
export type CardObjectOrigin = 'approval' | 'direct';

/**
 * Creates a card object (credential number, FASC-N, GUID, expiration), in the
 * caller's transaction (call inside `store.transaction`). Management key 'transport'.
 * @param profileId the card profile
 * @param now       the approval (or direct production) time: expiration counts from it
 * @param origin    approval of a request (default) or direct production, see CardObjectOrigin
 * @param parties   the officer ids of its requester and approver (recorded on the card for separation of duties)
 * @throws StationError INVALID_INPUT (unknown profile, sequences exhausted), SECRETS_LOCKED
 */
export function createCardObject(
  deps: { store: StationStore; config: StationConfig; keyring: Keyring; profiles: Pick<ProfileRegistry, 'profile'> },
  person: PersonRecord,
  profileId: string,
  now: Date,
  origin: CardObjectOrigin = 'approval',
  parties: { requestedBy: string | null; approvedBy: string | null } = { requestedBy: null, approvedBy: null },
): CardRecord {
  const { store, config, keyring } = deps;
  const profile = deps.profiles.profile(profileId);
  const approved = origin === 'approval';
  const cardNumber = approved ? formatCardNumber(store.sequences.nextValue(CARD_NUMBER_SEQUENCE, config.cardNumberStart)) : undefined;
  const credential = store.sequences.nextValue(CREDENTIAL_SEQUENCE);
  const fields = fascnFieldsFor(config, profile, credential, person.employeeId);
  const uuid = newCardUuid();
  const card = store.cards.create({
    personId: person.id,
    cardProfile: profile.id,
    status: approved ? 'approved' : 'in_production',
    guid: toHex(uuid.bytes),
    fascn: toHex(encodeFascn(fields)),
    agencyCode: fields.agencyCode,
    systemCode: fields.systemCode,
    credentialNumber: fields.credentialNumber,
    expirationDate: addMonths(now, profile.cardValidityMonths),
    mgmtKeyState: 'transport',
    cardNumber,
    requestedBy: parties.requestedBy,
    approvedBy: parties.approvedBy,
  });
  // Sealed with the keyring's box before anything is written to a card; production's PUK step reuses it.
  if (approved) escrowPuk({ store, keyring }, card.id, generatePuk());
  return card;
}
