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

/** The readers a guarded provider wraps (it lists no training reader itself, so the check asks these). */
const INNER = Symbol('readers behind the training reader guard');

/**
 * Refuses `readerName` at once, before a production, reissue or desk
 * operation starts, when it is a training reader of `readers` on a real
 * station (the guard below would refuse it anyway when the job connects, but
 * only after the request had moved into production).
 * @throws StationError FORBIDDEN (details.rule 'trainingReader')
 */
export async function assertReaderForStation(readers: ReaderProvider, readerName: string, training: boolean): Promise<void> {
  if (training) return;
  const inner = (readers as { [INNER]?: ReaderProvider })[INNER] ?? readers;
  const listed = await inner.listReaders().catch(() => [] as ReaderStatus[]);
  if (listed.some((r) => r.name === readerName && r.training)) {
    throw new StationError('FORBIDDEN', TRAINING_READER_REFUSED, { reader: readerName, rule: 'trainingReader' });
  }
}

/**
 * `readers` as a real station may use them: training readers are left out of
 * every list, and connecting to one is refused. On a training station,
 * `readers` unchanged.
 */
export function readersForStation(readers: ReaderProvider, training: boolean): ReaderProvider {
  if (training || (readers as { [INNER]?: ReaderProvider })[INNER]) return readers;
  const real = (list: ReaderStatus[]) => list.filter((r) => !r.training);
  const guarded: ReaderProvider & { [INNER]: ReaderProvider } = {
    [INNER]: readers,
    async listReaders() {
      return real(await readers.listReaders());
    },
    /** @throws StationError FORBIDDEN (details.rule 'trainingReader') for a training reader, else as the readers do */
    async connect(readerName: string): Promise<CardTransport> {
      await assertReaderForStation(guarded, readerName, false);
      return readers.connect(readerName);
    },
    watch(onChange) {
      return readers.watch((list) => onChange(real(list)));
    },
    close: () => readers.close(),
  };
  return guarded;
}
