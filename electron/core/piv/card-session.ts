/**
 * One card session, opened and closed in one place: an exclusive connection
 * to the card in a reader, a PivSession over it with the PIV application
 * selected (SP 800-73-4 Part 2 §3.1.1 SELECT), the caller's work, and the
 * connection closed whatever happens — with a card reset by default, so no
 * PIN or management-key authentication outlives the work.
 */
import { PivSession } from './session.js';
import type { ReaderProvider } from './transport.js';

/** How {@link withCardSession} opens and leaves the card. */
export interface CardSessionOptions {
  /**
   * 'reset' (default) resets the card when the work ends, clearing its
   * security status; 'leave' leaves it powered as is (a short probe that
   * authenticated nothing, so the next session need not wait for a reset).
   */
  disposition?: 'reset' | 'leave';
  /** SELECT the PIV application before the work (default true); false when the work selects it itself. */
  select?: boolean;
}

/**
 * Connects to the card in `readerName`, runs `work` on a PivSession over it,
 * and always closes the connection.
 * @returns what `work` returns
 * @throws StationError NO_READER, NO_CARD, READER_BUSY, CARD_MUTE, PCSC_UNAVAILABLE (connect);
 *   NOT_PIV (SELECT); whatever `work` throws
 */
export async function withCardSession<T>(
  readers: Pick<ReaderProvider, 'connect'>,
  readerName: string,
  work: (session: PivSession) => Promise<T>,
  { disposition = 'reset', select = true }: CardSessionOptions = {},
): Promise<T> {
  const transport = await readers.connect(readerName);
  try {
    const session = new PivSession(transport);
    if (select) await session.select();
    return await work(session);
  } finally {
    // A transport never throws on close (CardTransport); the guard keeps the work's own outcome should one ever do.
    await transport.close(disposition).catch(() => undefined);
  }
}
