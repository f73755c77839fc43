/**
 * An exclusive card session through pcsclite: the CardTransport for real
 * readers and vpcd readers.
 *
 * What pcsclite + pcscd actually do when the card goes away (observed with
 * vpcd, pcsc-lite 1.9): a transmit in flight when the card is pulled
 * resolves with an EMPTY response; a transmit right after the pull fails with
 * SCARD_E_NOT_TRANSACTED; once pcscd's presence poll has noticed (≈0.4 s),
 * with SCARD_W_REMOVED_CARD. The first two are ambiguous on their own, so the
 * session asks the reader monitor whether the card left before calling it
 * CARD_REMOVED.
 */
import { StationError } from '../../electron/core/errors.js';
import type { CardTransport } from '../../electron/core/piv/transport.js';
import { Scard, type AddonReader } from './addon.js';
import { PcscCode, parsePcscCode, pcscError, pcscErrorForCode } from './errors.js';
import type { ReaderMonitor } from './monitor.js';

/** Receive buffer for one R-APDU: 65536 data bytes (extended Le) + SW1 SW2. */
export const RECEIVE_BUFFER_SIZE = 65538;
/** Shortest valid R-APDU: SW1 SW2. */
const MIN_RESPONSE_LENGTH = 2;
/** How long to wait for the monitor to confirm a suspected removal (ms): pcscd polls presence about every 0.4 s. */
const REMOVAL_CONFIRM_MS = 2000;

/** PC/SC codes that, after a failed transmit, may just mean the card left mid-exchange. */
const MAYBE_REMOVED: ReadonlySet<number> = new Set([PcscCode.E_NOT_TRANSACTED, PcscCode.E_INVALID_HANDLE]);

/** Parameters of an established session. */
export interface PcscSessionInit {
  reader: AddonReader;
  readerName: string;
  atr: Uint8Array;
  /** Protocol negotiated by SCardConnect (SCARD_PROTOCOL_T0 or _T1). */
  protocol: number;
  monitor: ReaderMonitor;
  /** Called once when the session ends (the provider frees the reader). */
  onClosed: () => void;
}

/** CardTransport over one pcsclite card handle. One APDU in flight at a time. */
export class PcscCardTransport implements CardTransport {
  readonly readerName: string;
  readonly atr: Uint8Array;
  private readonly reader: AddonReader;
  private readonly protocol: number;
  private readonly monitor: ReaderMonitor;
  private readonly onClosed: () => void;
  /** Removal count at connect: a higher count means the card this session talked to is gone. */
  private readonly removalsAtConnect: number;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(init: PcscSessionInit) {
    this.reader = init.reader;
    this.readerName = init.readerName;
    this.atr = init.atr;
    this.protocol = init.protocol;
    this.monitor = init.monitor;
    this.onClosed = init.onClosed;
    this.removalsAtConnect = init.monitor.removals(init.readerName);
  }

  /**
   * Sends one C-APDU with the negotiated protocol; resolves with data ‖ SW1 SW2.
   * @throws StationError CARD_REMOVED (card pulled or reset by another process), READER_GONE, CARD_MUTE, TRANSPORT (session closed, other PC/SC codes in details.pcscCode)
   */
  transmit(capdu: Uint8Array): Promise<Uint8Array> {
    const run = this.queue.then(() => this.transmitNow(capdu));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Ends the session: SCardDisconnect with SCARD_RESET_CARD ('reset', default:
   * clears PIN/management-key security status) or SCARD_LEAVE_CARD ('leave').
   * Never throws: a card or reader already gone means the session is already over.
   */
  close(disposition: 'reset' | 'leave' = 'reset'): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    const code = disposition === 'reset' ? Scard.RESET_CARD : Scard.LEAVE_CARD;
    const done = this.queue.then(
      () =>
        new Promise<void>((resolve) => {
          this.reader.disconnect(code, () => {
            // pcsclite leaves `connected` true when SCardDisconnect fails (card/reader gone); the handle is dead either way.
            this.reader.connected = false;
            resolve();
          });
        }),
    );
    return done.finally(() => this.onClosed());
  }

  private async transmitNow(capdu: Uint8Array): Promise<Uint8Array> {
    if (this.closed) {
      throw new StationError('TRANSPORT', 'The card session is already closed; connect again.', { reader: this.readerName });
    }
    if (this.cardLeft()) throw this.removed();
    let response: Buffer;
    try {
      response = await new Promise<Buffer>((resolve, reject) => {
        this.reader.transmit(Buffer.from(capdu), RECEIVE_BUFFER_SIZE, this.protocol, (err, data) => (err ? reject(err) : resolve(data)));
      });
    } catch (err) {
      const code = parsePcscCode(err);
      if (code !== undefined && MAYBE_REMOVED.has(code) && (await this.confirmRemoval())) throw this.removed();
      throw pcscError(err, this.readerName, 'transmit');
    }
    if (response.length < MIN_RESPONSE_LENGTH) {
      if (await this.confirmRemoval()) throw this.removed();
      throw new StationError('MALFORMED_RESPONSE', `The card in the reader ${this.readerName} answered without a status word.`, {
        reader: this.readerName,
        length: response.length,
      });
    }
    return new Uint8Array(response);
  }

  /** True when the monitor saw the card leave (or the reader vanish) since connect. */
  private cardLeft(): boolean {
    const now = this.monitor.removals(this.readerName);
    return now < 0 || now > this.removalsAtConnect || this.monitor.status(this.readerName)?.cardPresent === false;
  }

  private confirmRemoval(): Promise<boolean> {
    return this.monitor.waitFor(() => this.cardLeft(), REMOVAL_CONFIRM_MS);
  }

  private removed(): StationError {
    const code = this.monitor.removals(this.readerName) < 0 ? PcscCode.E_READER_UNAVAILABLE : PcscCode.W_REMOVED_CARD;
    return pcscErrorForCode(code, this.readerName, 'transmit');
  }
}
