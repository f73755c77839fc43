/**
 * The station store: schema migrations + typed repositories over one
 * better-sqlite3 Database, which the caller opens (native/sqlite.ts) and
 * passes in, so the core never loads the addon itself.
 */
import type { Database } from 'better-sqlite3';
import { auditRepository, type AuditRepository } from './audit.js';
import { cardsRepository, type CardsRepository } from './cards.js';
import { certificatesRepository, type CertificatesRepository } from './certificates.js';
import { escrowRepository, type EscrowRepository } from './escrow.js';
import { jobsRepository, type JobsRepository } from './jobs.js';
import { officersRepository, type OfficersRepository } from './officers.js';
import { cardRequestsRepository, type CardRequestsRepository } from './requests.js';
import { cardProfilesRepository, type CardProfilesRepository } from './card-profiles.js';
import { cardLayoutsRepository, type CardLayoutsRepository } from './card-layouts.js';
import { photosRepository, type PhotosRepository } from './photos.js';
import { loginThrottleRepository, type LoginThrottleRepository } from './login-throttle.js';
import { AUDIT_CHAIN_MIGRATION, runMigrations } from './migrations.js';
import { personsRepository, type PersonsRepository } from './persons.js';
import { sequencesRepository, type SequencesRepository } from './sequences.js';
import { guard, isSqliteError, type StoreContext } from './sql.js';

export interface StationStore {
  readonly db: Database;
  /**
   * Runs `fn` in one transaction (nested calls become savepoints). `fn` must be
   * synchronous: no await inside. A StationError thrown by `fn` rolls back and propagates.
   */
  transaction<T>(fn: () => T): T;
  persons: PersonsRepository;
  cards: CardsRepository;
  jobs: JobsRepository;
  certificates: CertificatesRepository;
  escrow: EscrowRepository;
  sequences: SequencesRepository;
  audit: AuditRepository;
  officers: OfficersRepository;
  requests: CardRequestsRepository;
  /** Administered card profiles (migration 7); read and changed through electron/core/profiles/registry.ts. */
  cardProfiles: CardProfilesRepository;
  /** Person photos (migration 13): the cardholder's portrait by version. */
  photos: PhotosRepository;
  /** Card face layouts per profile (migration 14); read and changed through electron/core/workflow/layout-registry.ts. */
  cardLayouts: CardLayoutsRepository;
  /** Failed officer logins per username (migration 11); the rules are in electron/core/workflow/login-throttle.ts. */
  loginThrottle: LoginThrottleRepository;
}

/** Options for {@link openStore}. */
export interface StoreOptions {
  /** Clock for timestamps (tests pin it); defaults to the system clock. */
  now?: () => Date;
  /**
   * Persons from which a directory counts as large: there a search's substring pass stops once the
   * answer is full and says "at least" (persons.ts LARGE_DIRECTORY, the default; tests lower it).
   */
  largeDirectory?: number;
}

/**
 * Brings the database schema up to date and returns the repositories.
 * @param db an open database (native/sqlite.ts openDatabase), foreign keys ON
 * @throws StationError STORE when a migration fails or the database is newer than this station
 */
export function openStore(db: Database, options: StoreOptions = {}): StationStore {
  const clock = options.now ?? (() => new Date());
  const applied = runMigrations(db, undefined, clock);
  const ctx: StoreContext = { db, now: () => clock().toISOString() };
  return {
    db,
    transaction<T>(fn: () => T): T {
      try {
        return db.transaction(fn)();
      } catch (err) {
        // The caller's own errors pass through untouched; SQLite's become StationErrors.
        if (isSqliteError(err)) guard('record', () => { throw err; });
        throw err;
      }
    },
    persons: personsRepository(ctx, options.largeDirectory),
    cards: cardsRepository(ctx),
    jobs: jobsRepository(ctx),
    certificates: certificatesRepository(ctx),
    escrow: escrowRepository(ctx),
    sequences: sequencesRepository(ctx),
    audit: auditRepository(ctx, { upgradingToChain: applied.includes(AUDIT_CHAIN_MIGRATION) }),
    officers: officersRepository(ctx),
    requests: cardRequestsRepository(ctx),
    cardProfiles: cardProfilesRepository(ctx),
    photos: photosRepository(ctx),
    cardLayouts: cardLayoutsRepository(ctx),
    loginThrottle: loginThrottleRepository(ctx),
  };
}
