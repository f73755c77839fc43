/**
 * Station store: what `station.info` says about this station (organization,
 * version, and whether it is a training station, which every screen shows),
 * and what waits at the desk (`station.counts`, issue 12 observation 8): the
 * core's one count of requests to approve and produce, unfinished jobs and
 * notifications, which the menu and the Production queue and Notifications
 * screens show alike.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelOutput } from '../../../electron/contract/station-api';
import type { StationApi } from '../api';
import { errorSentence } from '../api-error';

/** How often the counts are asked for again while an officer is logged in, ms (the delivery worker moves notifications without an event). */
export const COUNTS_POLL_MS = 15_000;

/** Job events that change a job's status (and so the queue's count). */
const JOB_STATUS_EVENTS = new Set(['job.started', 'job.finished', 'job.failed', 'job.cancelled']);

export interface StationState {
  info: ChannelOutput<'station.info'> | null;
  error: string | null;
  /** What waits at the desk, null until asked (and after a logout). */
  counts: ChannelOutput<'station.counts'> | null;
  /** Asks the core for `station.info`. */
  load(): Promise<void>;
  /** Asks the core for `station.counts` (a failure keeps the last counts: the menu is no place for an error). */
  loadCounts(): Promise<void>;
  /** Keeps the counts fresh: at once, on every request, job status or batch change, and every `pollMs`. @returns the stop function */
  startCounts(pollMs?: number): () => void;
}

export type StationStore = StoreApi<StationState>;

/** Builds the station store over a StationApi. */
export function createStationStore(api: StationApi): StationStore {
  let latest = 0;
  return createStore<StationState>()((set, get) => ({
    info: null,
    error: null,
    counts: null,
    async load() {
      try {
        set({ info: await api.call('station.info', {}), error: null });
      } catch (e) {
        set({ error: errorSentence(e) });
      }
    },
    async loadCounts() {
      const mine = ++latest;
      try {
        const counts = await api.call('station.counts', {});
        // An older answer arriving after a newer one is dropped.
        if (mine === latest) set({ counts });
      } catch {
        // Logged out or locked: the session watch shows that; the counts stay as they were.
      }
    },
    startCounts(pollMs = COUNTS_POLL_MS) {
      const reload = () => void get().loadCounts();
      const stops = [
        api.subscribe('request.changed', reload),
        api.subscribe('batch.changed', reload),
        api.subscribe('job.event', (e) => {
          if (JOB_STATUS_EVENTS.has(e.type)) reload();
        }),
      ];
      const timer = setInterval(reload, pollMs);
      reload();
      return () => {
        clearInterval(timer);
        stops.forEach((stop) => stop());
      };
    },
  }));
}
