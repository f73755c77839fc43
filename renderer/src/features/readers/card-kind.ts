/**
 * The words for what the station recognized in a reader (readers panel, the
 * Produce button's reason). The kind and the issued card's record come from
 * the core (readers.list); this only names them.
 */
import type { Reader } from '../../../../electron/contract/station-api';
import { dayPhrase } from '../../words/dates';

/** "Issued card 00000002 · Ada Lovelace · produced today" for a reader holding an issued card, else null. */
export function issuedCardText(reader: Reader, now: Date = new Date()): string | null {
  const issued = reader.cardPresent && reader.card === 'issued' ? reader.issued : undefined;
  if (!issued) return null;
  const when = issued.producedAt ? ` · produced ${dayPhrase(issued.producedAt, now)}` : '';
  const status = issued.status === 'suspended' ? ' · suspended' : '';
  return `Issued card ${issued.cardNumber} · ${issued.cardholder}${when}${status}`;
}

/** Text for a reader's card kind, or null when there is no card. */
export function cardKindText(reader: Reader, now: Date = new Date()): string | null {
  if (!reader.cardPresent) return null;
  switch (reader.card) {
    case 'blank':
      return 'Blank PIV card';
    case 'issued':
      return issuedCardText(reader, now) ?? 'Issued card';
    case 'foreign':
      return 'Card from another issuer';
    case 'piv':
      return 'PIV card of an unfinished production';
    case 'not-piv':
      return 'Not a PIV card — this card cannot be personalized';
    case 'station-locked':
      return 'Locked by this station';
    case 'unknown':
    case 'none':
      // Present but not recognized yet (or the reader is busy with a job).
      return 'Reading…';
  }
}
