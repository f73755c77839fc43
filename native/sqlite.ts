/**
 * Opens the station's SQLite database (better-sqlite3): the only place the
 * sqlite addon is loaded. The core receives the opened Database object.
 */
import Database from 'better-sqlite3';
import { StationError } from '../electron/core/errors.js';

/** How long a writer waits for another connection's lock before SQLITE_BUSY (ms). */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) the database at `path`, or an in-memory one for ':memory:'.
 * Pragmas: journal_mode=WAL (readers never block the writer; in-memory databases stay 'memory'),
 * foreign_keys=ON, busy_timeout=5000 ms, synchronous=NORMAL (durable with WAL except for
 * the last transactions on power loss, never corrupt).
 * @throws StationError STORE when the file cannot be opened
 */
export function openDatabase(path: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : 'unknown';
    throw new StationError('STORE', 'The station database could not be opened.', { reason });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('synchronous = NORMAL');
  return db;
}
