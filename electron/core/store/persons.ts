/** Persons repository: cardholders and applicants. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AFFILIATIONS, type NewPerson, type PersonRecord } from './records.js';
import { plainName } from '../../contract/plain-text.js';
import { guard, notFound, setClause, validate, type StoreContext } from './sql.js';

/** Shortest query the trigram index answers (FTS5 trigram tokenizer); shorter ones use the name indexes. */
const TRIGRAM = 3;

/** Most persons one browse page holds. */
export const MAX_PAGE_SIZE = 500;

/** Default and maximum number of search results. */
const DEFAULT_SEARCH_LIMIT = 50;
const MAX_SEARCH_LIMIT = 500;

// The last guard for every way a person is written (desk, CSV, IDPRS): plain text only (contract/plain-text.ts).
const NAME = plainName('The name', 200);
const NEW_PERSON = z.object({
  id: z.uuid().optional(),
  givenName: NAME,
  surname: NAME,
  email: z.email().max(320).nullish(),
  employeeId: plainName('The employee id', 64).nullish(),
  affiliation: z.enum(AFFILIATIONS),
  externalId: plainName('The external id', 128).nullish(),
});

/** Fields an edit may change (the id and timestamps are the store's). */
const PERSON_PATCH = NEW_PERSON.omit({ id: true }).partial().strict();
const PATCH_COLUMNS: Record<string, string> = {
  givenName: 'given_name',
  surname: 'surname',
  email: 'email',
  employeeId: 'employee_id',
  affiliation: 'affiliation',
  externalId: 'external_id',
};

interface PersonRow {
  id: string;
  given_name: string;
  surname: string;
  email: string | null;
  employee_id: string | null;
  affiliation: PersonRecord['affiliation'];
  external_id: string | null;
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
    externalId: row.external_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Escapes LIKE wildcards so a query matches literally. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Which page of persons to browse. */
export interface PersonPage {
  offset: number;
  limit: number;
  affiliation?: PersonRecord['affiliation'];
}

const PAGE = z.object({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(MAX_PAGE_SIZE), affiliation: z.enum(AFFILIATIONS).optional() });

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
  /**
   * One page of everyone (browse), sorted by surname, then given name
   * (case-insensitive), then id so pages never overlap; optionally only one
   * affiliation. `offset` counts persons skipped, `limit` at most MAX_PAGE_SIZE.
   * @returns the page and how many persons match in all
   * @throws StationError INVALID_INPUT (bad offset, limit or affiliation)
   */
  list(page: PersonPage): { persons: PersonRecord[]; total: number };
  /** The person with that IDPRS person id. */
  findByExternalId(externalId: string): PersonRecord | undefined;
  /** The person with exactly that employee id (case-sensitive; the column is unique). */
  findByEmployeeId(employeeId: string): PersonRecord | undefined;
  /**
   * Changes the given fields and `updatedAt`.
   * @throws StationError NOT_FOUND_RECORD (no such person), INVALID_INPUT (bad field, duplicate employee/external id)
   */
  update(id: string, patch: Partial<Omit<NewPerson, 'id'>>): PersonRecord;
}

export function personsRepository(ctx: StoreContext): PersonsRepository {
  const { db } = ctx;
  const insert = db.prepare(
    `INSERT INTO persons (id, given_name, surname, email, employee_id, affiliation, external_id, created_at, updated_at)
     VALUES (@id, @givenName, @surname, @email, @employeeId, @affiliation, @externalId, @now, @now)`,
  );
  const byId = db.prepare('SELECT * FROM persons WHERE id = ?');
  const byExternalId = db.prepare('SELECT * FROM persons WHERE external_id = ?');
  const byEmployeeId = db.prepare('SELECT * FROM persons WHERE employee_id = ?');
  // Short queries: a scan bounded by LIMIT (a 1-2 character substring matches most rows anyway).
  const search = db.prepare(
    `SELECT * FROM persons
     WHERE given_name LIKE @pattern ESCAPE '\\' OR surname LIKE @pattern ESCAPE '\\'
        OR (given_name || ' ' || surname) LIKE @pattern ESCAPE '\\'
        OR email LIKE @pattern ESCAPE '\\' OR employee_id LIKE @pattern ESCAPE '\\'
     ORDER BY (surname LIKE @prefix ESCAPE '\\') DESC, surname COLLATE NOCASE, given_name COLLATE NOCASE, id
     LIMIT @limit`,
  );
  // Queries of 3+ characters: candidates from the trigram index, then the same LIKE filter and order.
  const searchIndexed = db.prepare(
    `SELECT p.* FROM persons p
     WHERE p.rowid IN (SELECT rowid FROM persons_fts WHERE persons_fts MATCH @match)
       AND (p.given_name LIKE @pattern ESCAPE '\\' OR p.surname LIKE @pattern ESCAPE '\\'
        OR (p.given_name || ' ' || p.surname) LIKE @pattern ESCAPE '\\'
        OR p.email LIKE @pattern ESCAPE '\\' OR p.employee_id LIKE @pattern ESCAPE '\\')
     ORDER BY (p.surname LIKE @prefix ESCAPE '\\') DESC, p.surname COLLATE NOCASE, p.given_name COLLATE NOCASE, p.id
     LIMIT @limit`,
  );
  // Browse: the page's rowids first (only the sort columns are read for the skipped rows), then the rows.
  // Migration 8's persons_browse indexes hold exactly this order, so a deep page is an index walk, not a sort (bench/person-search.ts).
  const BROWSE_ORDER = 'ORDER BY surname COLLATE NOCASE, given_name COLLATE NOCASE, id LIMIT @limit OFFSET @offset';
  const pageAll = db.prepare(`SELECT p.* FROM (SELECT rowid AS r FROM persons ${BROWSE_ORDER}) s JOIN persons p ON p.rowid = s.r ORDER BY p.surname COLLATE NOCASE, p.given_name COLLATE NOCASE, p.id`);
  const pageOf = db.prepare(
    `SELECT p.* FROM (SELECT rowid AS r FROM persons WHERE affiliation = @affiliation ${BROWSE_ORDER}) s JOIN persons p ON p.rowid = s.r ORDER BY p.surname COLLATE NOCASE, p.given_name COLLATE NOCASE, p.id`,
  );
  const countAll = db.prepare('SELECT count(*) AS n FROM persons');
  const countOf = db.prepare('SELECT count(*) AS n FROM persons WHERE affiliation = ?');
  return {
    add(p) {
      const v = validate(NEW_PERSON, p, 'person');
      const id = v.id ?? randomUUID();
      guard('person', () =>
        insert.run({
          id,
          givenName: v.givenName,
          surname: v.surname,
          email: v.email ?? null,
          employeeId: v.employeeId ?? null,
          affiliation: v.affiliation,
          externalId: v.externalId ?? null,
          now: ctx.now(),
        }),
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
      const params = { pattern: `%${escaped}%`, prefix: `${escaped}%`, limit: max };
      const rows = guard('person', () =>
        (text.length >= TRIGRAM ? searchIndexed.all({ ...params, match: ftsPhrase(text) }) : search.all(params)) as PersonRow[],
      );
      return rows.map(toRecord);
    },
    list(page) {
      const { offset, limit, affiliation } = validate(PAGE, page, 'page');
      return guard('person', () => {
        const rows = (affiliation ? pageOf.all({ offset, limit, affiliation }) : pageAll.all({ offset, limit })) as PersonRow[];
        const total = (affiliation ? countOf.get(affiliation) : countAll.get()) as { n: number };
        return { persons: rows.map(toRecord), total: total.n };
      });
    },
    findByExternalId(externalId) {
      const row = guard('person', () => byExternalId.get(externalId) as PersonRow | undefined);
      return row ? toRecord(row) : undefined;
    },
    findByEmployeeId(employeeId) {
      const row = guard('person', () => byEmployeeId.get(employeeId) as PersonRow | undefined);
      return row ? toRecord(row) : undefined;
    },
    update(id, patch) {
      const v = validate(PERSON_PATCH, patch, 'person');
      const set = setClause(v, PATCH_COLUMNS, 'person');
      const result = guard('person', () =>
        db.prepare(`UPDATE persons SET ${set ? `${set}, ` : ''}updated_at = @updatedAt WHERE id = @id`).run({ ...v, id, updatedAt: ctx.now() }),
      );
      if (result.changes === 0) throw notFound('person', id);
      return toRecord(byId.get(id) as PersonRow);
    },
  };
}

/** The query as one FTS5 phrase (double quotes doubled), so operators in it are plain text. */
function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}
