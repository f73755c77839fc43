/**
 * The in-process training reader standing in for a PC/SC reader, for unit tests of a protected
 * (not training) station: a real station neither lists nor opens a training reader
 * (core/policy/training-reader.ts), so the readers are shown as PC/SC readers (`training: false`).
 * `connected` records every reader a session was opened on.
 */
import type { ReaderProvider, ReaderStatus } from '../../electron/core/piv/transport.js';

/** `readers` listed and watched as PC/SC readers, with the names of the sessions opened on them. */
export function asPcscReaders(readers: ReaderProvider): ReaderProvider & { connected: string[] } {
  const pcsc = (list: ReaderStatus[]) => list.map((r) => ({ ...r, training: false }));
  const connected: string[] = [];
  return {
    connected,
    listReaders: async () => pcsc(await readers.listReaders()),
    watch: (onChange) => readers.watch((list) => onChange(pcsc(list))),
    close: () => readers.close(),
    connect: (name) => {
      connected.push(name);
      return readers.connect(name);
    },
  };
}
