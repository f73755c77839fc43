/**
 * CardTransport: the seam between the PIV client and whatever carries APDUs
 * (a pcsclite card session, or the in-process training reader).
 *
 * A transport moves exactly one C-APDU to the card and returns its whole
 * R-APDU (data ‖ SW1 SW2). It does NOT handle 61xx, 6Cxx or command
 * chaining: those are handled once, in PivSession (DESIGN.md "The seams").
 */
export interface CardTransport {
  /** Reader name as PC/SC reports it (e.g. "Virtual PCD 00 00"). */
  readonly readerName: string;
  /** Answer-to-reset of the connected card. */
  readonly atr: Uint8Array;
  /**
   * Sends one C-APDU, resolves with the R-APDU (≥ 2 bytes: data ‖ SW1 SW2).
   * @throws StationError CARD_REMOVED, READER_GONE, CARD_MUTE, TRANSPORT
   */
  transmit(capdu: Uint8Array): Promise<Uint8Array>;
  /**
   * Ends the session. `disposition` 'reset' resets the card (clears its
   * security status: required after personalization), 'leave' leaves it
   * powered as is. Never throws: a card already gone is already closed.
   */
  close(disposition?: 'reset' | 'leave'): Promise<void>;
}

/** Reader state as the station shows it. */
export interface ReaderStatus {
  /** PC/SC reader name. */
  name: string;
  /** True when a card is present in the reader. */
  cardPresent: boolean;
  /** ATR as uppercase hex, when a card is present. */
  atr?: string;
  /** True when the reader is the in-process training reader (no pcscd). */
  training?: boolean;
}

/**
 * A source of readers and card sessions: pcscd through pcsclite, or the
 * in-process training reader. The production engine only sees this.
 */
export interface ReaderProvider {
  /** Current readers and card presence. @throws StationError PCSC_UNAVAILABLE */
  listReaders(): Promise<ReaderStatus[]>;
  /**
   * Opens an exclusive session on the card in `readerName`.
   * @throws StationError NO_READER, NO_CARD, READER_BUSY, CARD_MUTE, PCSC_UNAVAILABLE
   */
  connect(readerName: string): Promise<CardTransport>;
  /**
   * Subscribes to reader/card changes; the callback receives the full reader
   * list after each change. Returns an unsubscribe function.
   */
  watch(onChange: (readers: ReaderStatus[]) => void): () => void;
  /** Releases the PC/SC context and every watcher. */
  close(): Promise<void>;
}
