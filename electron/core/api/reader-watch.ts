/**
 * The readers as the StationApi shows them: each reader with the kind of
 * card it holds (recognized by a short probe, remembered per reader and ATR),
 * pushed as `reader.changed` on every change, and which readers are busy —
 * a job or a desk operation holds them, so no probe talks to their card.
 */
import type { Reader } from '../../contract/station-api.js';
import { StationError } from '../errors.js';
import type { ReaderProvider, ReaderStatus } from '../piv/transport.js';
import type { StationStore } from '../store/store.js';
import { recognizeCard } from './card-recognition.js';

/** What the reader watch needs. */
export interface ReaderWatchDeps {
  readers: ReaderProvider;
  /** The cards this station locked (recognized as 'station-locked'). */
  store: StationStore;
  /** Receives the full list after every change. */
  onChange(readers: Reader[]): void;
}

/** Readers, recognized cards and busy readers; see the module comment. */
export class ReaderWatch {
  /** Readers a job or a desk operation holds: not probed. */
  private readonly busy = new Set<string>();
  /** Recognized card kind per `reader|ATR`. */
  private readonly cardKinds = new Map<string, Reader['card']>();
  /** Card recognitions in flight, per reader (each settles, never rejects). */
  private readonly probes = new Map<string, Promise<void>>();
  private unwatch: (() => void) | undefined;
  private closed = false;

  constructor(private readonly deps: ReaderWatchDeps) {}

  /** Starts watching the readers (once): every change is recognized and pushed to `onChange`. */
  start(): void {
    if (this.unwatch || this.closed) return;
    const { deps } = this;
    this.unwatch = deps.readers.watch((list) => {
      // A card that left or changed must be recognized again.
      for (const key of [...this.cardKinds.keys()]) {
        const [name, atr] = key.split('|');
        if (!list.some((r) => r.name === name && r.cardPresent && (r.atr ?? '') === atr)) this.cardKinds.delete(key);
      }
      void this.withKinds(list).then((readers) => deps.onChange(readers), () => {});
    });
  }

  /** True while a job or a desk operation holds the reader. */
  isBusy(readerName: string): boolean {
    return this.busy.has(readerName);
  }

  /**
   * Refuses a reader that is busy.
   * @throws StationError READER_BUSY
   */
  assertFree(readerName: string, sentence = `A card is already being produced in ${readerName}.`): void {
    if (this.busy.has(readerName)) throw new StationError('READER_BUSY', sentence);
  }

  /**
   * Marks the reader busy for a job; a card probe still talking to it finishes first.
   * @returns when the reader is the job's (the probe settled)
   */
  claim(readerName: string): Promise<void> {
    this.busy.add(readerName);
    return this.probes.get(readerName) ?? Promise.resolve();
  }

  /** The job is over: the reader is free again. */
  release(readerName: string): void {
    this.busy.delete(readerName);
  }

  /**
   * A desk operation on the card in `readerName`: never while a job or a probe holds that reader.
   * @throws StationError READER_BUSY when a job holds it
   */
  async atDesk<T>(readerName: string, work: () => Promise<T>): Promise<T> {
    this.assertFree(readerName, `A card is being produced in ${readerName}.`);
    await this.probes.get(readerName);
    this.busy.add(readerName);
    try {
      return await work();
    } finally {
      this.busy.delete(readerName);
      // The card changed (recycled to a blank, activated): recognized again at the next reader listing, not now,
      // so a probe never races the officer's next desk operation for the reader.
      for (const key of [...this.cardKinds.keys()]) if (key.startsWith(`${readerName}|`)) this.cardKinds.delete(key);
    }
  }

  /** Lists the readers with their card kinds, tells every listener, and returns the list; from then on, watches them. */
  async refresh(): Promise<Reader[]> {
    this.start();
    const list = await this.withKinds(await this.deps.readers.listReaders());
    this.deps.onChange(list);
    return list;
  }

  /** True while a card probe is under way. */
  hasProbes(): boolean {
    return this.probes.size > 0;
  }

  /** Settles when no card probe is under way. */
  async idle(): Promise<void> {
    while (this.probes.size > 0) await Promise.allSettled([...this.probes.values()]);
  }

  /** Lists the readers again (a job ended: its card changed) when someone watches them; otherwise nobody shows them. */
  async refreshIfWatched(): Promise<void> {
    if (this.unwatch && !this.closed) await this.refresh();
  }

  /** Stops watching the readers and waits for card recognitions in flight (a probe never outlives the station). */
  async close(): Promise<void> {
    this.closed = true;
    this.unwatch?.();
    await Promise.allSettled([...this.probes.values()]);
  }

  private async withKinds(list: ReaderStatus[]): Promise<Reader[]> {
    const out: Reader[] = [];
    for (const r of list) {
      let kind: Reader['card'] = 'none';
      if (r.cardPresent) {
        const key = `${r.name}|${r.atr ?? ''}`;
        kind = this.cardKinds.get(key) ?? 'unknown';
        if (!this.cardKinds.has(key) && !this.busy.has(r.name) && !this.closed) {
          // Registered synchronously with the busy check, so a job launched meanwhile waits for it.
          const probe = recognizeCard(this.deps.readers, r.name, this.deps.store);
          const settled = probe.then(() => undefined, () => undefined);
          this.probes.set(r.name, settled);
          try {
            kind = await probe;
            // 'unknown' (reader busy, card pulled during the probe) is not remembered: probe again next time.
            if (kind !== 'unknown') this.cardKinds.set(key, kind);
          } finally {
            if (this.probes.get(r.name) === settled) this.probes.delete(r.name);
          }
        }
      }
      out.push({ name: r.name, cardPresent: r.cardPresent, atr: r.atr, training: r.training, card: kind });
    }
    return out;
  }
}
