/**
 * The words for what the station recognized in a reader (UI spec, readers
 * panel). The kind comes from the core; this only names it.
 */
import type { Reader } from '../../../../electron/contract/station-api';

/** Text for a reader's card kind, or null when there is no card. */
export function cardKindText(reader: Reader): string | null {
  if (!reader.cardPresent) return null;
  switch (reader.card) {
    case 'piv':
      return 'PIV card';
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
