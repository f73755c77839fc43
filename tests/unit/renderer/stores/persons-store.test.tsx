// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPersonsStore, SEARCH_DEBOUNCE_MS } from '../../../../renderer/src/stores/persons-store';
import { createFakeApi, person } from '../support/fake-api';

describe('persons store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('searches once after typing pauses, with the last query', async () => {
    const api = createFakeApi({ 'persons.search': ({ query }) => (query === 'Ada' ? [person()] : []) });
    const store = createPersonsStore(api);
    store.getState().setQuery('A');
    store.getState().setQuery('Ad');
    store.getState().setQuery('Ada');
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS - 10);
    expect(api.callsTo('persons.search')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(20);
    expect(api.callsTo('persons.search')).toEqual([{ query: 'Ada' }]);
    expect(store.getState().results.map((p) => p.surname)).toEqual(['Lovelace']);
  });

  it('drops a slow answer to an older query', async () => {
    const answers: Record<string, (v: ReturnType<typeof person>[]) => void> = {};
    const api = createFakeApi({ 'persons.search': ({ query }) => new Promise((r) => (answers[query] = r)) });
    const store = createPersonsStore(api, { debounceMs: 0 });
    const first = store.getState().search('a');
    const second = store.getState().search('ab');
    answers['ab']!([person({ id: 'p-2', surname: 'Byron' })]);
    await second;
    answers['a']!([person()]);
    await first;
    expect(store.getState().results.map((p) => p.surname)).toEqual(['Byron']);
  });

  it('clears the results when the query is emptied', async () => {
    const api = createFakeApi({ 'persons.search': () => [person()] });
    const store = createPersonsStore(api, { debounceMs: 0 });
    await store.getState().search('Ada');
    store.getState().setQuery('   ');
    expect(store.getState().results).toEqual([]);
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS * 2);
    expect(api.callsTo('persons.search')).toHaveLength(1);
  });
});

describe('persons store: browse and import', () => {
  const page = (n: number) => ({ persons: [person({ id: `p-${n}`, surname: `S${n}` })], total: 3 });

  it('keeps only the newest page when an older answer comes late', async () => {
    const answers: ((v: ReturnType<typeof page>) => void)[] = [];
    const api = createFakeApi({ 'persons.list': () => new Promise((r) => answers.push(r)) });
    const store = createPersonsStore(api, { debounceMs: 0 });
    const first = store.getState().browse(0);
    const second = store.getState().setFilter('visitor');
    answers[1]!(page(2));
    answers[0]!(page(1));
    await Promise.all([first, second]);
    expect(store.getState().page.map((p) => p.surname)).toEqual(['S2']);
    expect(api.callsTo('persons.list')).toEqual([
      { offset: 0, limit: 50 },
      { offset: 0, limit: 50, affiliation: 'visitor' },
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
