/** Persons repository: cardholders and applicants. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AFFILIATIONS, type NewPerson, type PersonRecord } from './records.js';
import { guard, validate, type StoreContext } from './sql.js';

/** Default and maximum number of search results. */
const DEFAULT_SEARCH_LIMIT = 50;
const MAX_SEARCH_LIMIT = 500;

const NAME = z.string().trim().min(1).max(200);
const NEW_PERSON = z.object({
  id: z.uuid().optional(),
  givenName: NAME,
  surname: NAME,
  email: z.email().max(320).nullish(),
  employeeId: z.string().trim().min(1).max(64).nullish(),
  affiliation: z.enum(AFFILIATIONS),
});

interface PersonRow {
  id: string;
  given_name: string;
  surname: string;
  email: string | null;
  employee_id: string | null;
  affiliation: PersonRecord['affiliation'];
  created_at: string;
  updated_at: string;
}

function toRecord(row: PersonRow): PersonRecord {
  return {
    id: row.id,
    givenName: row.given_name,
    surname: row.surname,
    email: row.email,
    employeeId: row.employee_id,
    affiliation: row.affiliation,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Escapes LIKE wildcards so a query matches literally. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface PersonsRepository {
  /** Adds a person. @throws StationError INVALID_INPUT (bad field, duplicate employee id) */
  add(p: NewPerson): PersonRecord;
  get(id: string): PersonRecord | undefined;
  /**
   * Case-insensitive substring search over given name, surname, "given surname",
   * email and employee id; prefix matches of the surname first, then by name.
   * An empty query lists everyone (up to `limit`, default 50, at most 500).
   */
  search(query: string, limit?: number): PersonRecord[];
}

export function personsRepository(ctx: StoreContext): PersonsRepository {
  const { db } = ctx;
  const insert = db.prepare(
    `INSERT INTO persons (id, given_name, surname, email, employee_id, affiliation, created_at, updated_at)
     VALUES (@id, @givenName, @surname, @email, @employeeId, @affiliation, @now, @now)`,
  );
  const byId = db.prepare('SELECT * FROM persons WHERE id = ?');
  const search = db.prepare(
    `SELECT * FROM persons
     WHERE given_name LIKE @pattern ESCAPE '\\' OR surname LIKE @pattern ESCAPE '\\'
        OR (given_name || ' ' || surname) LIKE @pattern ESCAPE '\\'
        OR email LIKE @pattern ESCAPE '\\' OR employee_id LIKE @pattern ESCAPE '\\'
     ORDER BY (surname LIKE @prefix ESCAPE '\\') DESC, surname COLLATE NOCASE, given_name COLLATE NOCASE, id
     LIMIT @limit`,
  );
  return {
    add(p) {
      const v = validate(NEW_PERSON, p, 'person');
      const id = v.id ?? randomUUID();
      guard('person', () =>
        insert.run({ id, givenName: v.givenName, surname: v.surname, email: v.email ?? null, employeeId: v.employeeId ?? null, affiliation: v.affiliation, now: ctx.now() }),
      );
      return toRecord(byId.get(id) as PersonRow);
    },
    get(id) {
      const row = guard('person', () => byId.get(id) as PersonRow | undefined);
      return row ? toRecord(row) : undefined;
    },
    search(query, limit = DEFAULT_SEARCH_LIMIT) {
      const text = validate(z.string().max(200), query, 'search').trim();
      const max = validate(z.number().int().min(1).max(MAX_SEARCH_LIMIT), limit, 'search limit');
      const escaped = likeEscape(text);
      const rows = guard('person', () => search.all({ pattern: `%${escaped}%`, prefix: `${escaped}%`, limit: max }) as PersonRow[]);
      return rows.map(toRecord);
    },
  };
}
