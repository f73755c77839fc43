/**
 * The readers the station offers: PC/SC readers through pcscd, plus the
 * in-process training reader on training data dirs only (issue 10: a real
 * station never offers a software card; the core refuses one there too,
 * core/policy/training-reader.ts). Without pcscd a real station lists no
 * reader and says why: "pcscd is not running: start it with …".
 */
import type { CardTransport, ReaderProvider, ReaderStatus } from '../core/piv/transport.js';
import { isStationError, StationError } from '../core/errors.js';
import { PCSCD_NOT_RUNNING, PcscReaderProvider } from '../../native/pcsc/index.js';
import { TrainingReaderProvider, TRAINING_READER_NAME } from '../../native/virtual-card/training-reader.js';
import { VirtualPivCard } from '../../native/virtual-card/card.js';

/** PC/SC readers, and optionally the training reader, behind one ReaderProvider. */
export class StationReaders implements ReaderProvider {
  private constructor(
    private readonly pcsc: PcscReaderProvider | undefined,
    readonly training: TrainingReaderProvider | undefined,
  ) {}

  /**
   * @param opts.training add the training reader with a virtual card inserted (training data dirs only)
   * @param opts.requirePcsc fail with PCSC_UNAVAILABLE at once when pcscd is not there
   * @param opts.pcsc false: no PC/SC at all (then only a training station has a reader, the training one)
   */
  static async open(opts: { training?: boolean; requirePcsc?: boolean; pcsc?: boolean } = {}): Promise<StationReaders> {
    let pcsc: PcscReaderProvider | undefined;
    try {
      if (opts.pcsc !== false) pcsc = await PcscReaderProvider.open();
    } catch (e) {
      if (opts.requirePcsc || !isStationError(e, 'PCSC_UNAVAILABLE')) throw e;
    }
    let training: TrainingReaderProvider | undefined;
    if (opts.training) {
      training = new TrainingReaderProvider();
      training.insert(VirtualPivCard.create());
    }
    return new StationReaders(pcsc, training);
  }

  /** @throws StationError PCSC_UNAVAILABLE (PCSCD_NOT_RUNNING: the sentence says how to start pcscd) when there is neither pcscd nor a training reader */
  async listReaders(): Promise<ReaderStatus[]> {
    if (!this.pcsc && !this.training) throw new StationError('PCSC_UNAVAILABLE', PCSCD_NOT_RUNNING);
    const list = this.pcsc ? await this.pcsc.listReaders() : [];
    if (this.training) list.push(...(await this.training.listReaders()));
    return list;
  }

  async connect(readerName: string): Promise<CardTransport> {
    if (this.training && readerName === TRAINING_READER_NAME) return this.training.connect(readerName);
    if (!this.pcsc) throw new StationError('PCSC_UNAVAILABLE', PCSCD_NOT_RUNNING);
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
