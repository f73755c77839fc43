/**
 * The core's person import (electron/core/workflow/person-import.ts): header
 * errors, each row rule with its line, all or nothing, the dry run that
 * writes nothing, and the audit (per person created, one event per file).
 */
import { describe, expect, test } from 'vitest';
import { importPersons, validatePersonsCsv } from '../../../../electron/core/workflow/person-import.js';
import type { StationStore } from '../../../../electron/core/store/store.js';
import { memoryStore } from '../store/helpers.js';

const HEADER = 'given_name,surname,email,employee_id,affiliation';

/** Every person and audit row, to prove nothing was written. */
function snapshot(store: StationStore) {
  return { persons: store.persons.list({ limit: 500 }), audit: store.audit.count() };
}

describe('header', () => {
  test('wrong, missing, reordered or extra columns are refused on the header line; case and spaces do not matter', () => {
    const headerError = (text: string) => validatePersonsCsv(text).errors;
    const expected = [{ line: 1, message: 'the header must be given_name,surname,email,employee_id,affiliation[,external_id]' }];
    expect(headerError('surname,given_name,email,employee_id,affiliation\nA,B,,,visitor')).toEqual(expected);
    expect(headerError('given_name,surname,email,employee_id\nA,B,,')).toEqual(expected);
    expect(headerError(`${HEADER},idprs\nA,B,,,visitor,x`)).toEqual(expected);
    expect(headerError(`${HEADER},external_id,more\nA,B,,,visitor,x,y`)).toEqual(expected);
    expect(headerError('\n\n' + HEADER.replace('surname', 'name'))).toEqual([{ line: 3, message: expected[0]!.message }]);
    expect(headerError(' Given_Name , SURNAME,email,employee_id,affiliation\nA,B,,,visitor')).toEqual([]);
    expect(validatePersonsCsv(' Given_Name , SURNAME,email,employee_id,affiliation\nA,B,,,visitor').persons).toHaveLength(1);
    expect(headerError('')).toEqual([{ line: 1, message: 'the file is empty' }]);
  });
});

describe('row rules', () => {
  test.each([
    ['an empty given name', ' ,Lovelace,,,employee', 'given_name is empty'],
    ['an empty surname', 'Ada,,,,employee', 'surname is empty'],
    ['a long given name', `${'g'.repeat(65)},Lovelace,,,employee`, 'given_name is longer than 64 characters'],
    ['a long surname', `Ada,${'s'.repeat(65)},,,employee`, 'surname is longer than 64 characters'],
    ['a bad e-mail', 'Ada,Lovelace,ada-at-example,,employee', 'email is not an e-mail address'],
    ['a bad employee id', 'Ada,Lovelace,,E 1,employee', 'employee_id must be 1 to 32 letters, digits or dashes'],
    ['an unknown affiliation', 'Ada,Lovelace,,,astronaut', 'affiliation must be employee, contractor or visitor'],
    ['too few fields', 'Ada,Lovelace', 'expected 5 fields, found 2'],
    ['too many fields', 'Ada,Lovelace,,,employee,extra', 'expected 5 fields, found 6'],
  ])('%s is reported on its line', (_what, row, message) => {
    expect(validatePersonsCsv(`${HEADER}\nGrace,Hopper,,,contractor\n${row}\n`)).toEqual({ persons: [], errors: [{ line: 3, message }] });
  });

  test('an employee id repeated in the file names the first line; a long external id is refused', () => {
    expect(validatePersonsCsv(`${HEADER}\nA,B,,E-1,visitor\nC,D,,E-1,visitor\n`).errors).toEqual([{ line: 3, message: 'employee_id E-1 already appears on line 2' }]);
    expect(validatePersonsCsv(`${HEADER},external_id\nA,B,,,visitor,${'x'.repeat(129)}\n`).errors).toEqual([{ line: 2, message: 'external_id is longer than 128 characters' }]);
  });

  test('a quoted field spanning lines moves the later line numbers; an unclosed quote is a line error', () => {
    expect(validatePersonsCsv(`${HEADER}\n"Ada\nMarie",Lovelace,,,employee\nX,Y,,,martian\n`).errors).toEqual([{ line: 4, message: 'affiliation must be employee, contractor or visitor' }]);
    expect(validatePersonsCsv(`${HEADER}\nA,"B,,,visitor\n`).errors).toEqual([{ line: 2, message: 'a quoted field is not closed' }]);
  });
});

describe('importPersons', () => {
  test('a good file: every person stored with its fields, one person.imported each, one file-level persons.import', () => {
    const store = memoryStore();
    const r = importPersons(store, `\uFEFF${HEADER},external_id\r\nAda,Lovelace,ada@example.test,E-1,employee,IDPRS-1\r\n"Hopper, Grace",Hopper,,,contractor,\r\n`, 'registrar');
    expect(r).toEqual({ added: 2, errors: [] });
    const { persons, total } = store.persons.list({ limit: 10 });
    expect(total).toBe(2);
    expect(persons.map((p) => [p.givenName, p.surname, p.email, p.employeeId, p.affiliation, p.externalId])).toEqual([
      ['Hopper, Grace', 'Hopper', null, null, 'contractor', null],
      ['Ada', 'Lovelace', 'ada@example.test', 'E-1', 'employee', 'IDPRS-1'],
    ]);
    const events = store.audit.list();
    expect(events.filter((e) => e.action === 'person.imported').map((e) => [e.actor, e.personId])).toEqual(persons.map((p) => ['registrar', p.id]).reverse());
    expect(events.filter((e) => e.action === 'persons.import').map((e) => [e.actor, e.outcome, e.details])).toEqual([['registrar', 'ok', { imported: 2 }]]);
  });

  test('bad rows: nothing stored, one refused file-level event with the count of bad lines', () => {
    const store = memoryStore();
    const r = importPersons(store, `${HEADER}\nAda,Lovelace,,,employee\nBad,Row,,,martian\n,Empty,,,visitor\n`, 'registrar');
    expect(r).toEqual({ added: 0, errors: [{ line: 3, message: expect.any(String) }, { line: 4, message: 'given_name is empty' }] });
    expect(store.persons.list({ limit: 10 }).total).toBe(0);
    expect(store.audit.list().map((e) => [e.action, e.outcome, e.details])).toEqual([['persons.import', 'refused', { badLines: 2, firstBadLine: 3 }]]);
  });

  test('all or nothing: a row clashing with a stored person rolls back the rows before it', () => {
    const store = memoryStore();
    store.persons.add({ givenName: 'Old', surname: 'Timer', employeeId: 'E-9', affiliation: 'employee', externalId: 'X-1' });
    const r = importPersons(store, `${HEADER},external_id\nNew,One,,E-7,employee,\nTwo,Clash,,,visitor,X-1\nThree,Clash,,E-9,visitor,\n`, 'registrar');
    expect(r.added).toBe(0);
    expect(r.errors.map((e) => e.line)).toEqual([3, 4]);
    expect(store.persons.list({ limit: 10 }).persons.map((p) => p.surname)).toEqual(['Timer']);
    expect(store.audit.list().filter((e) => e.action === 'person.imported')).toEqual([]);
  });

  test('a dry run reports the count, or every bad line including store clashes, and writes nothing at all', () => {
    const store = memoryStore();
    store.persons.add({ givenName: 'Old', surname: 'Timer', employeeId: 'E-9', affiliation: 'employee' });
    const before = snapshot(store);
    expect(importPersons(store, `${HEADER}\nAda,Lovelace,,E-1,employee\nGrace,Hopper,,,contractor\n`, 'registrar', { dryRun: true })).toEqual({ added: 2, errors: [] });
    expect(importPersons(store, `${HEADER}\nAda,Lovelace,,E-9,employee\n`, 'registrar', { dryRun: true })).toEqual({ added: 0, errors: [{ line: 2, message: expect.stringContaining('already exists') }] });
    expect(importPersons(store, `${HEADER}\nAda,Lovelace,,,pilot\n`, 'registrar', { dryRun: true }).errors).toHaveLength(1);
    expect(snapshot(store)).toEqual(before);
    // The same file then imports for real.
    expect(importPersons(store, `${HEADER}\nAda,Lovelace,,E-1,employee\nGrace,Hopper,,,contractor\n`, 'registrar')).toEqual({ added: 2, errors: [] });
    expect(store.persons.list({ limit: 10 }).total).toBe(3);
  });
});
