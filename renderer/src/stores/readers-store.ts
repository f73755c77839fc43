/**
 * Readers store: the reader list as the core last reported it. Filled by
 * `readers.list` at start and kept live by the `reader.changed` event (the
 * full list after any change), so the panel never guesses.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Reader } from '../../../electron/contract/station-api';
import type { StationApi } from '../api';
import { errorSentence } from '../api-error';

export interface ReadersState {
  readers: Reader[];
  /** True once the first list arrived (from the call or an event). */
  loaded: boolean;
  /** The sentence of the last failed `readers.list`, or null. */
  error: string | null;
  /** Subscribes to `reader.changed` and asks for the list; returns the unsubscribe function. */
  start(): () => void;
}

export type ReadersStore = StoreApi<ReadersState>;

/** Builds the readers store over a StationApi (a fake one in unit tests). */
export function createReadersStore(api: StationApi): ReadersStore {
  return createStore<ReadersState>()((set) => ({
    readers: [],
    loaded: false,
    error: null,
    start() {
      // An event that arrives while the list call is in flight is newer: keep it.
      let heardEvent = false;
      const unsubscribe = api.subscribe('reader.changed', (readers) => {
        heardEvent = true;
        set({ readers, loaded: true, error: null });
      });
      api.call('readers.list', {}).then(
        (readers) => {
          if (!heardEvent) set({ readers, loaded: true, error: null });
        },
        (e: unknown) => set({ error: errorSentence(e) }),
      );
      return unsubscribe;
    },
  }));
}

/** Readers with a card present first, then by name (the order of the reader choice). */
export function readersForChoice(readers: Reader[]): Reader[] {
  return [...readers].sort((a, b) => Number(b.cardPresent) - Number(a.cardPresent) || a.name.localeCompare(b.name));
}
