/**
 * Importing persons from a CSV file (issue 4 "Persons: … import from CSV"),
 * the one rule set behind `station person import FILE.csv` and the Persons
 * screen's `persons.import` channel.
 *
 * - **The file**: RFC 4180 (electron/core/csv.ts), header row
 *   `given_name,surname,email,employee_id,affiliation` and optionally
 *   `external_id` (the IDPRS person id). Blank email, employee id or external
 *   id means none.
 * - **Every row is checked before anything is written**, and every bad row is
 *   reported with its line number, so the officer mends the file in one go.
 * - **All or nothing, in one transaction**: a row the store refuses (an
 *   employee id or external id a stored person already has) rolls the whole
 *   import back and is reported with its line.
 * - **A dry run** does everything, store checks included, then rolls back:
 *   the officer sees exactly what the import would say, and nothing is written.
 * - **Audit**: `person.imported` for each person created (the person's
 *   history starts there), and one file-level `persons.import` event with the
 *   count (outcome ok) or the number of bad lines (outcome refused). A dry
 *   run is not an action and writes no audit event.
 */
import { z } from 'zod';
import { readCsv, type CsvRecord } from '../csv.js';
import { StationError } from '../errors.js';
import type { NewPerson } from '../store/records.js';
import type { StationStore } from '../store/store.js';

/** Columns, in the order the header must name them (external_id optional). */
export const CSV_COLUMNS = ['given_name', 'surname', 'email', 'employee_id', 'affiliation'] as const;
const OPTIONAL_COLUMN = 'external_id';

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

/** A person read from the file and the line it is on. */
interface PersonRow {
  line: number;
  person: NewPerson;
}

/** The outcome of an import: how many persons were (or, in a dry run, would be) added, or every bad line. */
export interface ImportResult {
  added: number;
  errors: RowError[];
}

/**
 * Splits CSV text into records (RFC 4180 §2; see electron/core/csv.ts).
 * @throws StationError INVALID_INPUT on an unterminated quoted field
 */
export function parseCsv(text: string): CsvRecord[] {
  return readCsv(text);
}

/** The header problem of `names`, or undefined when the header is right. */
function headerProblem(names: string[]): string | undefined {
  const expected: string[] = [...CSV_COLUMNS];
  const prefixOk = names.slice(0, expected.length).join(',') === expected.join(',');
  const rest = names.slice(expected.length);
  if (prefixOk && (rest.length === 0 || (rest.length === 1 && rest[0] === OPTIONAL_COLUMN))) return undefined;
  return `the header must be ${expected.join(',')}[,${OPTIONAL_COLUMN}]`;
}

/** Reads and checks every row, with its line. */
function readRows(text: string): { rows: PersonRow[]; errors: RowError[] } {
  let records: CsvRecord[];
  try {
    records = readCsv(text);
  } catch (e) {
    if (e instanceof StationError && typeof e.details?.line === 'number') return { rows: [], errors: [{ line: e.details.line, message: 'a quoted field is not closed' }] };
    throw e;
  }
  const header = records.shift();
  if (!header) return { rows: [], errors: [{ line: 1, message: 'the file is empty' }] };
  const names = header.fields.map((h) => h.trim().toLowerCase());
  const badHeader = headerProblem(names);
  if (badHeader) return { rows: [], errors: [{ line: header.line, message: badHeader }] };
  const rows: PersonRow[] = [];
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
    rows.push({ line: r.line, person: { givenName: p.givenName, surname: p.surname, email: p.email, employeeId: p.employeeId, affiliation: p.affiliation, externalId: p.externalId } });
  }
  return errors.length > 0 ? { rows: [], errors } : { rows, errors };
}

/**
 * Validates every row of `text` (no store access).
 * @returns the persons to add, or the errors (never both)
 */
export function validatePersonsCsv(text: string): { persons: NewPerson[]; errors: RowError[] } {
  const { rows, errors } = readRows(text);
  return { persons: rows.map((r) => r.person), errors };
}

/** Thrown inside the transaction to roll it back; never leaves this module. */
class RollBack extends Error {}

/**
 * Imports the persons of CSV `text`, all or nothing.
 * @param actor audit actor (the officer's username)
 * @param options.dryRun check everything, store included, and write nothing (no audit event either)
 * @returns how many persons were added (would be, in a dry run), or every bad line (then nothing was written)
 */
export function importPersons(store: StationStore, text: string, actor: string, options: { dryRun?: boolean } = {}): ImportResult {
  const dryRun = options.dryRun ?? false;
  const { rows, errors } = readRows(text);
  const refuse = (bad: RowError[]): ImportResult => {
    if (!dryRun) store.audit.append({ actor, action: 'persons.import', outcome: 'refused', personId: null, details: { badLines: bad.length, firstBadLine: bad[0]?.line ?? null } });
    return { added: 0, errors: bad };
  };
  if (errors.length > 0) return refuse(errors);
  const storeErrors: RowError[] = [];
  try {
    store.transaction(() => {
      for (const { line, person } of rows) {
        try {
          const created = store.persons.add(person);
          if (!dryRun) store.audit.append({ actor, action: 'person.imported', outcome: 'ok', personId: created.id });
        } catch (e) {
          storeErrors.push({ line, message: e instanceof StationError ? e.message : 'the row could not be stored' });
        }
      }
      // Any refused row, or a dry run, rolls the whole import back.
      if (storeErrors.length > 0 || dryRun) throw new RollBack();
      store.audit.append({ actor, action: 'persons.import', outcome: 'ok', personId: null, details: { imported: rows.length } });
    });
  } catch (e) {
    if (!(e instanceof RollBack)) throw e;
  }
  if (storeErrors.length > 0) return refuse(storeErrors);
  return { added: rows.length, errors: [] };
}
