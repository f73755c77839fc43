/**
 * Administered card profiles (migration 7): one row per profile id with the
 * validated profile JSON and a version that increments on every change.
 * Validation is the profile registry's job (electron/core/profiles); this
 * repository only stores what it is given.
 */
import type { JsonObject } from './records.js';
import { guard, type StoreContext } from './sql.js';

/** A stored profile row. */
export interface CardProfileRow {
  id: string;
  /** The validated profile (CardProfileSchema output) as JSON. */
  profile: JsonObject;
  /** 1 when seeded, +1 on every change. */
  version: number;
  updatedAt: string;
  /** Officer username of the last change; 'config' when seeded from config.json. */
  updatedBy: string;
}

export interface CardProfilesRepository {
  /** Every stored profile, ordered by id. */
  list(): CardProfileRow[];
  /** The profile row with `id`, or undefined. */
  get(id: string): CardProfileRow | undefined;
  /**
   * Stores `profile` as version 1 unless a row for `id` exists (seeding is
   * idempotent: an existing row, perhaps edited, always wins).
   * @returns true when the row was inserted
   */
  insertIfAbsent(id: string, profile: JsonObject, by: string): boolean;
  /**
   * Replaces the profile of `id` and increments its version.
   * @returns the new row, or undefined when there is no row for `id`
   */
  replace(id: string, profile: JsonObject, by: string): CardProfileRow | undefined;
}

interface Row {
  id: string;
  profile: string;
  version: number;
  updated_at: string;
  updated_by: string;
}

const toRecord = (r: Row): CardProfileRow => ({ id: r.id, profile: JSON.parse(r.profile) as JsonObject, version: r.version, updatedAt: r.updated_at, updatedBy: r.updated_by });

export function cardProfilesRepository(ctx: StoreContext): CardProfilesRepository {
  const { db } = ctx;
  const selectAll = db.prepare('SELECT * FROM card_profiles ORDER BY id');
  const selectOne = db.prepare('SELECT * FROM card_profiles WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO card_profiles (id, profile, version, updated_at, updated_by) VALUES (@id, @profile, 1, @at, @by)
     ON CONFLICT (id) DO NOTHING`,
  );
  const update = db.prepare('UPDATE card_profiles SET profile = @profile, version = version + 1, updated_at = @at, updated_by = @by WHERE id = @id RETURNING *');
  return {
    list: () => guard('card profile', () => (selectAll.all() as Row[]).map(toRecord)),
    get(id) {
      const row = guard('card profile', () => selectOne.get(id) as Row | undefined);
      return row ? toRecord(row) : undefined;
    },
    insertIfAbsent(id, profile, by) {
      return guard('card profile', () => insert.run({ id, profile: JSON.stringify(profile), at: ctx.now(), by }).changes === 1);
    },
    replace(id, profile, by) {
      const row = guard('card profile', () => update.get({ id, profile: JSON.stringify(profile), at: ctx.now(), by }) as Row | undefined);
      return row ? toRecord(row) : undefined;
    },
  };
}
