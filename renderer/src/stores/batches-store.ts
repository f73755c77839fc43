/**
 * Batches store: mass production runs as the core reports them. The
 * `batch.changed` event says that a batch moved; `batches.get` then brings
 * its items (the core stays the authority on every count). A CSV batch file
 * is read and checked by the core (`batches.parseCsv`) before it can start.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { RATE_MIN_CARDS } from '../../../electron/contract/batch-rules';
import { BATCH_CSV_TOO_LARGE, MAX_BATCH_CSV_CHARS, type BatchCsvView, type BatchView, type ChannelInput } from '../../../electron/contract/station-api';
import type { StationApi } from '../api';
import { errorSentence } from '../api-error';

export interface BatchesState {
  list: BatchView[];
  listError: string | null;
  /** Sentence of the last failed start, or null. */
  startError: string | null;
  /** Sentence of the last failed action per batch id. */
  errors: Record<string, string | null>;
  /** Subscribes to `batch.changed`; returns the unsubscribe function. */
  start(): () => void;
  loadList(): Promise<void>;
  /** Refreshes one batch in the list. */
  load(batchId: string): Promise<void>;
  /** `batches.start`. @returns the batch id, or null when refused (`startError` says why). */
  startBatch(input: ChannelInput<'batches.start'>): Promise<string | null>;
  /** `batches.cancelItem` with the officer's reason. @returns whether it worked. */
  cancelItem(batchId: string, requestId: string, reason: string): Promise<boolean>;
  /** `batches.setPaused`: pauses a running batch or resumes a paused one. @returns whether it worked. */
  setPaused(batchId: string, action: 'pause' | 'resume'): Promise<boolean>;
  /** `batches.retryItem`: a failed card's production again, in its reader. @returns whether it started. */
  retryItem(batchId: string, requestId: string): Promise<boolean>;
  /** The CSV batch file as the core checked it (`batches.parseCsv`), with the file's name; null when none is chosen. */
  csv: (BatchCsvView & { fileName: string }) | null;
  /** Sentence when the file could not be read or checked (too large, refused), or null. */
  csvError: string | null;
  /**
   * Reads the chosen file and has the core check it: the renderer never
   * decides which requests a file names. A file over MAX_BATCH_CSV_CHARS bytes
   * is refused here, before it is sent.
   */
  checkCsvFile(file: Pick<File, 'name' | 'size' | 'text'>): Promise<void>;
  /** Forgets the CSV file (another source chosen, or its batch started). */
  clearCsv(): void;
}


export type BatchesStore = StoreApi<BatchesState>;

/** Builds the batches store over a StationApi. */
export function createBatchesStore(api: StationApi): BatchesStore {
  let latestList = 0;
  let latestCsv = 0;
  return createStore<BatchesState>()((set, get) => {
    const put = (batch: BatchView) =>
      set((s) => ({ list: s.list.some((b) => b.id === batch.id) ? s.list.map((b) => (b.id === batch.id ? batch : b)) : [batch, ...s.list] }));
    const setError = (id: string, error: string | null) => set((s) => ({ errors: { ...s.errors, [id]: error } }));
    return {
      list: [],
      listError: null,
      startError: null,
      errors: {},
      csv: null,
      csvError: null,
      start() {
        return api.subscribe('batch.changed', (e) => void get().load(e.batchId));
      },
      async loadList() {
        const mine = ++latestList;
        try {
          const list = await api.call('batches.list', {});
          if (mine === latestList) set({ list, listError: null });
        } catch (e) {
          if (mine === latestList) set({ listError: errorSentence(e) });
        }
      },
      async load(batchId) {
        try {
          put(await api.call('batches.get', { batchId }));
          setError(batchId, null);
        } catch (e) {
          setError(batchId, errorSentence(e));
        }
      },
      async startBatch(input) {
        set({ startError: null });
        try {
          const { batchId } = await api.call('batches.start', input);
          await get().load(batchId);
          return batchId;
        } catch (e) {
          set({ startError: errorSentence(e) });
          return null;
        }
      },
      async cancelItem(batchId, requestId, reason) {
        setError(batchId, null);
        try {
          put(await api.call('batches.cancelItem', { batchId, requestId, reason }));
          return true;
        } catch (e) {
          setError(batchId, errorSentence(e));
          return false;
        }
      },
      async setPaused(batchId, action) {
        setError(batchId, null);
        try {
          put(await api.call('batches.setPaused', { batchId, action }));
          return true;
        } catch (e) {
          setError(batchId, errorSentence(e));
          return false;
        }
      },
      async retryItem(batchId, requestId) {
        setError(batchId, null);
        try {
          put(await api.call('batches.retryItem', { batchId, requestId }));
          return true;
        } catch (e) {
          setError(batchId, errorSentence(e));
          return false;
        }
      },
      async checkCsvFile(file) {
        const mine = ++latestCsv;
        set({ csv: null, csvError: null });
        if (file.size > MAX_BATCH_CSV_CHARS) {
          set({ csvError: BATCH_CSV_TOO_LARGE });
          return;
        }
        try {
          const checked = await api.call('batches.parseCsv', { csv: await file.text() });
          if (mine === latestCsv) set({ csv: { ...checked, fileName: file.name } });
        } catch (e) {
          if (mine === latestCsv) set({ csvError: errorSentence(e) });
        }
      },
      clearCsv() {
        latestCsv++;
        set({ csv: null, csvError: null });
      },
    };
  });
}

/** A batch's progress for the screen: counts, percent done (0–100) and the rate in words. */
export function batchProgress(b: BatchView): { done: number; failed: number; remaining: number; total: number; percent: number; rate: string } {
  const percent = b.total > 0 ? Math.round((100 * b.done) / b.total) : 0;
  // The core gives a rate only from RATE_MIN_CARDS cards on: say so rather than a figure that means nothing.
  const rate = b.cardsPerHour === null ? `cards per hour shown once ${RATE_MIN_CARDS} cards are done` : `${Math.round(b.cardsPerHour)} cards per hour`;
  return { done: b.done, failed: b.failed, remaining: b.remaining, total: b.total, percent, rate };
}
