/** Persons repository: cardholders and applicants. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Statement } from 'better-sqlite3';
import { AFFILIATIONS, type Affiliation, type NewPerson, type PersonRecord } from './records.js';
import { plainName } from '../../contract/plain-text.js';
import { guard, notFound, setClause, validate, type StoreContext } from './sql.js';

/** Shortest query the trigram index answers (FTS5 trigram tokenizer): shorter ones match the start of a field only. */
const TRIGRAM = 3;

/** Most persons one browse page holds. */
export const MAX_PAGE_SIZE = 500;

/** Default and maximum number of search results. */
const DEFAULT_SEARCH_LIMIT = 50;
const MAX_SEARCH_LIMIT = 500;

/**
 * How far a search counts its matches: up to here the count is exact, beyond it
 * the answer says "at least SEARCH_COUNT_CAP" (counting every match of "a" in
 * a million persons would cost more than the search). The substring pass also
 * stops early once the start-of matches have filled the answer (see
 * {@link PersonsRepository.search}).
 */
export const SEARCH_COUNT_CAP = 1000;

/**
 * Persons from which the substring pass stops early (see {@link PersonsRepository.search}). Below it
 * the pass counts every match (under about a millisecond at 100 000 persons, bench/person-search.ts);
 * at 1 000 000 a rare substring walks the trigram index for 4-6 ms of CPU, which a busy 2-core
 * machine stretched past the 20 ms an officer's keystroke may take (issue 14).
 */
export const LARGE_DIRECTORY = 100_000;

/**
 * The largest code point: appended to a prefix it bounds the prefix's range,
 * `prefix <= s < prefix + U+10FFFF` (NOCASE compares UTF-8 bytes after folding
 * ASCII letters; no character sorts after U+10FFFF, a noncharacter no name holds).
 */
const MAX_CHAR = String.fromCodePoint(0x10ffff);

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

/** Where a person sits in the browse order: surname, then given name (case-insensitive), then id. */
export interface PersonKey {
  surname: string;
  givenName: string;
  id: string;
}

/**
 * Which browse page: the first (no position given), the last, or the one just
 * after, just before or starting at a person's place in the order (keyset
 * paging: a seek in the browse index, as fast at the millionth person as at
 * the first). The key need not be a person that still exists.
 */
export interface PersonPageRequest {
  limit: number;
  affiliation?: Affiliation;
  /** The page of persons after this key (Next). */
  after?: PersonKey;
  /** The page of persons before this key (Previous). */
  before?: PersonKey;
  /** The page starting at this key or the first person after it (the same page again). */
  from?: PersonKey;
  /** The last page. */
  last?: boolean;
}

/** One browse page, the exact number of persons in the list, and whether pages lie before and after it. */
export interface PersonPage {
  persons: PersonRecord[];
  total: number;
  hasBefore: boolean;
  hasAfter: boolean;
}

/**
 * A search's answer: the first matches, and how many match. `more` false: exactly `total` match;
 * `more` true: the count stopped early, at least `total` match (maybe more).
 */
export interface PersonMatches {
  persons: PersonRecord[];
  total: number;
  more: boolean;
}

const KEY = z.object({ surname: z.string().max(200), givenName: z.string().max(200), id: z.string().max(64) }).strict();
const PAGE = z
  .object({
    limit: z.number().int().min(1).max(MAX_PAGE_SIZE),
    affiliation: z.enum(AFFILIATIONS).optional(),
    after: KEY.optional(),
    before: KEY.optional(),
    from: KEY.optional(),
    last: z.boolean().optional(),
  })
  .strict()
  .refine((p) => [p.after, p.before, p.from, p.last || undefined].filter((x) => x !== undefined).length <= 1, 'Give at most one of after, before, from and last.');

export interface PersonsRepository {
  /** Adds a person. @throws StationError INVALID_INPUT (bad field, duplicate employee id) */
  add(p: NewPerson): PersonRecord;
  get(id: string): PersonRecord | undefined;
  /**
   * Finds persons as an officer types, case-insensitively (ASCII letters in
   * the start-of matches; the substring matches fold every letter), in this
   * order, each kind in its index's order, a person listed once:
   * 1. the surname starts with the query (by surname, given name, id);
   * 2. the given name starts with it (by given name, surname, id);
   * 3. a full name: "given surname…" (the whole given name, then the start of
   *    the surname) or "surname given…" / "surname, given…";
   * 4. the employee id starts with it; 5. the e-mail starts with it;
   * 6. from 3 characters on, the query appears anywhere in the given name,
   *    surname, "given surname", e-mail or employee id (trigram index; in
   *    order of registration).
   * Runs of spaces in the query count as one. An empty query lists everyone
   * in browse order.
   * The count is exact (`more` false) unless counting stopped early, when it
   * is a lower bound (`more` true, "at least `total`"): past SEARCH_COUNT_CAP,
   * or, in a directory of LARGE_DIRECTORY persons or more, when kinds 1-5
   * already filled the answer and the substring pass (the one whose cost
   * grows with the directory: a rare substring walks the trigram index to its
   * end) found `limit` + 1 persons and stopped there.
   * @param options.limit persons in the answer, default 50, at most 500
   * @throws StationError INVALID_INPUT (query over 200 characters, bad limit)
   */
  search(query: string, options?: { limit?: number }): PersonMatches;
  /**
   * One browse page of everyone or of one affiliation, in surname, given name
   * (case-insensitive), id order, with the exact total (kept by migration 13's
   * person_counts) and whether pages lie before and after it.
   * @throws StationError INVALID_INPUT (bad limit, affiliation or key, more than one position)
   */
  list(page: PersonPageRequest): PersonPage;
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

/**
 * The browse order, ascending or descending (persons_browse, persons_browse_affiliation: migration 8),
 * and a seek in it. The seek's collations sit on the right-hand side: with them on the columns, SQLite
 * does not take the row value as a range of the index and walks it from the start.
 */
const browseSeek = (op: string) => `(surname, given_name, id) ${op} (@surname COLLATE NOCASE, @givenName COLLATE NOCASE, @id)`;
const browseOrder = (direction: 'ASC' | 'DESC') => `surname COLLATE NOCASE ${direction}, given_name COLLATE NOCASE ${direction}, id ${direction}`;

/** `column` starts with @lo: a range of a NOCASE index. */
const startsWith = (column: string) => `${column} COLLATE NOCASE >= @lo AND ${column} COLLATE NOCASE < @hi`;

/**
 * The kinds of match a search tries, in the order it shows them: each one
 * statement returning rowids in its index's order, at most @n.
 * `full` kinds run once per way of splitting the query into two names.
 *
 * The substring kind's cost (issue 14, bench/person-search.ts at 1 000 000
 * persons): FTS5 answers a trigram phrase by walking its trigrams' row lists
 * together, so a text that few rows hold but whose trigrams most rows share
 * reads those lists whole — the end of an e-mail across the domain every
 * e-mail has ("932606@agency.example", 19 trigrams, 13 of them in every row):
 * 35 ms of CPU; a full name nobody has ("Ada Hopper"): up to 12 ms. A bound on
 * the rowid does not shorten the walk (FTS5 finds the phrase's first match
 * before it skips). Checking the rarest trigrams' candidate rows in a small
 * in-memory FTS5 table instead was tried and measured: it cut those two to a
 * few ms but cost the common kinds (whole surname, employee id) 1–3 ms each,
 * and when a thousand persons share the text it fell back to the same walk.
 */
const SEARCH_KINDS = {
  surname: `SELECT rowid FROM persons WHERE ${startsWith('surname')} ORDER BY ${browseOrder('ASC')} LIMIT @n`,
  givenName: `SELECT rowid FROM persons WHERE ${startsWith('given_name')} ORDER BY given_name COLLATE NOCASE, surname COLLATE NOCASE, id LIMIT @n`,
  givenThenSurname: `SELECT rowid FROM persons WHERE given_name COLLATE NOCASE = @first AND ${startsWith('surname')} ORDER BY surname COLLATE NOCASE, id LIMIT @n`,
  surnameThenGiven: `SELECT rowid FROM persons WHERE surname COLLATE NOCASE = @first AND ${startsWith('given_name')} ORDER BY given_name COLLATE NOCASE, id LIMIT @n`,
  employeeId: `SELECT rowid FROM persons WHERE ${startsWith('employee_id')} ORDER BY employee_id COLLATE NOCASE LIMIT @n`,
  email: `SELECT rowid FROM persons WHERE ${startsWith('email')} ORDER BY email COLLATE NOCASE LIMIT @n`,
  substring: 'SELECT rowid FROM persons_fts WHERE persons_fts MATCH @match LIMIT @n',
} as const;

/** Parameters of one kind of match: the start-of range (@lo, @hi), the first name of a full name, the FTS5 phrase. */
interface MatchParams {
  lo?: string;
  hi?: string;
  first?: string;
  match?: string;
}

/** The searches a query asks for, in the order of {@link PersonsRepository.search}. */
function matchesOf(text: string): [keyof typeof SEARCH_KINDS, MatchParams][] {
  const prefix = (p: string): MatchParams => ({ lo: p, hi: p + MAX_CHAR });
  const out: [keyof typeof SEARCH_KINDS, MatchParams][] = [
    ['surname', prefix(text)],
    ['givenName', prefix(text)],
  ];
  const comma = text.indexOf(',');
  if (comma >= 0) {
    const surname = text.slice(0, comma).trim();
    const given = text.slice(comma + 1).trim();
    if (surname && given) out.push(['surnameThenGiven', { first: surname, ...prefix(given) }]);
  } else {
    // Names may hold spaces ("Mary Ann", "van der Berg"): every space may be the one between the two names.
    const splits = [...text.matchAll(/ /g)].map((m) => [text.slice(0, m.index), text.slice(m.index + 1)] as const);
    for (const [first, rest] of splits) out.push(['givenThenSurname', { first, ...prefix(rest) }]);
    for (const [first, rest] of splits) out.push(['surnameThenGiven', { first, ...prefix(rest) }]);
  }
  out.push(['employeeId', prefix(text)], ['email', prefix(text)]);
  if ([...text].length >= TRIGRAM) out.push(['substring', { match: ftsPhrase(text) }]);
  return out;
}

/**
 * The persons repository over the store's database.
 * @param largeDirectory persons from which a search's substring pass may stop early (default LARGE_DIRECTORY)
 */
export function personsRepository(ctx: StoreContext, largeDirectory = LARGE_DIRECTORY): PersonsRepository {
  const { db } = ctx;
  const insert = db.prepare(
    `INSERT INTO persons (id, given_name, surname, email, employee_id, affiliation, external_id, created_at, updated_at)
     VALUES (@id, @givenName, @surname, @email, @employeeId, @affiliation, @externalId, @now, @now)`,
  );
  const byId = db.prepare('SELECT * FROM persons WHERE id = ?');
  const byRowid = db.prepare('SELECT * FROM persons WHERE rowid = ?');
  const byExternalId = db.prepare('SELECT * FROM persons WHERE external_id = ?');
  const byEmployeeId = db.prepare('SELECT * FROM persons WHERE employee_id = ?');
  const kinds = Object.fromEntries(Object.entries(SEARCH_KINDS).map(([kind, sql]) => [kind, db.prepare(sql).pluck()])) as Record<keyof typeof SEARCH_KINDS, Statement>;
  const countAll = db.prepare('SELECT coalesce(sum(n), 0) FROM person_counts').pluck();
  const countOf = db.prepare('SELECT coalesce(sum(n), 0) FROM person_counts WHERE affiliation = ?').pluck();

  // Browse statements, prepared on first use: (filtered?, seek, direction) → statement.
  const browseStatements = new Map<string, Statement>();
  function browseStatement(filtered: boolean, seek: '' | '>' | '<' | '>=' | '<=', direction: 'ASC' | 'DESC', columns: '*' | '1'): Statement {
    const name = `${filtered}${seek}${direction}${columns}`;
    let statement = browseStatements.get(name);
    if (!statement) {
      const where = [filtered ? 'affiliation = @affiliation' : '', seek ? browseSeek(seek) : ''].filter(Boolean);
      statement = db.prepare(`SELECT ${columns} FROM persons ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${browseOrder(direction)} LIMIT @n`);
      browseStatements.set(name, statement);
    }
    return statement;
  }

  function list(page: PersonPageRequest): PersonPage {
    const { limit, affiliation, after, before, from, last } = validate(PAGE, page, 'page');
    return guard('person', () => {
      const filtered = affiliation !== undefined;
      const base = filtered ? { affiliation } : {};
      const at = (key: PersonKey) => ({ ...base, surname: key.surname, givenName: key.givenName, id: key.id });
      const exists = (seek: '<' | '>' | '<=' | '>=', key: PersonKey) => browseStatement(filtered, seek, seek.startsWith('<') ? 'DESC' : 'ASC', '1').get({ ...at(key), n: 1 }) !== undefined;
      const fetch = (seek: '' | '>' | '<' | '>=', direction: 'ASC' | 'DESC', params: object) => browseStatement(filtered, seek, direction, '*').all({ ...params, n: limit + 1 }) as PersonRow[];
      let rows: PersonRow[];
      let hasBefore: boolean;
      let hasAfter: boolean;
      if (before || last) {
        // Walk backwards from the key (or the end), then show the page in list order.
        const back = before ? fetch('<', 'DESC', at(before)) : fetch('', 'DESC', base);
        hasBefore = back.length > limit;
        rows = back.slice(0, limit).reverse();
        hasAfter = before ? exists('>=', before) : false;
      } else {
        rows = after ? fetch('>', 'ASC', at(after)) : from ? fetch('>=', 'ASC', at(from)) : fetch('', 'ASC', base);
        hasAfter = rows.length > limit;
        rows = rows.slice(0, limit);
        hasBefore = after ? exists('<=', after) : from ? exists('<', from) : false;
      }
      const total = (filtered ? countOf.get(affiliation) : countAll.get()) as number;
      return { persons: rows.map(toRecord), total, hasBefore, hasAfter };
    });
  }

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
    search(query, options = {}) {
      const text = validate(z.string().max(200), query, 'search').trim().replace(/\s+/g, ' ');
      const limit = validate(z.number().int().min(1).max(MAX_SEARCH_LIMIT), options.limit ?? DEFAULT_SEARCH_LIMIT, 'search limit');
      return guard('person', () => {
        if (text === '') {
          const page = list({ limit });
          return { persons: page.persons, total: page.total, more: false };
        }
        // Each kind stops after SEARCH_COUNT_CAP + 1 rows: enough to fill the answer and to tell "at least the cap".
        // In a large directory, once the answer is full, the substring pass only shows that more may match: limit + 1 rows.
        const found = new Set<number>();
        let stopped = false;
        for (const [kind, params] of matchesOf(text)) {
          const early = kind === 'substring' && found.size >= limit && (countAll.get() as number) >= largeDirectory;
          const n = early ? limit + 1 : SEARCH_COUNT_CAP + 1;
          const rowids = kinds[kind].all({ ...params, n }) as number[];
          for (const rowid of rowids) found.add(rowid);
          if (found.size > SEARCH_COUNT_CAP || rowids.length === n) stopped = true;
          if (found.size > SEARCH_COUNT_CAP) break;
        }
        const persons = [...found].slice(0, limit).map((rowid) => toRecord(byRowid.get(rowid) as PersonRow));
        return { persons, total: Math.min(found.size, SEARCH_COUNT_CAP), more: stopped };
      });
    },
    list,
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
