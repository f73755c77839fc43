import { describe, expect, it } from 'vitest';
import { ADA, memoryStore } from './helpers.js';

describe('persons repository', () => {
  it('adds a person and reads it back', () => {
    const store = memoryStore();
    const ada = store.persons.add(ADA);
    expect(ada).toMatchObject({ givenName: 'Ada', surname: 'Lovelace', email: 'ada@example.gov', employeeId: 'E-1815', affiliation: 'employee' });
    expect(ada.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ada.createdAt).toBe(ada.updatedAt);
    expect(store.persons.get(ada.id)).toEqual(ada);
    expect(store.persons.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    const minimal = store.persons.add({ givenName: 'Grace', surname: 'Hopper', affiliation: 'contractor' });
    expect(minimal.email).toBeNull();
    expect(minimal.employeeId).toBeNull();
  });

  it('refuses invalid input with INVALID_INPUT', () => {
    const store = memoryStore();
    const bad = [
      { ...ADA, affiliation: 'alien' },
      { ...ADA, givenName: '' },
      { ...ADA, email: 'not-an-email' },
    ];
    for (const p of bad) expect(() => store.persons.add(p as never)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => store.persons.add({ ...ADA, affiliation: 'alien' } as never)).toThrowError(expect.objectContaining({ details: expect.objectContaining({ field: 'affiliation' }) }));
  });

  it('refuses a duplicate employee id', () => {
    const store = memoryStore();
    store.persons.add(ADA);
    expect(() => store.persons.add({ ...ADA, givenName: 'Augusta' })).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('searches by prefix or substring over names, full name, email and employee id, case-insensitively', () => {
    const store = memoryStore();
    const ada = store.persons.add(ADA);
    const grace = store.persons.add({ givenName: 'Grace', surname: 'Hopper', email: 'ghopper@navy.mil', employeeId: 'N-1906', affiliation: 'contractor' });
    const alan = store.persons.add({ givenName: 'Alan', surname: 'Turing', affiliation: 'visitor' });
    const ids = (q: string) => store.persons.search(q).persons.map((p) => p.id);
    expect(ids('love')).toEqual([ada.id]);
    expect(ids('LOVE')).toEqual([ada.id]);
    expect(ids('race')).toEqual([grace.id]);
    expect(ids('ada lov')).toEqual([ada.id]);
    expect(ids('navy.mil')).toEqual([grace.id]);
    expect(ids('1906')).toEqual([grace.id]);
    expect(ids('zzz')).toEqual([]);
    expect(ids('')).toEqual([grace.id, ada.id, alan.id]); // by surname: Hopper, Lovelace, Turing
    expect(store.persons.search('', { limit: 2 }).persons).toHaveLength(2);
    expect(store.persons.search('', { limit: 2 })).toMatchObject({ total: 3, more: false });
    expect(store.persons.search('a')).toMatchObject({ total: 2, more: false }); // Ada (given name), Alan (given name)
  });

  it('treats LIKE wildcards and FTS5 query syntax in the query literally', () => {
    const store = memoryStore();
    store.persons.add(ADA);
    for (const q of ['%', '_', 'a%e', 'Lo_e', '"', 'Ada"', 'Ada AND Lovelace', 'Lov*', 'NEAR(Ada Lovelace)', 'surname:Lovelace']) {
      expect(store.persons.search(q), q).toEqual({ persons: [], total: 0, more: false });
    }
  });
});
