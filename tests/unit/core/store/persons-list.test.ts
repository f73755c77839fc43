/** Browsing persons (store.persons.list): sort, paging without overlap, affiliation filter, totals, limits. */
import { describe, expect, test } from 'vitest';
import { memoryStore } from './helpers.js';

describe('persons.list', () => {
  const store = memoryStore();
  const people: [string, string, 'employee' | 'contractor' | 'visitor'][] = [
    ['grace', 'Hopper', 'contractor'],
    ['Ada', 'lovelace', 'employee'],
    ['Alan', 'Turing', 'visitor'],
    ['Zoe', 'Hopper', 'employee'],
    ['Ada', 'Hopper', 'visitor'],
    ['Barbara', 'Liskov', 'employee'],
    ['Alan', 'Turing', 'employee'], // same name: the id decides, and both are listed once
  ];
  for (const [givenName, surname, affiliation] of people) store.persons.add({ givenName, surname, affiliation });
  const names = (r: { persons: { givenName: string; surname: string }[] }) => r.persons.map((p) => `${p.givenName} ${p.surname}`);

  test('sorted by surname then given name, case-insensitively, with the total', () => {
    const all = store.persons.list({ offset: 0, limit: 100 });
    expect(names(all)).toEqual(['Ada Hopper', 'grace Hopper', 'Zoe Hopper', 'Barbara Liskov', 'Ada lovelace', 'Alan Turing', 'Alan Turing']);
    expect(all.total).toBe(7);
  });

  test('pages in turn cover everyone once, in the same order', () => {
    const all = store.persons.list({ offset: 0, limit: 100 }).persons.map((p) => p.id);
    const paged = [0, 3, 6].flatMap((offset) => store.persons.list({ offset, limit: 3 }).persons.map((p) => p.id));
    expect(paged).toEqual(all);
    expect(store.persons.list({ offset: 7, limit: 3 })).toEqual({ persons: [], total: 7 });
  });

  test('one affiliation: only those, and their total', () => {
    const employees = store.persons.list({ offset: 0, limit: 2, affiliation: 'employee' });
    expect(names(employees)).toEqual(['Zoe Hopper', 'Barbara Liskov']);
    expect(employees.total).toBe(4);
    expect(store.persons.list({ offset: 0, limit: 10, affiliation: 'visitor' }).persons.every((p) => p.affiliation === 'visitor')).toBe(true);
  });

  test('bad pages are INVALID_INPUT', () => {
    for (const page of [{ offset: -1, limit: 1 }, { offset: 0, limit: 0 }, { offset: 0, limit: 501 }, { offset: 0.5, limit: 1 }, { offset: 0, limit: 1, affiliation: 'alien' }]) {
      expect(() => store.persons.list(page as never), JSON.stringify(page)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
});
