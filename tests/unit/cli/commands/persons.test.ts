/**
 * CSV person import as `station person import` does it: the file read by the
 * CLI (readPersonsFile), RFC 4180 parsing and per-row validation with line
 * numbers and the all-or-nothing import in the core.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { readPersonsFile } from '../../../../electron/cli/commands/persons.js';
import { importPersons, parseCsv, validatePersonsCsv } from '../../../../electron/core/workflow/person-import.js';
import type { StationStore } from '../../../../electron/core/store/store.js';

/** The CLI's import: the file read by the CLI, imported by the core. */
const importPersonsCsv = (store: StationStore, path: string, actor: string) => importPersons(store, readPersonsFile(path), actor);
import { memoryStore } from '../../core/store/helpers.js';

const HEADER = 'given_name,surname,email,employee_id,affiliation';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function file(text: string): string {
  const d = mkdtempSync(join(tmpdir(), 'csv-'));
  dirs.push(d);
  const p = join(d, 'persons.csv');
  writeFileSync(p, text);
  return p;
}

describe('parseCsv', () => {
  test('quoted fields with commas, doubled quotes and line breaks; CRLF; BOM; blank lines; line numbers', () => {
    const text = '\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\r\n"multi\nline",z\nlast,row';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 4, fields: ['multi\nline', 'z'] },
      { line: 6, fields: ['last', 'row'] },
    ]);
    expect(() => parseCsv('a,"open\n')).toThrow(/Line 1: a quoted field is not closed/);
  });
});

describe('validatePersonsCsv', () => {
  test('a good file: every row, blanks as null, optional external_id', () => {
    const { persons, errors } = validatePersonsCsv(`${HEADER},external_id\nAda,Lovelace,ada@example.test,1815,employee,ID-1\n"Hopper, Grace",Hopper,,,contractor,\n`);
    expect(errors).toEqual([]);
    expect(persons).toEqual([
      { givenName: 'Ada', surname: 'Lovelace', email: 'ada@example.test', employeeId: '1815', affiliation: 'employee', externalId: 'ID-1' },
      { givenName: 'Hopper, Grace', surname: 'Hopper', email: null, employeeId: null, affiliation: 'contractor', externalId: null },
    ]);
  });

  test('a bad file: every bad row reported with its line number, and nothing to import', () => {
    const text = [
      HEADER,
      'Ada,Lovelace,ada@example.test,1815,employee',
      'Bad,Mail,not-a-mail,1,employee',
      ',NoName,,,visitor',
      'Too,Few,fields',
      'Dup,Id,,1815,contractor',
      'Alien,Being,,,martian',
    ].join('\n');
    const { persons, errors } = validatePersonsCsv(text);
    expect(persons).toEqual([]);
    expect(errors).toEqual([
      { line: 3, message: 'email is not an e-mail address' },
      { line: 4, message: 'given_name is empty' },
      { line: 5, message: 'expected 5 fields, found 3' },
      { line: 6, message: 'employee_id 1815 already appears on line 2' },
      { line: 7, message: 'affiliation must be employee, contractor or visitor' },
    ]);
    expect(validatePersonsCsv('name,surname\nA,B').errors).toEqual([{ line: 1, message: expect.stringContaining('the header must be') }]);
    expect(validatePersonsCsv('').errors).toEqual([{ line: 1, message: 'the file is empty' }]);
  });
});

describe('importPersonsCsv', () => {
  test('imports a good file in one transaction, audited per person', () => {
    const store = memoryStore();
    const r = importPersonsCsv(store, file(`${HEADER}\nAda,Lovelace,,1815,employee\nGrace,Hopper,,,contractor\n`), 'registrar');
    expect(r).toEqual({ added: 2, errors: [] });
    expect(store.persons.search('Hopper').persons.map((p) => p.givenName)).toEqual(['Grace']);
    expect(store.audit.list().filter((e) => e.action === 'person.imported').map((e) => e.actor)).toEqual(['registrar', 'registrar']);
  });

  test('a row clashing with a stored person rolls the whole import back, naming the line', () => {
    const store = memoryStore();
    store.persons.add({ givenName: 'Old', surname: 'Timer', employeeId: '1815', affiliation: 'employee' });
    const r = importPersonsCsv(store, file(`${HEADER}\nNew,One,,77,employee\nAda,Lovelace,,1815,employee\n`), 'registrar');
    expect(r.added).toBe(0);
    expect(r.errors).toEqual([{ line: 3, message: expect.stringContaining('already exists') }]);
    expect(store.persons.search('One').persons).toEqual([]);
    expect(store.audit.list().filter((e) => e.action === 'person.imported')).toEqual([]);
  });

  test('a missing file is INVALID_INPUT', () => {
    expect(() => importPersonsCsv(memoryStore(), '/no/such/file.csv', 'x')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
