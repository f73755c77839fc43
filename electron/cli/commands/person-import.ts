/**
 * `station person import FILE.csv`: persons from a CSV file (RFC 4180:
 * comma-separated, double-quoted fields may hold commas, quotes doubled,
 * CRLF or LF). Header row: given_name,surname,email,employee_id,affiliation
 * and optionally external_id. Every row is validated first; any bad row
 * (reported with its line number) imports nothing: all or nothing, in one
 * transaction.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { StationError } from '../../core/errors.js';
import type { StationStore } from '../../core/store/store.js';
import type { NewPerson } from '../../core/store/records.js';

/** Columns, in the order the header must name them (external_id optional). */
export const CSV_COLUMNS = ['given_name', 'surname', 'email', 'employee_id', 'affiliation'] as const;
const OPTIONAL_COLUMN = 'external_id';
/** Refuse files larger than this (a CSV of 1 000 000 persons is ~100 MB). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

const blankToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);
const Row = z.object({
  givenName: z.string().trim().min(1, 'given_name is empty').max(64, 'given_name is longer than 64 characters'),
  surname: z.string().trim().min(1, 'surname is empty').max(64, 'surname is longer than 64 characters'),
  email: z.preprocess(blankToNull, z.email('email is not an e-mail address').max(254).nullable()),
  employeeId: z.preprocess(blankToNull, z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'employee_id must be 1 to 32 letters, digits or dashes').nullable()),
  affiliation: z.enum(['employee', 'contractor', 'visitor'], 'affiliation must be employee, contractor or visitor'),
  externalId: z.preprocess(blankToNull, z.string().trim().min(1).max(128, 'external_id is longer than 128 characters').nullable()),
});

/** A row that failed, with its 1-based line number in the file. */
export interface RowError {
  line: number;
  message: string;
}

/** A parsed record and the line it starts on. */
interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Splits CSV text into records (RFC 4180).
 * @throws StationError INVALID_INPUT on an unterminated quoted field
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte order mark
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += c;
  }
  if (quoted) throw new StationError('INVALID_INPUT', `Line ${recordLine}: a quoted field is not closed.`, { line: recordLine });
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/**
 * Validates every row of `text`.
 * @returns the persons to add, or the errors (never both)
 */
export function validatePersonsCsv(text: string): { persons: NewPerson[]; errors: RowError[] } {
  const records = parseCsv(text);
  const header = records.shift();
  if (!header) return { persons: [], errors: [{ line: 1, message: 'the file is empty' }] };
  const names = header.fields.map((h) => h.trim().toLowerCase());
  const expected = [...CSV_COLUMNS];
  const withExternal = names.length === expected.length + 1;
  if (names.slice(0, expected.length).join(',') !== expected.join(',') || (withExternal && names[expected.length] !== OPTIONAL_COLUMN) || names.length > expected.length + 1) {
    return { persons: [], errors: [{ line: header.line, message: `the header must be ${expected.join(',')}[,${OPTIONAL_COLUMN}]` }] };
  }
  const persons: NewPerson[] = [];
  const errors: RowError[] = [];
  const seenEmployeeIds = new Map<string, number>();
  for (const r of records) {
    if (r.fields.length !== names.length) {
      errors.push({ line: r.line, message: `expected ${names.length} fields, found ${r.fields.length}` });
      continue;
    }
    const [givenName, surname, email, employeeId, affiliation, externalId] = r.fields;
    const parsed = Row.safeParse({ givenName, surname, email, employeeId, affiliation: affiliation?.trim(), externalId: externalId ?? null });
    if (!parsed.success) {
      errors.push({ line: r.line, message: parsed.error.issues.map((i) => i.message).join('; ') });
      continue;
    }
    const p = parsed.data;
    if (p.employeeId) {
      const first = seenEmployeeIds.get(p.employeeId);
      if (first !== undefined) {
        errors.push({ line: r.line, message: `employee_id ${p.employeeId} already appears on line ${first}` });
        continue;
      }
      seenEmployeeIds.set(p.employeeId, r.line);
    }
    persons.push({ givenName: p.givenName, surname: p.surname, email: p.email, employeeId: p.employeeId, affiliation: p.affiliation, externalId: p.externalId });
  }
  return errors.length > 0 ? { persons: [], errors } : { persons, errors };
}

/**
 * Imports a persons CSV file, all or nothing.
 * @param actor audit actor (officer username)
 * @returns how many persons were added
 * @throws StationError INVALID_INPUT with details.errors (a line per bad row) when any row is bad
 *   or a row clashes with a stored person (duplicate employee id / external id)
 */
export function importPersonsCsv(store: StationStore, path: string, actor: string): { added: number; errors: RowError[] } {
  let text: string;
  try {
    const buf = readFileSync(path);
    if (buf.length > MAX_FILE_BYTES) throw new StationError('INVALID_INPUT', 'The CSV file is too large (more than 256 MB).');
    text = buf.toString('utf8');
  } catch (e) {
    if (e instanceof StationError) throw e;
    throw new StationError('INVALID_INPUT', `The file ${path} cannot be read.`);
  }
  const { persons, errors } = validatePersonsCsv(text);
  if (errors.length > 0) return { added: 0, errors };
  // Row numbers for store-level refusals (duplicate ids against stored persons): header is line 1.
  const lines = parseCsv(text).slice(1).map((r) => r.line);
  let added = 0;
  const storeErrors: RowError[] = [];
  try {
    store.transaction(() => {
      persons.forEach((p, i) => {
        try {
          const created = store.persons.add(p);
          added++;
          store.audit.append({ actor, action: 'person.imported', outcome: 'ok', personId: created.id });
        } catch (e) {
          storeErrors.push({ line: lines[i] ?? 0, message: e instanceof StationError ? e.message : 'the row could not be stored' });
        }
      });
      // Any refused row rolls the whole import back.
      if (storeErrors.length > 0) throw new StationError('INVALID_INPUT', 'The import was rolled back.');
    });
  } catch (e) {
    if (storeErrors.length > 0) return { added: 0, errors: storeErrors };
    throw e;
  }
  return { added, errors: [] };
}
