/**
 * Requests store: card requests as the core lists them, kept fresh by the
 * `request.changed` event, and the workflow actions create, approve and
 * reject (producing is the issue store's `produceRequest`). Each refusal is
 * kept as the core's sentence, per request where it concerns one, so the
 * screen shows it beside that request.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CardRequestView, ChannelInput } from '../../../electron/contract/station-api';
import type { StationApi } from '../api';
import { errorSentence } from '../api-error';

export type RequestState = CardRequestView['state'];
export type RequestFilter = 'all' | RequestState;

/** The filters of the Requests screen, in order, with their words. */
export const REQUEST_FILTERS: { id: RequestFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'requested', label: 'Waiting for approval' },
  { id: 'approved', label: 'Approved' },
  { id: 'rejected', label: 'Rejected' },
  { id: 'in_production', label: 'In production' },
  { id: 'production_failed', label: 'Production failed' },
  { id: 'produced', label: 'Produced' },
];

/** The officer's words for each request state (the contract's one table). */
export { REQUEST_STATE_WORDS } from '../../../electron/contract/words';

export interface RequestsState {
  filter: RequestFilter;
  /** The Requests screen's list (current filter). */
  list: CardRequestView[];
  /** Requests waiting for a decision (Approvals screen). */
  pending: CardRequestView[];
  /** Approved requests (produce singly or in a batch). */
  approved: CardRequestView[];
  /** Sentence of the last failed list load, or null. */
  listError: string | null;
  /** Sentence of the last failed create, or null. */
  createError: string | null;
  /** Sentence of the last failed action per request id. */
  errors: Record<string, string | null>;
  /** Subscribes to `request.changed` (reloads the lists); returns the unsubscribe function. */
  start(): () => void;
  setFilter(filter: RequestFilter): Promise<void>;
  loadList(): Promise<void>;
  loadPending(): Promise<void>;
  loadApproved(): Promise<void>;
  /** `requests.create`. @returns the request, or null when refused (`createError` says why). */
  create(input: ChannelInput<'requests.create'>): Promise<CardRequestView | null>;
  /** `requests.approve`. @returns the approved request (its card number assigned), or null when refused (`errors[id]` says why). */
  approve(requestId: string): Promise<CardRequestView | null>;
  /** `requests.reject` with the officer's reason. @returns whether it worked. */
  reject(requestId: string, reason: string): Promise<boolean>;
}

export type RequestsStore = StoreApi<RequestsState>;

/** Builds the requests store over a StationApi. */
export function createRequestsStore(api: StationApi): RequestsStore {
  // Only the newest answer of each list is kept (a slow early answer never overwrites a later one).
  const latest = { list: 0, pending: 0, approved: 0 };
  const loaded = { list: false, pending: false, approved: false };

  return createStore<RequestsState>()((set, get) => {
    const setError = (id: string, error: string | null) => set((s) => ({ errors: { ...s.errors, [id]: error } }));
    async function loadInto(key: 'list' | 'pending' | 'approved', states: RequestState[] | undefined) {
      const mine = ++latest[key];
      loaded[key] = true;
      try {
        const rows = await api.call('requests.list', states ? { state: states } : {});
        if (mine === latest[key]) set({ [key]: rows, listError: null } as Partial<RequestsState>);
      } catch (e) {
        if (mine === latest[key]) set({ listError: errorSentence(e) });
      }
    }
    const reloadLoaded = () => {
      if (loaded.list) void get().loadList();
      if (loaded.pending) void get().loadPending();
      if (loaded.approved) void get().loadApproved();
    };

    return {
      filter: 'all',
      list: [],
      pending: [],
      approved: [],
      listError: null,
      createError: null,
      errors: {},
      start() {
        return api.subscribe('request.changed', reloadLoaded);
      },
      async setFilter(filter) {
        set({ filter });
        await get().loadList();
      },
      loadList() {
        const f = get().filter;
        return loadInto('list', f === 'all' ? undefined : [f]);
      },
      loadPending: () => loadInto('pending', ['requested']),
      loadApproved: () => loadInto('approved', ['approved']),
      async create(input) {
        set({ createError: null });
        try {
          const request = await api.call('requests.create', input);
          reloadLoaded();
          return request;
        } catch (e) {
          set({ createError: errorSentence(e) });
          return null;
        }
      },
      async approve(requestId) {
        setError(requestId, null);
        try {
          const approved = await api.call('requests.approve', { requestId });
          reloadLoaded();
          return approved;
        } catch (e) {
          setError(requestId, errorSentence(e));
          return null;
        }
      },
      async reject(requestId, reason) {
        setError(requestId, null);
        try {
          await api.call('requests.reject', { requestId, reason });
          reloadLoaded();
          return true;
        } catch (e) {
          setError(requestId, errorSentence(e));
          return false;
        }
      },
    };
  });
}
