/**
 * What kind of card sits in a reader, for the readers panel: a PIV card, a
 * card without the PIV application, or a card this station has locked.
 * The probe is short (SELECT, GET DATA CHUID) and releases the card at once
 * with LEAVE, so it never holds a card while the officer waits.
 */
import type { ReaderProvider } from '../piv/transport.js';
import { withCardSession } from '../piv/card-session.js';
import { ObjectTag } from '../piv/constants.js';
import { decodeChuid } from '../piv/objects/chuid.js';
import { toHex } from '../piv/tlv.js';
import { isStationError } from '../errors.js';
import type { StationStore } from '../store/store.js';

/** Card kinds shown next to a reader. */
export type CardKind = 'none' | 'piv' | 'not-piv' | 'station-locked' | 'unknown';

/**
 * Probes the card in `readerName`.
 * @returns 'not-piv' when SELECT PIV fails with 6A82, 'station-locked' when its
 *   CHUID GUID is a card this station locked, 'piv' otherwise, 'unknown' when
 *   the card could not be read (busy reader, removed during the probe).
 */
export async function recognizeCard(readers: ReaderProvider, readerName: string, store: StationStore): Promise<CardKind> {
  try {
    return await withCardSession(
      readers,
      readerName,
      async (session): Promise<CardKind> => {
        const chuid = await session.getData(ObjectTag.CHUID);
        if (!chuid) return 'piv';
        try {
          const card = store.cards.findByGuid(toHex(decodeChuid(chuid).guid));
          return card && card.mgmtKeyState !== 'transport' ? 'station-locked' : 'piv';
        } catch {
          return 'piv';
        }
      },
      { disposition: 'leave' },
    );
  } catch (e) {
    // NOT_PIV comes from SELECT; anything else (busy reader, card pulled during the probe) tells nothing.
    if (isStationError(e, 'NOT_PIV')) return 'not-piv';
    return 'unknown';
  }
}
