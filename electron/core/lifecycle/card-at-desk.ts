/**
 * A cardholder's card inserted at the desk: an exclusive session, SELECT PIV,
 * and the card's record found by its CHUID GUID (SP 800-73-4 Part 1 §3.1.2).
 * The session ends with a card reset, so no PIN or management-key
 * authentication outlives the operation.
 */
import type { ReaderProvider } from '../piv/transport.js';
import type { PivSession, CardIdentity } from '../piv/session.js';
import { withCardSession } from '../piv/card-session.js';
import { ObjectTag } from '../piv/constants.js';
import { decodeChuid } from '../piv/objects/chuid.js';
import { toHex } from '../piv/tlv.js';
import { StationError } from '../errors.js';
import type { StationStore } from '../store/store.js';
import type { CardRecord } from '../store/records.js';

/** What an operation on the inserted card works with. */
export interface CardAtDesk {
  session: PivSession;
  identity: CardIdentity;
  /** The station's record of this card (found by CHUID GUID). */
  card: CardRecord;
}

/**
 * Connects to `readerName`, identifies the card and runs `fn` with it.
 * @param expected the card the officer chose (record id), when the operation
 *   started from a card on screen: another card in the reader is refused before
 *   anything is done to it
 * @throws StationError NO_READER/NO_CARD/READER_BUSY (transport), NOT_PIV,
 *   NOT_FOUND_RECORD when the card has no CHUID or one this station did not write,
 *   CARD_MISMATCH when the card in the reader is not `expected`
 */
export async function withCardAtDesk<T>(
  readers: ReaderProvider,
  store: StationStore,
  readerName: string,
  fn: (c: CardAtDesk) => Promise<T>,
  expected?: CardRecord,
): Promise<T> {
  return withCardSession(readers, readerName, async (session) => {
    const identity = await session.identify();
    const chuid = await session.getData(ObjectTag.CHUID);
    if (!chuid || chuid.length === 0) throw new StationError('NOT_FOUND_RECORD', 'This card carries no identity from this station (it looks blank).');
    let guid: string;
    try {
      guid = toHex(decodeChuid(chuid).guid);
    } catch {
      throw new StationError('NOT_FOUND_RECORD', "This card's identity (CHUID) cannot be read; it was not issued by this station.");
    }
    const card = store.cards.findByGuid(guid);
    if (!card) throw new StationError('NOT_FOUND_RECORD', 'This card was not issued by this station.');
    if (expected && card.id !== expected.id) {
      throw new StationError('CARD_MISMATCH', `The card in ${readerName} is card ${card.cardNumber ?? card.id}, not the chosen card ${expected.cardNumber ?? expected.id}. Insert the chosen card.`, {
        reader: readerName,
        cardId: card.id,
        expectedCardId: expected.id,
      });
    }
    return fn({ session, identity, card });
  });
}
