/**
 * Browsing persons (store.persons.list): sort, keyset pages (first, next,
 * previous, the same page again, last) that cover everyone once, the
 * affiliation filter, exact totals, whether pages lie before and after, limits.
 */
import { describe, expect, test } from 'vitest';
import type { PersonKey, PersonPage, PersonPageRequest } from '../../../../electron/core/store/persons.js';
import type { PersonRecord } from '../../../../electron/core/store/records.js';
import { memoryStore } from './helpers.js';

const keyOf = (p: PersonRecord): PersonKey => ({ surname: p.surname, givenName: p.givenName, id: p.id });
const names = (r: { persons: { givenName: string; surname: string }[] }) => r.persons.map((p) => `${p.givenName} ${p.surname}`);

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
  const ORDER = ['Ada Hopper', 'grace Hopper', 'Zoe Hopper', 'Barbara Liskov', 'Ada lovelace', 'Alan Turing', 'Alan Turing'];

  test('the first page: sorted by surname then given name, case-insensitively, with the total', () => {
    const all = store.persons.list({ limit: 100 });
    expect(names(all)).toEqual(ORDER);
    expect(all).toMatchObject({ total: 7, hasBefore: false, hasAfter: false });
    expect(store.persons.list({ limit: 3 })).toMatchObject({ total: 7, hasBefore: false, hasAfter: true });
  });

  test('Next from each page covers everyone once, in order; Previous from each page covers them backwards', () => {
    const all = store.persons.list({ limit: 100 }).persons.map((p) => p.id);
    for (const limit of [1, 2, 3]) {
      const forward: string[] = [];
      let page: PersonPage = store.persons.list({ limit });
      forward.push(...page.persons.map((p) => p.id));
      while (page.hasAfter) {
        page = store.persons.list({ limit, after: keyOf(page.persons.at(-1)!) });
        expect(page.hasBefore).toBe(true);
        forward.push(...page.persons.map((p) => p.id));
      }
      expect(forward, `limit ${limit}`).toEqual(all);

      const backward: string[][] = [];
      page = store.persons.list({ limit, last: true });
      expect(page.hasAfter).toBe(false);
      backward.unshift(page.persons.map((p) => p.id));
      while (page.hasBefore) {
        page = store.persons.list({ limit, before: keyOf(page.persons[0]!) });
        expect(page.hasAfter).toBe(true);
        backward.unshift(page.persons.map((p) => p.id));
      }
      expect(backward.flat(), `limit ${limit}`).toEqual(all);
    }
  });

  test('the last page holds the last persons, as many as the limit', () => {
    expect(names(store.persons.list({ limit: 3, last: true }))).toEqual(ORDER.slice(4));
    expect(store.persons.list({ limit: 3, last: true })).toMatchObject({ total: 7, hasBefore: true, hasAfter: false });
    expect(store.persons.list({ limit: 10, last: true })).toMatchObject({ hasBefore: false, hasAfter: false });
  });

  test('`from` a person shows the same page again, and seeks are case-insensitive like the order', () => {
    const first = store.persons.list({ limit: 3 });
    const second = store.persons.list({ limit: 3, after: keyOf(first.persons.at(-1)!) });
    const again = store.persons.list({ limit: 3, from: keyOf(second.persons[0]!) });
    expect(again).toEqual(second);
    // A key typed in other cases, of nobody: the page starts where that name would sort.
    const liskov = store.persons.list({ limit: 2, from: { surname: 'LISKOV', givenName: '', id: '' } });
    expect(names(liskov)).toEqual(['Barbara Liskov', 'Ada lovelace']);
    expect(liskov).toMatchObject({ hasBefore: true, hasAfter: true });
    expect(names(store.persons.list({ limit: 1, after: { surname: 'hopper', givenName: 'GRACE', id: 'z' } }))).toEqual(['Zoe Hopper']);
  });

  test('a key of a person renamed since, or past the end, still finds its place', () => {
    expect(store.persons.list({ limit: 3, after: { surname: 'Zz', givenName: '', id: '' } })).toEqual({ persons: [], total: 7, hasBefore: true, hasAfter: false });
    expect(store.persons.list({ limit: 3, before: { surname: 'A', givenName: '', id: '' } })).toEqual({ persons: [], total: 7, hasBefore: false, hasAfter: true });
  });

  test('one affiliation: only those, in order, and their total', () => {
    const employees = store.persons.list({ limit: 2, affiliation: 'employee' });
    expect(names(employees)).toEqual(['Zoe Hopper', 'Barbara Liskov']);
    expect(employees).toMatchObject({ total: 4, hasBefore: false, hasAfter: true });
    const next = store.persons.list({ limit: 2, affiliation: 'employee', after: keyOf(employees.persons[1]!) });
    expect(names(next)).toEqual(['Ada lovelace', 'Alan Turing']);
    expect(next).toMatchObject({ total: 4, hasBefore: true, hasAfter: false });
    expect(names(store.persons.list({ limit: 1, affiliation: 'visitor', last: true }))).toEqual(['Alan Turing']);
    expect(store.persons.list({ limit: 10, affiliation: 'visitor' }).persons.every((p) => p.affiliation === 'visitor')).toBe(true);
  });

  test('bad pages are INVALID_INPUT', () => {
    const key = { surname: 'Hopper', givenName: 'Ada', id: 'x' };
    const bad: unknown[] = [
      { limit: 0 },
      { limit: 501 },
      { limit: 1.5 },
      { limit: 1, affiliation: 'alien' },
      { limit: 1, offset: 0 },
      { limit: 1, after: key, before: key },
      { limit: 1, from: key, last: true },
      { limit: 1, after: { surname: 'Hopper' } },
      { limit: 1, after: { ...key, extra: 1 } },
    ];
    for (const page of bad) expect(() => store.persons.list(page as PersonPageRequest), JSON.stringify(page)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('persons.list totals follow every change', () => {
  test('adding a person and changing an affiliation move the totals', () => {
    const store = memoryStore();
    const total = (affiliation?: 'employee' | 'contractor' | 'visitor') => store.persons.list({ limit: 1, affiliation }).total;
    expect([total(), total('employee'), total('visitor')]).toEqual([0, 0, 0]);
    const ada = store.persons.add({ givenName: 'Ada', surname: 'Lovelace', affiliation: 'employee' });
    store.persons.add({ givenName: 'Alan', surname: 'Turing', affiliation: 'visitor' });
    expect([total(), total('employee'), total('visitor')]).toEqual([2, 1, 1]);
    store.persons.update(ada.id, { affiliation: 'visitor' });
    expect([total(), total('employee'), total('visitor')]).toEqual([2, 0, 2]);
    store.persons.update(ada.id, { surname: 'Byron' });
    expect([total(), total('employee'), total('visitor')]).toEqual([2, 0, 2]);
    // A refused insert (duplicate employee id) rolls its count back with it.
    store.persons.add({ givenName: 'Grace', surname: 'Hopper', employeeId: 'N-1', affiliation: 'contractor' });
    expect(() => store.persons.add({ givenName: 'Grace', surname: 'Hopper', employeeId: 'N-1', affiliation: 'contractor' })).toThrow();
    expect([total(), total('contractor')]).toEqual([3, 1]);
  });
});
