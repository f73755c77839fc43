/**
 * Shared plumbing of the repositories: input validation, SQLite errors →
 * StationErrors, JSON columns, the clock.
 */
import type { Database } from 'better-sqlite3';
import type { z } from 'zod';
import { StationError } from '../errors.js';
import type { JsonObject } from './records.js';

/** What every repository needs: the database and the clock. */
export interface StoreContext {
  db: Database;
  /** Current time as an ISO-8601 string. */
  now(): string;
}

/**
 * Parses `input` with `schema`.
 * @throws StationError INVALID_INPUT naming the first offending field (never its value)
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const unknownKeys = issue && issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : undefined;
  const field = unknownKeys ?? (issue && issue.path.length > 0 ? issue.path.join('.') : what);
  throw new StationError('INVALID_INPUT', `The ${what} has an invalid ${field}.`, { field, issue: issue?.code });
}

/** True for errors raised by SQLite (better-sqlite3's SqliteError). */
export function isSqliteError(err: unknown): boolean {
  return sqliteCode(err) !== undefined;
}

/** The error code better-sqlite3 puts on SqliteError ('SQLITE_CONSTRAINT_UNIQUE', …). */
function sqliteCode(err: unknown): string | undefined {
  if (err instanceof Error && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    const code = (err as { code: string }).code;
    return code.startsWith('SQLITE_') ? code : undefined;
  }
  return undefined;
}

/**
 * Runs `fn`, turning SQLite failures into StationErrors:
 * UNIQUE/PRIMARY KEY → INVALID_INPUT ("already exists"), FOREIGN KEY →
 * NOT_FOUND_RECORD (the referenced record does not exist), CHECK/NOT NULL →
 * INVALID_INPUT, anything else → STORE. StationErrors pass through.
 */
export function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StationError) throw err;
    const code = sqliteCode(err);
    switch (code) {
      case 'SQLITE_CONSTRAINT_UNIQUE':
      case 'SQLITE_CONSTRAINT_PRIMARYKEY':
        throw new StationError('INVALID_INPUT', `A ${what} with the same identifier already exists.`, { sqlite: code });
      case 'SQLITE_CONSTRAINT_FOREIGNKEY':
        throw new StationError('NOT_FOUND_RECORD', `The ${what} refers to a record that does not exist.`, { sqlite: code });
      case 'SQLITE_CONSTRAINT_CHECK':
      case 'SQLITE_CONSTRAINT_NOTNULL':
      case 'SQLITE_CONSTRAINT_TRIGGER':
        throw new StationError('INVALID_INPUT', `The ${what} breaks a rule of the station database.`, { sqlite: code });
      default:
        throw new StationError('STORE', `The station database failed while saving or reading a ${what}.`, { sqlite: code ?? 'unknown' });
    }
  }
}

/** NOT_FOUND_RECORD for `what` `id`. */
export function notFound(what: string, id: string): StationError {
  return new StationError('NOT_FOUND_RECORD', `There is no ${what} with that identifier.`, { record: what, id });
}

/** Serialises a JSON column (null stays NULL). */
export function toJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** Parses a JSON column (NULL → null). */
export function fromJson<T = JsonObject>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/**
 * Builds `SET col = @key, …` for the keys present in `patch`, from a
 * camelCase → column map. Keys absent from the map are refused.
 */
export function setClause(patch: Record<string, unknown>, columns: Record<string, string>, what: string): string {
  const keys = Object.keys(patch).filter((k) => patch[k] !== undefined);
  for (const key of keys) {
    if (!(key in columns)) throw new StationError('INVALID_INPUT', `The ${what} field ${key} cannot be changed.`, { field: key });
  }
  return keys.map((k) => `${columns[k]} = @${k}`).join(', ');
}

/**
 * Optional equality criteria for one prepared statement that serves every
 * combination of filters: `(@key IS NULL OR column = @key) AND …` for each
 * camelCase key → column of `columns` (an absent criterion is bound as NULL
 * and matches every row; see {@link filterParams}).
 * @returns the SQL condition (without WHERE); `1` when `columns` is empty
 */
export function optionalEquals(columns: Record<string, string>): string {
  const terms = Object.entries(columns).map(([key, column]) => `(@${key} IS NULL OR ${column} = @${key})`);
  return terms.length > 0 ? terms.join(' AND ') : '1';
}

/**
 * The parameters of {@link optionalEquals}: each key of `columns` with its
 * value from `filter`, or NULL when the filter does not give it.
 */
export function filterParams<K extends string>(columns: Record<K, string>, filter: Partial<Record<NoInfer<K>, string | number | null>>): Record<K, string | number | null> {
  const params = {} as Record<K, string | number | null>;
  for (const key of Object.keys(columns) as K[]) params[key] = filter[key] ?? null;
  return params;
}
