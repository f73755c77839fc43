/**
 * The readers the station offers: PC/SC readers through pcscd, plus the
 * in-process training reader when asked for (training data dirs) or when no
 * PC/SC service is there, so the station is usable at once.
 */
import type { CardTransport, ReaderProvider, ReaderStatus } from '../core/piv/transport.js';
import { isStationError, StationError } from '../core/errors.js';
import { PcscReaderProvider } from '../../native/pcsc/index.js';
import { TrainingReaderProvider, TRAINING_READER_NAME } from '../../native/virtual-card/training-reader.js';
import { VirtualPivCard } from '../../native/virtual-card/card.js';

/** PC/SC readers, and optionally the training reader, behind one ReaderProvider. */
export class StationReaders implements ReaderProvider {
  private constructor(
    private readonly pcsc: PcscReaderProvider | undefined,
    readonly training: TrainingReaderProvider | undefined,
  ) {}

  /**
   * @param opts.training add the training reader with a virtual card inserted
   * @param opts.requirePcsc fail with PCSC_UNAVAILABLE instead of falling back to the training reader
   * @param opts.pcsc false: no PC/SC at all, the training reader only
   */
  static async open(opts: { training?: boolean; requirePcsc?: boolean; pcsc?: boolean } = {}): Promise<StationReaders> {
    let pcsc: PcscReaderProvider | undefined;
    try {
      if (opts.pcsc !== false) pcsc = await PcscReaderProvider.open();
    } catch (e) {
      if (opts.requirePcsc || !isStationError(e, 'PCSC_UNAVAILABLE')) throw e;
    }
    let training: TrainingReaderProvider | undefined;
    if (opts.training || !pcsc) {
      training = new TrainingReaderProvider();
      training.insert(VirtualPivCard.create());
    }
    return new StationReaders(pcsc, training);
  }

  async listReaders(): Promise<ReaderStatus[]> {
    const list = this.pcsc ? await this.pcsc.listReaders() : [];
    if (this.training) list.push(...(await this.training.listReaders()));
    return list;
  }

  async connect(readerName: string): Promise<CardTransport> {
    if (this.training && readerName === TRAINING_READER_NAME) return this.training.connect(readerName);
    if (!this.pcsc) throw new StationError('PCSC_UNAVAILABLE', 'pcscd is not running: start it with `sudo systemctl start pcscd` (or `sudo pcscd`).');
    return this.pcsc.connect(readerName);
  }

  watch(onChange: (readers: ReaderStatus[]) => void): () => void {
    const emit = () => void this.listReaders().then(onChange, () => {});
    const offs = [this.pcsc?.watch(emit), this.training?.watch(emit)].filter((f): f is () => void => !!f);
    return () => offs.forEach((off) => off());
  }

  async close(): Promise<void> {
    await this.pcsc?.close();
    await this.training?.close();
  }
}
