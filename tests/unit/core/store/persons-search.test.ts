/**
 * store.persons.search (issue 14): every kind of match the Persons screen
 * offers, the order of the kinds, each person once, and the count (exact up to
 * SEARCH_COUNT_CAP, then "at least"; in a large directory the substring pass
 * stops once the answer is full, and the count says "at least").
 */
import { describe, expect, test } from 'vitest';
import { SEARCH_COUNT_CAP } from '../../../../electron/core/store/persons.js';
import { openStore } from '../../../../electron/core/store/store.js';
import { openDatabase } from '../../../../native/sqlite.js';
import type { NewPerson } from '../../../../electron/core/store/records.js';
import { memoryStore } from './helpers.js';

describe('persons.search: kinds of match', () => {
  const store = memoryStore();
  const add = (p: Partial<NewPerson> & Pick<NewPerson, 'givenName' | 'surname'>) => store.persons.add({ affiliation: 'employee', ...p });
  const ada = add({ givenName: 'Ada', surname: 'Lovelace', email: 'countess@analytical.example', employeeId: 'E-1815' });
  const adams = add({ givenName: 'John', surname: 'Adams', email: 'jadams@example.gov', employeeId: 'P-2' });
  const adamson = add({ givenName: 'Zed', surname: 'adamson', employeeId: 'e-77' });
  const adaB = add({ givenName: 'ADA', surname: 'Byron' });
  const mary = add({ givenName: 'Mary Ann', surname: 'van der Berg', email: 'mavdb@example.gov' });
  const maryS = add({ givenName: 'Mary', surname: 'Ann Smith' });
  const emile = add({ givenName: 'Émile', surname: 'Zola' });
  const names = (q: string) => store.persons.search(q).persons.map((p) => `${p.givenName} ${p.surname}`);
  const ids = (q: string) => store.persons.search(q).persons.map((p) => p.id);

  test('surname matches come first (by surname, then given name), then given-name matches (by given name, then surname)', () => {
    // "ada": surnames Adams, adamson (case-insensitive, in order), then the given names ADA Byron, Ada Lovelace.
    expect(ids('ada')).toEqual([adams.id, adamson.id, adaB.id, ada.id]);
    expect(ids('ADAM')).toEqual([adams.id, adamson.id]);
  });

  test('one and two characters match the start of a field only', () => {
    expect(names('z')).toEqual(['Émile Zola', 'Zed adamson']);
    expect(names('ov')).toEqual([]); // inside "Lovelace": three characters at least
    expect(names('e-')).toEqual(['Ada Lovelace', 'Zed adamson']); // employee ids E-1815, e-77
  });

  test('three characters and more also match inside a name, the full name, the e-mail and the employee id, after the start-of matches', () => {
    expect(ids('ove')).toEqual([ada.id]);
    expect(ids('dams')).toEqual([adams.id, adamson.id]); // inside "Adams" and "adamson", in order of registration
    expect(ids('analytical')).toEqual([ada.id]);
    expect(ids('1815')).toEqual([ada.id]);
    expect(ids('a lov')).toEqual([ada.id]); // inside "Ada Lovelace"
    // Start-of matches first: the surname "adamson", then "Adams" found inside the e-mail "jadams@…".
    expect(ids('adams')).toEqual([adams.id, adamson.id]);
    expect(ids('jadams')).toEqual([adams.id]);
  });

  test('full names: "given surname…" and "surname, given…" or "surname given…"', () => {
    expect(ids('Ada Lov')).toEqual([ada.id]);
    expect(ids('ada byron')).toEqual([adaB.id]);
    expect(ids('Lovelace, Ada')).toEqual([ada.id]);
    expect(ids('lovelace,a')).toEqual([ada.id]);
    expect(ids('Lovelace A')).toEqual([ada.id]);
    expect(ids('Lovelace, John')).toEqual([]);
    expect(ids('Ad Lovelace')).toEqual([]); // the given name is whole in a full name
  });

  test('names with spaces: every space may be the one between given name and surname', () => {
    // "Mary Ann van der Berg": the given name "Mary Ann"; "Mary Ann Smith": Mary, the surname "Ann Smith".
    expect(ids('Mary Ann')).toEqual([mary.id, maryS.id]); // the given-name match first, then the full name
    expect(ids('mary ann van der')).toEqual([mary.id]);
    expect(ids('Mary Ann Smith')).toEqual([maryS.id]);
    expect(ids('van der Berg, Mary')).toEqual([mary.id]);
  });

  test('runs of spaces count as one; leading and trailing spaces are ignored', () => {
    expect(ids('  Ada    Lovelace ')).toEqual([ada.id]);
  });

  test('employee ids and e-mails: the start, case-insensitively', () => {
    expect(ids('e-1815')).toEqual([ada.id]);
    expect(ids('P-')).toEqual([adams.id]);
    expect(ids('MAVDB@')).toEqual([mary.id]);
    expect(ids('countess@analytical.example')).toEqual([ada.id]);
  });

  test('substring matches fold every letter; start-of matches fold ASCII letters', () => {
    expect(ids('ÉMILE')).toEqual([emile.id]); // trigram index, Unicode case folding
    expect(ids('Ém')).toEqual([emile.id]); // start of the given name, same case
  });

  test('a person matching several ways is listed once, where first found', () => {
    // Ada Lovelace: given name "Ada…", and "ada" inside nothing else; ADA Byron likewise; Adams also by e-mail.
    const found = store.persons.search('ada');
    expect(new Set(found.persons.map((p) => p.id)).size).toBe(found.persons.length);
    expect(found).toMatchObject({ total: 4, more: false });
  });

  test('the limit cuts the list, not the count', () => {
    expect(store.persons.search('ada', { limit: 1 })).toMatchObject({ persons: [{ id: adams.id }], total: 4, more: false });
  });

  test('bad input is INVALID_INPUT', () => {
    expect(() => store.persons.search('x'.repeat(201))).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    for (const limit of [0, 501, 1.5]) expect(() => store.persons.search('ada', { limit }), String(limit)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

describe('persons.search: the count', () => {
  const store = memoryStore();
  store.transaction(() => {
    for (let i = 0; i < SEARCH_COUNT_CAP + 20; i++) {
      store.persons.add({ givenName: i % 2 ? 'Odd' : 'Even', surname: `Many${String(i).padStart(4, '0')}`, affiliation: 'visitor' });
    }
  });

  test('is exact up to the cap', () => {
    expect(store.persons.search('Odd')).toMatchObject({ total: (SEARCH_COUNT_CAP + 20) / 2, more: false });
    expect(store.persons.search('Many000')).toMatchObject({ total: 10, more: false });
    expect(store.persons.search('Many000').persons.map((p) => p.surname)).toEqual(Array.from({ length: 10 }, (_, i) => `Many000${i}`));
  });

  test('says "at least the cap" beyond it, and still answers the first page in order', () => {
    const found = store.persons.search('many');
    expect(found).toMatchObject({ total: SEARCH_COUNT_CAP, more: true });
    expect(found.persons.map((p) => p.surname)).toEqual(Array.from({ length: 50 }, (_, i) => `Many${String(i).padStart(4, '0')}`));
    expect(store.persons.search('')).toMatchObject({ total: SEARCH_COUNT_CAP + 20, more: false }); // everyone: the exact total
  });

  test('matches found several ways are counted once', () => {
    // "Even Many0000" … : "even" is a given-name prefix and, from 3 characters, also a substring of the same persons.
    expect(store.persons.search('even')).toMatchObject({ total: (SEARCH_COUNT_CAP + 20) / 2, more: false });
  });
});

describe('persons.search: the count in a large directory', () => {
  // 300 persons, a directory counted as large from 200: the substring pass stops once the answer is full.
  const store = openStore(openDatabase(':memory:'), { largeDirectory: 200 });
  store.transaction(() => {
    for (let i = 0; i < 300; i++) {
      store.persons.add({ givenName: i % 3 ? 'Odd' : 'Third', surname: `Many${String(i).padStart(4, '0')}`, employeeId: `X${String(i).padStart(4, '0')}Q`, affiliation: 'visitor' });
    }
  });

  test('says "at least" when the start-of matches fill the answer and the substring pass stopped', () => {
    // "Odd": 200 given-name matches fill the answer; the substring pass finds 51 and stops: at least 200, perhaps more.
    const odd = store.persons.search('odd');
    expect(odd).toMatchObject({ total: 200, more: true });
    expect(odd.persons.map((p) => p.givenName)).toEqual(Array(50).fill('Odd'));
  });

  test('counts exactly when the start-of matches do not fill the answer', () => {
    // No start-of match: the substring pass counts every match ("hir" inside "Third": 100), under the cap.
    expect(store.persons.search('ddd')).toMatchObject({ total: 0, more: false });
    expect(store.persons.search('hir')).toMatchObject({ total: 100, more: false });
    // "X001" starts 10 employee ids (answer not full): the substring pass adds nobody and ends: exact.
    expect(store.persons.search('X001')).toMatchObject({ total: 10, more: false });
  });

  test('counts exactly in a small directory even when the answer is full', () => {
    const small = openStore(openDatabase(':memory:'));
    small.transaction(() => {
      for (let i = 0; i < 60; i++) small.persons.add({ givenName: 'Odd', surname: `Few${i}`, affiliation: 'visitor' });
    });
    expect(small.persons.search('odd')).toMatchObject({ total: 60, more: false });
  });
});
