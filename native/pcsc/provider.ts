/**
 * PcscReaderProvider: the station's ReaderProvider over pcscd (real readers
 * and vsmartcard vpcd readers), through the pcsclite addon.
 */
import { StationError } from '../../electron/core/errors.js';
import type { CardTransport, ReaderProvider, ReaderStatus } from '../../electron/core/piv/transport.js';
import { fromHex } from '../../electron/core/piv/tlv.js';
import { Scard } from './addon.js';
import { PcscCode, pcscError, pcscErrorForCode } from './errors.js';
import { ReaderMonitor } from './monitor.js';
import { PcscCardTransport } from './session.js';

/** How long connect() waits for the monitor to report the inserted card's ATR (ms). */
const ATR_WAIT_MS = 1000;

/** ReaderProvider over pcscd. One exclusive session per reader at a time. */
export class PcscReaderProvider implements ReaderProvider {
  private readonly monitor: ReaderMonitor;
  /** Open sessions by reader name (pcsclite holds one card handle per reader object). */
  private readonly sessions = new Map<string, PcscCardTransport | 'connecting'>();
  private closed = false;

  private constructor(monitor: ReaderMonitor) {
    this.monitor = monitor;
  }

  /**
   * Opens a PC/SC context and waits for the initial reader list.
   * @throws StationError PCSC_UNAVAILABLE when pcscd is not running
   */
  static async open(): Promise<PcscReaderProvider> {
    const monitor = ReaderMonitor.start();
    await monitor.ready;
    return new PcscReaderProvider(monitor);
  }

  /**
   * Current readers (sorted by name) with card presence and ATR (uppercase hex).
   * @throws StationError PCSC_UNAVAILABLE while pcscd is away
   */
  async listReaders(): Promise<ReaderStatus[]> {
    this.assertOpen();
    return this.monitor.list();
  }

  /**
   * Opens an exclusive session (SCARD_SHARE_EXCLUSIVE, T=0 or T=1) on the card in `readerName`.
   * Close it as soon as the operation ends: the reader stays locked for every other program meanwhile.
   * @throws StationError NO_READER, NO_CARD, READER_BUSY (this station or another program holds the card), CARD_MUTE, PCSC_UNAVAILABLE
   */
  async connect(readerName: string): Promise<CardTransport> {
    this.assertOpen();
    const unavailable = this.monitor.unavailable;
    if (unavailable) throw unavailable;
    const reader = this.monitor.reader(readerName);
    if (!reader) throw pcscErrorForCode(PcscCode.E_UNKNOWN_READER, readerName, 'connect');
    if (this.sessions.has(readerName)) {
      throw new StationError('READER_BUSY', `The reader ${readerName} is already in use by this station; finish the other operation first.`, {
        reader: readerName,
      });
    }
    this.sessions.set(readerName, 'connecting');
    try {
      // pcsclite's connect() silently does nothing while its `connected` flag is set; no session of ours is open, so any such flag is stale.
      reader.connected = false;
      const protocol = await new Promise<number>((resolve, reject) => {
        reader.connect({ share_mode: Scard.SHARE_EXCLUSIVE, protocol: Scard.PROTOCOL_T0 | Scard.PROTOCOL_T1 }, (err, proto) =>
          err ? reject(err) : resolve(proto),
        );
      });
      await this.monitor.waitFor(() => this.monitor.status(readerName)?.atr !== undefined, ATR_WAIT_MS);
      const atrHex = this.monitor.status(readerName)?.atr ?? '';
      const session: PcscCardTransport = new PcscCardTransport({
        reader,
        readerName,
        atr: fromHex(atrHex),
        protocol,
        monitor: this.monitor,
        onClosed: () => {
          if (this.sessions.get(readerName) === session) this.sessions.delete(readerName);
        },
      });
      this.sessions.set(readerName, session);
      return session;
    } catch (err) {
      this.sessions.delete(readerName);
      throw pcscError(err, readerName, 'connect');
    }
  }

  /**
   * Calls `onChange` with the full reader list after each change (reader
   * added/removed, card inserted/removed). Returns the unsubscribe function.
   */
  watch(onChange: (readers: ReaderStatus[]) => void): () => void {
    return this.monitor.onChange(() => {
      if (this.closed) return;
      onChange(this.monitor.unavailable ? [] : this.monitor.list());
    });
  }

  /** Resets and closes open sessions, stops monitoring and releases the context (the process can then exit). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const open = [...this.sessions.values()].filter((s): s is PcscCardTransport => s !== 'connecting');
    await Promise.all(open.map((s) => s.close('reset')));
    this.monitor.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new StationError('INTERNAL', 'The reader provider is already closed.', {});
  }
}
