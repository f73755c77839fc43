/**
 * Notifications store (issue 5 "dead-letter view"): the outbox events of one
 * status (pending, delivered, dead letters) a page at a time, the count per
 * status, and redelivery of dead letters. The list refreshes itself while the
 * screen is open (a poll, and at once when a request or job changes), since
 * the delivery worker moves events without telling the renderer. The core
 * does not count these polls as the officer's activity (BACKGROUND_CHANNELS),
 * so an open Notifications screen never keeps the session from locking.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelOutput, OutboxEventView } from '../../../electron/contract/station-api';
import type { StationApi } from '../api';
import { errorSentence } from '../api-error';

export type OutboxTab = 'pending' | 'delivered' | 'dead';

/** Events per page. */
export const OUTBOX_PAGE_SIZE = 25;
/** How often an open Notifications screen refreshes, ms. */
export const OUTBOX_POLL_MS = 3_000;

export interface OutboxState {
  tab: OutboxTab;
  /** Index of the first event shown (0-based). */
  offset: number;
  events: OutboxEventView[];
  /** Events of the tab (all pages). */
  total: number;
  counts: ChannelOutput<'outbox.list'>['counts'];
  /** Whether the station delivers at all, and what to configure (null until the first answer). */
  delivery: ChannelOutput<'outbox.list'>['delivery'] | null;
  listError: string | null;
  /** Sentence of the last failed redelivery, or null. */
  actionError: string | null;
  /** What the last redelivery did, for the officer ("2 dead letters are back in the outbox."). */
  notice: string | null;
  /** A redelivery is in flight (its buttons are disabled). */
  busy: boolean;
  /** Starts the live refresh; returns the stop function. */
  start(pollMs?: number): () => void;
  /** Shows another tab from its first page. */
  setTab(tab: OutboxTab): Promise<void>;
  /** Shows the page starting at `offset`. */
  setOffset(offset: number): Promise<void>;
  load(): Promise<void>;
  /** `outbox.redeliver` one dead letter. @returns whether it worked */
  redeliver(eventId: string): Promise<boolean>;
  /** `outbox.redeliver` every dead letter. @returns whether it worked */
  redeliverAll(): Promise<boolean>;
}

export type OutboxStore = StoreApi<OutboxState>;

const NO_COUNTS = { pending: 0, delivered: 0, dead: 0 };

/** The store's initial data (also what a logout resets it to). */
export const OUTBOX_EMPTY = { tab: 'pending' as OutboxTab, offset: 0, events: [], total: 0, counts: NO_COUNTS, delivery: null, listError: null, actionError: null, notice: null, busy: false };

/** Builds the Notifications store over a StationApi. */
export function createOutboxStore(api: StationApi): OutboxStore {
  let latest = 0;
  return createStore<OutboxState>()((set, get) => {
    const redeliverWith = async (input: { eventId: string } | { allDead: true }) => {
      set({ busy: true, actionError: null, notice: null });
      try {
        const { redelivered } = await api.call('outbox.redeliver', input);
        const n = redelivered.length;
        set({ notice: n === 1 ? '1 dead letter is back in the outbox.' : `${n} dead letters are back in the outbox.` });
        await get().load();
        return true;
      } catch (e) {
        set({ actionError: errorSentence(e) });
        return false;
      } finally {
        set({ busy: false });
      }
    };
    return {
      ...OUTBOX_EMPTY,
      start(pollMs = OUTBOX_POLL_MS) {
        void get().load();
        const timer = setInterval(() => void get().load(), pollMs);
        const offs = [api.subscribe('request.changed', () => void get().load()), api.subscribe('job.event', () => void get().load())];
        return () => {
          clearInterval(timer);
          offs.forEach((off) => off());
        };
      },
      async setTab(tab) {
        set({ tab, offset: 0, events: [], total: 0, notice: null, actionError: null });
        await get().load();
      },
      async setOffset(offset) {
        set({ offset: Math.max(0, offset) });
        await get().load();
      },
      async load() {
        const mine = ++latest;
        const { tab, offset } = get();
        try {
          const page = await api.call('outbox.list', { status: tab, offset, limit: OUTBOX_PAGE_SIZE });
          if (mine !== latest) return;
          // The last page emptied (events delivered meanwhile): step back to the last page that has events.
          if (page.events.length === 0 && offset > 0 && page.total > 0) {
            set({ offset: Math.floor((page.total - 1) / OUTBOX_PAGE_SIZE) * OUTBOX_PAGE_SIZE });
            return get().load();
          }
          set({ events: page.events, total: page.total, counts: page.counts, delivery: page.delivery ?? null, listError: null });
        } catch (e) {
          if (mine === latest) set({ listError: errorSentence(e) });
        }
      },
      redeliver: (eventId) => redeliverWith({ eventId }),
      redeliverAll: () => redeliverWith({ allDead: true }),
    };
  });
}
