/**
 * Persons store: search as you type (debounced; only the newest answer is
 * kept, so a slow early answer never overwrites a later one) with the count of
 * matches, registration and edit; the Persons screen's browse pages (first,
 * previous, next, last: the core seeks from a shown person's key, so every
 * page is as quick as the first) and CSV import (dry run first).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { MAX_PERSONS_CSV_CHARS, PERSONS_CSV_TOO_LARGE, type ChannelInput, type Person, type PersonKey, type PersonsImportView, type PersonsPageView } from '../../../electron/contract/station-api';
import type { StationApi } from '../api';
import { errorSentence } from '../api-error';

/** Debounce of the search input, in milliseconds (UI spec: ~150 ms). */
export const SEARCH_DEBOUNCE_MS = 150;

/** Persons one browse page shows. */
export const BROWSE_PAGE_SIZE = 50;

/** Which persons the browse list shows: everyone or one affiliation. */
export type BrowseFilter = 'all' | Person['affiliation'];

/** Which page to show: the first, the one before or after the page shown, the last, or the shown one again (fresh). */
export type BrowseMove = 'first' | 'previous' | 'next' | 'last' | 'again';

const keyOf = (p: Person): PersonKey => ({ surname: p.surname, givenName: p.givenName, id: p.id });

/** A CSV file the core has read: its name, its text (sent again to import it) and what the dry run said. */
export interface ImportPreview {
  fileName: string;
  csv: string;
  check: PersonsImportView;
}

/** The browse and import part of the state, empty (also what a logout leaves). */
export const PERSONS_BROWSE_EMPTY = {
  filter: 'all' as BrowseFilter,
  offset: 0,
  page: [] as Person[],
  total: 0,
  hasBefore: false,
  hasAfter: false,
  browsing: false,
  browseError: null as string | null,
  preview: null as ImportPreview | null,
  importing: false,
  importError: null as string | null,
  imported: null as number | null,
};

export interface PersonsState {
  /**
   * Browse: the filter, the place of the first person shown in the list (0-based; counted from the
   * first or the last page, as the officer moved), the page, how many persons the list holds, and
   * whether pages lie before and after the one shown.
   */
  filter: BrowseFilter;
  offset: number;
  page: Person[];
  total: number;
  hasBefore: boolean;
  hasAfter: boolean;
  browsing: boolean;
  browseError: string | null;
  /** Import: the checked file (dry run), a file-level error, and how many the last import added. */
  preview: ImportPreview | null;
  importing: boolean;
  importError: string | null;
  imported: number | null;
  /** Loads a page of the current filter (default: the shown one again). */
  browse(move?: BrowseMove): Promise<void>;
  /** Shows one affiliation (or everyone) from the first page. */
  setFilter(filter: BrowseFilter): Promise<void>;
  /** Sends the file to the core as a dry run and keeps what it said (nothing is written). */
  checkImportFile(file: Pick<File, 'name' | 'size' | 'text'>): Promise<void>;
  /** Imports the previewed file (only one whose dry run found no bad line); then browses from the start. */
  runImport(): Promise<void>;
  /** Forgets the previewed file. */
  clearImport(): void;
  query: string;
  /** The first matches of the last search, how many persons match, and whether that count is only a lower bound (at least `matchCount`). */
  results: Person[];
  matchCount: number;
  moreMatches: boolean;
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

  let latestPage = 0;
  let latestFile = 0;
  return createStore<PersonsState>()((set, get) => ({
    ...PERSONS_BROWSE_EMPTY,
    async browse(move = 'again') {
      const mine = ++latestPage;
      const { filter, page, offset } = get();
      const first = page[0];
      const last = page.at(-1);
      // Where the page is, from the persons shown; with none shown, Previous and again fall back to the first page.
      const at =
        move === 'last' ? { last: true as const }
        : move === 'next' && last ? { after: keyOf(last) }
        : move === 'previous' && first ? { before: keyOf(first) }
        : move === 'again' && first ? { from: keyOf(first) }
        : {};
      set({ browsing: true });
      try {
        const answer = await api.call('persons.list', { limit: BROWSE_PAGE_SIZE, ...(filter === 'all' ? {} : { affiliation: filter }), ...at });
        if (mine === latestPage) {
          const { persons, total, hasBefore, hasAfter } = answer;
          set({ page: persons, total, hasBefore, hasAfter, offset: placeOf(move, answer, offset, page.length), browsing: false, browseError: null });
        }
      } catch (e) {
        if (mine === latestPage) set({ browsing: false, browseError: errorSentence(e) });
      }
    },
    async setFilter(filter) {
      set({ filter, page: [], browsing: true });
      await get().browse('first');
    },
    async checkImportFile(file) {
      const mine = ++latestFile;
      set({ preview: null, importError: null, imported: null });
      // Refused here before it is read: the core would refuse it anyway (contract limit).
      if (file.size > MAX_PERSONS_CSV_CHARS) {
        set({ importError: PERSONS_CSV_TOO_LARGE });
        return;
      }
      try {
        const csv = await file.text();
        const check = await api.call('persons.import', { csv, dryRun: true });
        if (mine === latestFile) set({ preview: { fileName: file.name, csv, check } });
      } catch (e) {
        if (mine === latestFile) set({ importError: errorSentence(e) });
      }
    },
    async runImport() {
      const preview = get().preview;
      if (!preview || preview.check.errors.length > 0) return;
      set({ importing: true, importError: null });
      try {
        const result = await api.call('persons.import', { csv: preview.csv });
        // Between the dry run and now another officer may have added a clashing person: show those lines.
        if (result.errors.length > 0) set({ importing: false, preview: { ...preview, check: result } });
        else {
          latestFile++;
          set({ importing: false, preview: null, imported: result.imported });
          await get().browse('first');
        }
      } catch (e) {
        set({ importing: false, importError: errorSentence(e) });
      }
    },
    clearImport() {
      latestFile++;
      set({ preview: null, importError: null, imported: null });
    },
    query: '',
    results: [],
    matchCount: 0,
    moreMatches: false,
    searching: false,
    error: null,
    setQuery(query) {
      set({ query });
      clearTimeout(timer);
      if (query.trim().length === 0) {
        latest++;
        set({ results: [], matchCount: 0, moreMatches: false, searching: false, error: null });
        return;
      }
      timer = setTimeout(() => void get().search(query), debounceMs);
    },
    async search(query) {
      const mine = ++latest;
      set({ searching: true });
      try {
        const { persons, total, more } = await api.call('persons.search', { query: query.trim() });
        if (mine === latest) set({ results: persons, matchCount: total, moreMatches: more, searching: false, error: null });
      } catch (e) {
        if (mine === latest) set({ searching: false, error: errorSentence(e) });
      }
    },
    async add(input) {
      return api.call('persons.add', input);
    },
    async update(input) {
      const person = await api.call('persons.update', input);
      const replace = (list: Person[]) => list.map((p) => (p.id === person.id ? person : p));
      set({ results: replace(get().results), page: replace(get().page) });
      return person;
    },
  }));
}

/**
 * The place of a page's first person in the list: known at the ends (no page before: 0; no page
 * after: the total less the page), else one page on from the shown one. Persons added or removed
 * meanwhile by another officer may shift it until the officer reaches an end.
 */
function placeOf(move: BrowseMove, answer: PersonsPageView, shownOffset: number, shownCount: number): number {
  if (!answer.hasBefore) return 0;
  if (!answer.hasAfter) return Math.max(0, answer.total - answer.persons.length);
  if (move === 'next') return shownOffset + shownCount;
  if (move === 'previous') return Math.max(0, shownOffset - answer.persons.length);
  return shownOffset;
}
