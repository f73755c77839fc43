/**
 * Opens the station's SQLite database (better-sqlite3): the only place the
 * sqlite addon is loaded. The core receives the opened Database object.
 */
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { StationError } from '../electron/core/errors.js';

/** Permission bits of the database and its WAL and shared-memory files: the owner only (it holds personal data). */
export const DATABASE_FILE_MODE = 0o600;
/** Files SQLite keeps beside the database in WAL mode (and the rollback journal of older opens). */
const COMPANION_SUFFIXES = ['-wal', '-shm', '-journal'];

/** How long a writer waits for another connection's lock before SQLITE_BUSY (ms). */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the database at `path`, or an in-memory one for ':memory:'.
 * Pragmas: journal_mode=WAL (readers never block the writer; in-memory databases stay 'memory'),
 * foreign_keys=ON, busy_timeout=5000 ms, synchronous=NORMAL (durable with WAL except for
 * the last transactions on power loss, never corrupt).
 *
 * The database file is created 0600 before SQLite opens it, and SQLite gives
 * its WAL and shared-memory files the database file's permissions; a data dir
 * made by an older version is brought to 0600 here too.
 * @throws StationError STORE when the file cannot be opened
 */
export function openDatabase(path: string): Database.Database {
  let db: Database.Database;
  try {
    if (path !== ':memory:') closeSync(openSync(path, 'a', DATABASE_FILE_MODE));
    db = new Database(path);
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : 'unknown';
    throw new StationError('STORE', 'The station database could not be opened.', { reason });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('synchronous = NORMAL');
  if (path !== ':memory:') restrictDatabaseFiles(path);
  return db;
}

/** Sets the database and its companion files to {@link DATABASE_FILE_MODE} where they are broader. */
function restrictDatabaseFiles(path: string): void {
  for (const file of [path, ...COMPANION_SUFFIXES.map((s) => path + s)]) {
    if (existsSync(file)) chmodSync(file, DATABASE_FILE_MODE);
  }
}
