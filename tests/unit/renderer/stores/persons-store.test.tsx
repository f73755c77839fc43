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
