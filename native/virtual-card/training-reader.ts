/**
 * The in-process "training reader": a ReaderProvider whose one reader holds a
 * VirtualPivCard, so the station runs without pcscd (DESIGN.md "The seams").
 * Sessions are exclusive like SCARD_SHARE_EXCLUSIVE: one open transport at a time.
 */
import { StationError } from '../../electron/core/errors.js';
import type { CardTransport, ReaderProvider, ReaderStatus } from '../../electron/core/piv/transport.js';
import { toHex } from '../../electron/core/piv/tlv.js';
import type { VirtualPivCard } from './card.js';

/** Name of the training reader as the station lists it. */
export const TRAINING_READER_NAME = 'PIV Station Training Reader';

/** One session on the card that was in the reader when it opened. */
class TrainingTransport implements CardTransport {
  readonly atr: Uint8Array;
  private open = true;

  constructor(
    readonly readerName: string,
    private readonly card: VirtualPivCard,
    private readonly stillInserted: (card: VirtualPivCard) => boolean,
    private readonly onClose: (t: TrainingTransport) => void,
  ) {
    this.atr = card.atr.slice();
  }

  /** @throws StationError CARD_REMOVED when the card left the reader or was pulled by a fault; TRANSPORT after close */
  async transmit(capdu: Uint8Array): Promise<Uint8Array> {
    if (!this.open) throw new StationError('TRANSPORT', 'The card session is already closed.', { reader: this.readerName });
    if (!this.stillInserted(this.card) || this.card.removed) {
      throw new StationError('CARD_REMOVED', 'The card was removed from the reader.', { reader: this.readerName });
    }
    return this.card.processApdu(capdu);
  }

  async close(disposition: 'reset' | 'leave' = 'leave'): Promise<void> {
    if (!this.open) return;
    this.open = false;
    if (disposition === 'reset' && this.stillInserted(this.card) && !this.card.removed) this.card.reset();
    this.onClose(this);
  }
}

export class TrainingReaderProvider implements ReaderProvider {
  private readonly readerName: string;
  private inserted: VirtualPivCard | undefined;
  private unsubscribeRemoval: (() => void) | undefined;
  private session: TrainingTransport | undefined;
  private readonly watchers = new Set<(readers: ReaderStatus[]) => void>();

  constructor(opts: { readerName?: string } = {}) {
    this.readerName = opts.readerName ?? TRAINING_READER_NAME;
  }

  /** The card in the reader (also while "removed" by a fault, until remove()). */
  get card(): VirtualPivCard | undefined {
    return this.inserted;
  }

  /** Inserts `card` (replacing any other); a card removed by a fault is put back (reinsert). */
  insert(card: VirtualPivCard): void {
    this.detachCard();
    card.reinsert();
    this.inserted = card;
    this.unsubscribeRemoval = card.onRemoved(() => this.notify());
    this.notify();
  }

  /** Takes the card out; open sessions fail with CARD_REMOVED. */
  remove(): void {
    if (!this.inserted) return;
    this.detachCard();
    this.notify();
  }

  async listReaders(): Promise<ReaderStatus[]> {
    return [this.status()];
  }

  /**
   * Opens the exclusive session and powers the card on.
   * @throws StationError NO_READER (other name), NO_CARD, READER_BUSY (a session is open)
   */
  async connect(readerName: string): Promise<CardTransport> {
    if (readerName !== this.readerName) throw new StationError('NO_READER', 'There is no reader by that name.', { reader: readerName });
    const card = this.inserted;
    if (!card || card.removed) throw new StationError('NO_CARD', 'There is no card in the reader.', { reader: readerName });
    if (this.session) throw new StationError('READER_BUSY', 'The reader is in use by another session.', { reader: readerName });
    card.powerOn();
    const session = new TrainingTransport(
      this.readerName,
      card,
      (c) => this.inserted === c,
      (t) => {
        if (this.session === t) this.session = undefined;
      },
    );
    this.session = session;
    return session;
  }

  watch(onChange: (readers: ReaderStatus[]) => void): () => void {
    this.watchers.add(onChange);
    return () => this.watchers.delete(onChange);
  }

  async close(): Promise<void> {
    this.watchers.clear();
  }

  private detachCard(): void {
    this.unsubscribeRemoval?.();
    this.unsubscribeRemoval = undefined;
    this.inserted = undefined;
    this.session = undefined;
  }

  private status(): ReaderStatus {
    const card = this.inserted;
    const present = card !== undefined && !card.removed;
    return { name: this.readerName, cardPresent: present, ...(present ? { atr: toHex(card.atr) } : {}), training: true };
  }

  private notify(): void {
    const readers = [this.status()];
    for (const w of [...this.watchers]) w(readers);
  }
}
