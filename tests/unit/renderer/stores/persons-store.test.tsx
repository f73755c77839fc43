// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPersonsStore, SEARCH_DEBOUNCE_MS } from '../../../../renderer/src/stores/persons-store';
import type { ChannelOutput } from '../../../../electron/contract/station-api';
import { createFakeApi, matches, person } from '../support/fake-api';

describe('persons store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('searches once after typing pauses, with the last query', async () => {
    const api = createFakeApi({ 'persons.search': ({ query }) => (query === 'Ada' ? matches(person()) : matches()) });
    const store = createPersonsStore(api);
    store.getState().setQuery('A');
    store.getState().setQuery('Ad');
    store.getState().setQuery('Ada');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS - 10);
    expect(api.callsTo('persons.search')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(20);
    expect(api.callsTo('persons.search')).toEqual([{ query: 'Ada' }]);
    expect(store.getState().results.map((p) => p.surname)).toEqual(['Lovelace']);
    expect(store.getState()).toMatchObject({ matchCount: 1, moreMatches: false });
  });

  it('keeps the count of matches, capped or not', async () => {
    const api = createFakeApi({ 'persons.search': () => ({ persons: [person()], total: 1000, more: true }) });
    const store = createPersonsStore(api, { debounceMs: 0 });
    await store.getState().search('A');
    expect(store.getState()).toMatchObject({ matchCount: 1000, moreMatches: true });
    store.getState().setQuery('');
    expect(store.getState()).toMatchObject({ results: [], matchCount: 0, moreMatches: false });
  });

  it('drops a slow answer to an older query', async () => {
    const answers: Record<string, (v: ReturnType<typeof matches>) => void> = {};
    const api = createFakeApi({ 'persons.search': ({ query }) => new Promise((r) => (answers[query] = r)) });
    const store = createPersonsStore(api, { debounceMs: 0 });
    const first = store.getState().search('a');
    const second = store.getState().search('ab');
    answers['ab']!(matches(person({ id: 'p-2', surname: 'Byron' })));
    await second;
    answers['a']!(matches(person()));
    await first;
    expect(store.getState().results.map((p) => p.surname)).toEqual(['Byron']);
  });

  it('clears the results when the query is emptied', async () => {
    const api = createFakeApi({ 'persons.search': () => matches(person()) });
    const store = createPersonsStore(api, { debounceMs: 0 });
    await store.getState().search('Ada');
    store.getState().setQuery('   ');
    expect(store.getState().results).toEqual([]);
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS * 2);
    expect(api.callsTo('persons.search')).toHaveLength(1);
  });
});

describe('persons store: browse and import', () => {
  const page = (n: number) => ({ persons: [person({ id: `p-${n}`, surname: `S${n}` })], total: 3, hasBefore: false, hasAfter: true });

  it('keeps only the newest page when an older answer comes late', async () => {
    const answers: ((v: ReturnType<typeof page>) => void)[] = [];
    const api = createFakeApi({ 'persons.list': () => new Promise((r) => answers.push(r)) });
    const store = createPersonsStore(api, { debounceMs: 0 });
    const first = store.getState().browse('first');
    const second = store.getState().setFilter('visitor');
    answers[1]!(page(2));
    answers[0]!(page(1));
    await Promise.all([first, second]);
    expect(store.getState().page.map((p) => p.surname)).toEqual(['S2']);
    expect(api.callsTo('persons.list')).toEqual([{ limit: 50 }, { limit: 50, affiliation: 'visitor' }]);
  });

  it('asks for the page from the keys of the persons shown, and counts the place from the ends', async () => {
    const shown = (from: number, count: number) => Array.from({ length: count }, (_, i) => person({ id: `p-${from + i}`, surname: `S${String(from + i).padStart(3, '0')}` }));
    const answers: ChannelOutput<'persons.list'>[] = [
      { persons: shown(0, 50), total: 120, hasBefore: false, hasAfter: true },
      { persons: shown(50, 50), total: 120, hasBefore: true, hasAfter: true },
      { persons: shown(50, 50), total: 120, hasBefore: true, hasAfter: true },
      { persons: shown(70, 50), total: 120, hasBefore: true, hasAfter: false },
      { persons: shown(20, 50), total: 120, hasBefore: true, hasAfter: true },
      { persons: shown(0, 20), total: 120, hasBefore: false, hasAfter: true },
    ];
    const api = createFakeApi({ 'persons.list': () => answers.shift()! });
    const store = createPersonsStore(api, { debounceMs: 0 });
    const key = (n: number) => ({ surname: `S${String(n).padStart(3, '0')}`, givenName: 'Ada', id: `p-${n}` });
    await store.getState().browse('first');
    expect(store.getState()).toMatchObject({ offset: 0, total: 120, hasBefore: false, hasAfter: true });
    await store.getState().browse('next');
    expect(store.getState().offset).toBe(50);
    await store.getState().browse();
    expect(store.getState().offset).toBe(50);
    await store.getState().browse('last');
    expect(store.getState()).toMatchObject({ offset: 70, hasAfter: false });
    await store.getState().browse('previous');
    expect(store.getState().offset).toBe(20);
    // The first page reached by Previous (fewer than 50 before): the place is 0, from the core's hasBefore.
    await store.getState().browse('previous');
    expect(store.getState()).toMatchObject({ offset: 0, hasBefore: false });
    expect(api.callsTo('persons.list')).toEqual([
      { limit: 50 },
      { limit: 50, after: key(49) },
      { limit: 50, from: key(50) },
      { limit: 50, last: true },
      { limit: 50, before: key(70) },
      { limit: 50, before: key(20) },
    ]);
  });

  it('an import the core refuses after a clean dry run (another officer added a clashing person) shows the bad lines and keeps the file', async () => {
    const api = createFakeApi({
      'persons.import': ({ dryRun }) => (dryRun ? { dryRun: true, imported: 1, errors: [] } : { dryRun: false, imported: 0, errors: [{ line: 2, message: 'a person with that employee id already exists' }] }),
      'persons.list': () => page(1),
    });
    const store = createPersonsStore(api, { debounceMs: 0 });
    const csv = 'given_name,surname,email,employee_id,affiliation\nAda,Lovelace,,E-1,employee\n';
    await store.getState().checkImportFile({ name: 'a.csv', size: csv.length, text: async () => csv });
    expect(store.getState().preview?.check.imported).toBe(1);
    await store.getState().runImport();
    expect(store.getState().preview?.check.errors).toEqual([{ line: 2, message: 'a person with that employee id already exists' }]);
    expect(store.getState().imported).toBeNull();
    expect(api.callsTo('persons.import')).toEqual([{ csv, dryRun: true }, { csv }]);
    // A file with bad lines is never sent for real.
    await store.getState().runImport();
    expect(api.callsTo('persons.import')).toHaveLength(2);
  });
});
