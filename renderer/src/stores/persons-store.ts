/**
 * Persons store: search as you type (debounced; only the newest answer is
 * kept, so a slow early answer never overwrites a later one), registration and edit.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelInput, Person } from '../../../electron/contract/station-api';
import type { StationApi } from '../api';
import { errorSentence } from '../api-error';

/** Debounce of the search input, in milliseconds (UI spec: ~150 ms). */
export const SEARCH_DEBOUNCE_MS = 150;

export interface PersonsState {
  query: string;
  results: Person[];
  searching: boolean;
  /** Sentence of the last failed search, or null. */
  error: string | null;
  /** Sets the query and schedules a search; an empty query clears the results. */
  setQuery(query: string): void;
  /** Searches now (no debounce). */
  search(query: string): Promise<void>;
  /**
   * Registers a person.
   * @throws ApiError when the core refuses the input (e.g. INVALID_INPUT).
   */
  add(input: ChannelInput<'persons.add'>): Promise<Person>;
  /**
   * Edits a person; the search results show the new attributes.
   * @throws ApiError when the core refuses (INVALID_INPUT, FORBIDDEN with the rule's sentence).
   */
  update(input: ChannelInput<'persons.update'>): Promise<Person>;
}

export type PersonsStore = StoreApi<PersonsState>;

/** Builds the persons store; `debounceMs` is for tests that want no delay. */
export function createPersonsStore(api: StationApi, options: { debounceMs?: number } = {}): PersonsStore {
  const debounceMs = options.debounceMs ?? SEARCH_DEBOUNCE_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;

  return createStore<PersonsState>()((set, get) => ({
    query: '',
    results: [],
    searching: false,
    error: null,
    setQuery(query) {
      set({ query });
      clearTimeout(timer);
      if (query.trim().length === 0) {
        latest++;
        set({ results: [], searching: false, error: null });
        return;
      }
      timer = setTimeout(() => void get().search(query), debounceMs);
    },
    async search(query) {
      const mine = ++latest;
      set({ searching: true });
      try {
        const results = await api.call('persons.search', { query: query.trim() });
        if (mine === latest) set({ results, searching: false, error: null });
      } catch (e) {
        if (mine === latest) set({ searching: false, error: errorSentence(e) });
      }
    },
    async add(input) {
      return api.call('persons.add', input);
    },
    async update(input) {
      const person = await api.call('persons.update', input);
      set({ results: get().results.map((p) => (p.id === person.id ? person : p)) });
      return person;
    },
  }));
}
