/**
 * What kind of card sits in a reader, for the readers panel: a blank PIV card,
 * a card this station issued (with its number, cardholder and production
 * date), a card from another issuer, a card this station has locked, or a
 * card without the PIV application. The probe is short (SELECT, GET DATA
 * CHUID; SP 800-73-4 Part 2 §3.1.1, §3.1.2) and releases the card at once
 * with LEAVE, so it never holds a card while the officer waits.
 */
import type { IssuedCardInReader, Reader } from '../../contract/station-api.js';
import { isIssuedCardStatus } from '../../contract/state-machines.js';
import type { ReaderProvider } from '../piv/transport.js';
import { withCardSession } from '../piv/card-session.js';
import { ObjectTag } from '../piv/constants.js';
import { decodeChuid } from '../piv/objects/chuid.js';
import { toHex } from '../piv/tlv.js';
import { isStationError } from '../errors.js';
import type { StationStore } from '../store/store.js';
import type { CardRecord } from '../store/records.js';

/** Card kinds shown next to a reader (contract: channels/station.ts). */
export type CardKind = Reader['card'];

/** A recognized card: its kind and, for an issued card, the station's record of it. */
export interface CardRecognition {
  kind: CardKind;
  issued?: IssuedCardInReader;
  /** The CHUID GUID read from the card (32 hex digits), when it has a decodable CHUID: the records are asked again on every listing. */
  guid?: string;
}

/**
 * What the station's records say about the card whose CHUID carries `guidHex`.
 * @returns 'foreign' when the GUID is not this station's, 'issued' (with its
 *   record) when the card is in use, 'station-locked' when its 9B key is
 *   diversified, 'piv' otherwise (a card of an unfinished or cancelled job)
 */
export function recognizeGuid(store: StationStore, guidHex: string): CardRecognition {
  const card = store.cards.findByGuid(guidHex);
  if (!card) return { kind: 'foreign', guid: guidHex };
  if (isIssuedCardStatus(card.status)) return { kind: 'issued', issued: issuedView(store, card, card.status), guid: guidHex };
  return { kind: card.mgmtKeyState !== 'transport' ? 'station-locked' : 'piv', guid: guidHex };
}

function issuedView(store: StationStore, card: CardRecord, status: IssuedCardInReader['status']): IssuedCardInReader {
  const person = store.persons.get(card.personId);
  const issuedAt = store.certificates
    .listByCard(card.id)
    .map((c) => c.issuedAt)
    .sort()
    .at(-1);
  return {
    cardId: card.id,
    cardNumber: card.cardNumber ?? card.credentialNumber,
    cardholder: person ? `${person.givenName} ${person.surname}` : 'an unknown cardholder',
    status,
    producedAt: issuedAt ?? null,
  };
}

/**
 * Probes the card in `readerName`.
 * @returns 'not-piv' when SELECT PIV fails with 6A82, 'blank' without a CHUID,
 *   else what {@link recognizeGuid} says of its GUID; 'unknown' when the card
 *   could not be read (busy reader, removed during the probe)
 */
export async function recognizeCard(readers: ReaderProvider, readerName: string, store: StationStore): Promise<CardRecognition> {
  try {
    return await withCardSession(
      readers,
      readerName,
      async (session): Promise<CardRecognition> => {
        const chuid = await session.getData(ObjectTag.CHUID);
        if (!chuid) return { kind: 'blank' };
        let guid: string;
        try {
          guid = toHex(decodeChuid(chuid).guid);
        } catch {
          // A CHUID this station cannot decode was not written by it.
          return { kind: 'foreign' };
        }
        return recognizeGuid(store, guid);
      },
      { disposition: 'leave' },
    );
  } catch (e) {
    // NOT_PIV comes from SELECT; anything else (busy reader, card pulled during the probe) tells nothing.
    if (isStationError(e, 'NOT_PIV')) return { kind: 'not-piv' };
    return { kind: 'unknown' };
  }
}
