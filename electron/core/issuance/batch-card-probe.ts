/**
 * What a batch needs to know about a card just inserted in a reader: is it a
 * PIV card, and which card is it (chip serial, CHUID GUID), so a card coming
 * back after a failure resumes its own job and a blank card takes the next
 * request. The probe is short (SELECT, GET SERIAL where the card has it, GET
 * DATA CHUID: no capability probing, that is production's identify) and
 * releases the card with LEAVE: a batch never holds a card session while it
 * waits.
 */
import { isStationError } from '../errors.js';
import { ObjectTag } from '../piv/constants.js';
import { decodeChuid } from '../piv/objects/chuid.js';
import { withCardSession } from '../piv/card-session.js';
import type { PivSession } from '../piv/session.js';
import { toHex } from '../piv/tlv.js';
import type { ReaderProvider } from '../piv/transport.js';

/**
 * Result of a probe. 'busy': another session holds the reader (probe again
 * later); 'unreadable': the card left or stopped answering during the probe.
 */
export type ProbedCard =
  | { kind: 'piv'; serial: number | undefined; guid: string | undefined }
  | { kind: 'not-piv' }
  | { kind: 'none' }
  | { kind: 'busy' }
  | { kind: 'unreadable' };

/** Probes the card in `readerName` once. Never throws. */
export async function probeInsertedCard(readers: ReaderProvider, readerName: string): Promise<ProbedCard> {
  let connected = false;
  try {
    return await withCardSession(
      readers,
      readerName,
      async (session): Promise<ProbedCard> => {
        connected = true;
        await session.select();
        const serial = await optionalSerial(session);
        const chuid = await session.getData(ObjectTag.CHUID);
        let guid: string | undefined;
        if (chuid && chuid.length > 0) {
          try {
            guid = toHex(decodeChuid(chuid).guid);
          } catch {
            guid = undefined; // a malformed CHUID identifies nothing: the production overwrites it
          }
        }
        return { kind: 'piv', serial, guid };
      },
      { disposition: 'leave', select: false },
    );
  } catch (e) {
    if (!connected) {
      // The connection itself was refused: another session holds the reader, or it has no card.
      if (isStationError(e, 'READER_BUSY')) return { kind: 'busy' };
      if (isStationError(e, 'NO_CARD')) return { kind: 'none' };
      return { kind: 'unreadable' };
    }
    if (isStationError(e, 'NOT_PIV')) return { kind: 'not-piv' };
    return { kind: 'unreadable' };
  }
}

/** GET SERIAL, an optional extension: a card without it (or answering oddly) is known by its CHUID instead. */
async function optionalSerial(session: PivSession): Promise<number | undefined> {
  try {
    return await session.getSerial();
  } catch (e) {
    if (isStationError(e, 'UNSUPPORTED', 'BAD_DATA', 'SW', 'MALFORMED_RESPONSE', 'CONDITIONS', 'SECURITY_STATUS', 'NOT_FOUND')) return undefined;
    throw e;
  }
}
