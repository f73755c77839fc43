/**
 * The training reader only on training stations (issue 10, finding 9): the
 * in-process software card holds its keys in a JavaScript process, so a real
 * station (a data dir not created for training) must never issue real CA
 * certificates for them. Whatever readers a face hands the core, on a real
 * station the core neither lists a training reader nor opens one: every
 * production, reissue and desk operation connects through this guard.
 */
import { StationError } from '../errors.js';
import type { CardTransport, ReaderProvider, ReaderStatus } from '../piv/transport.js';

/** The refusal of a training reader on a real station. */
export const TRAINING_READER_REFUSED =
  'The training reader (a software card) works only on a training station: this station issues real certificates, so it needs a PC/SC reader with a real card.';

const GUARDED = Symbol('training reader guarded');

/**
 * `readers` as a real station may use them: training readers are left out of
 * every list, and connecting to one is refused. On a training station,
 * `readers` unchanged.
 */
export function readersForStation(readers: ReaderProvider, training: boolean): ReaderProvider {
  if (training || (readers as { [GUARDED]?: true })[GUARDED]) return readers;
  const real = (list: ReaderStatus[]) => list.filter((r) => !r.training);
  const guarded: ReaderProvider & { [GUARDED]: true } = {
    [GUARDED]: true,
    async listReaders() {
      return real(await readers.listReaders());
    },
    /** @throws StationError FORBIDDEN (details.rule 'trainingReader') for a training reader, else as the readers do */
    async connect(readerName: string): Promise<CardTransport> {
      const listed = await readers.listReaders().catch(() => [] as ReaderStatus[]);
      if (listed.some((r) => r.name === readerName && r.training)) {
        throw new StationError('FORBIDDEN', TRAINING_READER_REFUSED, { reader: readerName, rule: 'trainingReader' });
      }
      return readers.connect(readerName);
    },
    watch(onChange) {
      return readers.watch((list) => onChange(real(list)));
    },
    close: () => readers.close(),
  };
  return guarded;
}
