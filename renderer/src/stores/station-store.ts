/**
 * Station store: what `station.info` says about this station (organization,
 * version, and whether it is a training station, which every screen shows).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelOutput } from '../../../electron/contract/station-api';
import type { StationApi } from '../api';
import { errorSentence } from '../api-error';

export interface StationState {
  info: ChannelOutput<'station.info'> | null;
  error: string | null;
  /** Asks the core for `station.info`. */
  load(): Promise<void>;
}

export type StationStore = StoreApi<StationState>;

/** Builds the station store over a StationApi. */
export function createStationStore(api: StationApi): StationStore {
  return createStore<StationState>()((set) => ({
    info: null,
    error: null,
    async load() {
      try {
        set({ info: await api.call('station.info', {}), error: null });
      } catch (e) {
        set({ error: errorSentence(e) });
      }
    },
  }));
}
