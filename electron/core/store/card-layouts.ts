/**
 * Card face layouts (migration 14): one row per card profile with the
 * validated layout JSON, the Zone 11F seal image, and a version that
 * increments on every change. Validation is the layout registry's job
 * (electron/core/workflow/layout-registry.ts); this repository stores what it is given.
 */
import type { JsonObject } from './records.js';
import { guard, type StoreContext } from './sql.js';

/** A stored layout row. */
export interface CardLayoutRow {
  profileId: string;
  layout: JsonObject;
  seal: { bytes: Uint8Array; format: 'png' | 'jpeg' } | null;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export interface CardLayoutsRepository {
  get(profileId: string): CardLayoutRow | undefined;
  list(): CardLayoutRow[];
  /** Stores `layout` as version 1 unless a row exists (seeding is idempotent). @returns true when inserted */
  insertIfAbsent(profileId: string, layout: JsonObject, by: string): boolean;
  /**
   * Replaces the layout (and the seal, when `seal` is given: null removes it) and increments the version.
   * @returns the new row, or undefined when there is no row
   */
  replace(profileId: string, layout: JsonObject, by: string, seal?: CardLayoutRow['seal']): CardLayoutRow | undefined;
}

interface Row {
  profile_id: string;
  layout: string;
  seal: Buffer | null;
  seal_format: 'png' | 'jpeg' | null;
  version: number;
  updated_at: string;
  updated_by: string;
}

const toRecord = (r: Row): CardLayoutRow => ({
  profileId: r.profile_id,
  layout: JSON.parse(r.layout) as JsonObject,
  seal: r.seal && r.seal_format ? { bytes: new Uint8Array(r.seal), format: r.seal_format } : null,
  version: r.version,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

export function cardLayoutsRepository(ctx: StoreContext): CardLayoutsRepository {
  const { db } = ctx;
  const one = db.prepare('SELECT * FROM card_layouts WHERE profile_id = ?');
  const all = db.prepare('SELECT * FROM card_layouts ORDER BY profile_id');
  const insert = db.prepare(
    `INSERT INTO card_layouts (profile_id, layout, version, updated_at, updated_by) VALUES (@profileId, @layout, 1, @at, @by)
     ON CONFLICT (profile_id) DO NOTHING`,
  );
  const update = db.prepare('UPDATE card_layouts SET layout = @layout, version = version + 1, updated_at = @at, updated_by = @by WHERE profile_id = @profileId RETURNING *');
  const updateWithSeal = db.prepare(
    'UPDATE card_layouts SET layout = @layout, seal = @seal, seal_format = @format, version = version + 1, updated_at = @at, updated_by = @by WHERE profile_id = @profileId RETURNING *',
  );
  return {
    get(profileId) {
      const row = guard('card layout', () => one.get(profileId) as Row | undefined);
      return row ? toRecord(row) : undefined;
    },
    list: () => guard('card layout', () => (all.all() as Row[]).map(toRecord)),
    insertIfAbsent(profileId, layout, by) {
      return guard('card layout', () => insert.run({ profileId, layout: JSON.stringify(layout), at: ctx.now(), by }).changes === 1);
    },
    replace(profileId, layout, by, seal) {
      const base = { profileId, layout: JSON.stringify(layout), at: ctx.now(), by };
      const row = guard('card layout', () =>
        (seal === undefined ? update.get(base) : updateWithSeal.get({ ...base, seal: seal ? Buffer.from(seal.bytes) : null, format: seal?.format ?? null })) as Row | undefined,
      );
      return row ? toRecord(row) : undefined;
    },
  };
}
