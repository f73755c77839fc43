/**
 * Person photos (migration 13): every accepted portrait of a person, by
 * version; the highest version is the current photo. Photos are personal
 * data: they stay in the store (never in logs, audit details or exports
 * unless an export asks for them).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { guard, validate, type StoreContext } from './sql.js';

/** Where a photo came from. */
export const PHOTO_SOURCES = ['camera', 'file', 'idprs'] as const;
export type PhotoSource = (typeof PHOTO_SOURCES)[number];

/** A stored photo without its image bytes (what lists and the audit may know). */
export interface PhotoInfo {
  personId: string;
  /** 1 for the first photo, +1 for every replacement. */
  version: number;
  width: number;
  height: number;
  /** SHA-256 of the JPEG, lowercase hex. */
  sha256: string;
  source: PhotoSource;
  /** Officer username, or 'idprs'. */
  capturedBy: string;
  capturedAt: string;
}

/** A stored photo with its JPEG. */
export interface PhotoRecord extends PhotoInfo {
  jpeg: Uint8Array;
}

const NEW_PHOTO = z.object({
  personId: z.uuid(),
  jpeg: z.instanceof(Uint8Array).refine((b) => b.length > 0, 'is empty'),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  source: z.enum(PHOTO_SOURCES),
  capturedBy: z.string().min(1).max(64),
});

interface PhotoRow {
  person_id: string;
  version: number;
  jpeg: Buffer;
  width: number;
  height: number;
  sha256: string;
  source: PhotoSource;
  captured_by: string;
  captured_at: string;
}

const info = (r: Omit<PhotoRow, 'jpeg'>): PhotoInfo => ({
  personId: r.person_id,
  version: r.version,
  width: r.width,
  height: r.height,
  sha256: r.sha256,
  source: r.source,
  capturedBy: r.captured_by,
  capturedAt: r.captured_at,
});

export interface PhotosRepository {
  /**
   * Stores a new current photo for the person (version = previous + 1).
   * @throws StationError INVALID_INPUT (bad field), NOT_FOUND_RECORD (unknown person)
   */
  add(p: { personId: string; jpeg: Uint8Array; width: number; height: number; source: PhotoSource; capturedBy: string }): PhotoInfo;
  /** The person's current photo (highest version), or undefined. */
  current(personId: string): PhotoRecord | undefined;
  /** One version of the person's photo, or undefined. */
  get(personId: string, version: number): PhotoRecord | undefined;
  /** The current photo's facts without the image, for many persons at once (lists). */
  currentInfo(personIds: string[]): Map<string, PhotoInfo>;
}

export function photosRepository(ctx: StoreContext): PhotosRepository {
  const { db } = ctx;
  const insert = db.prepare(
    `INSERT INTO person_photos (person_id, version, jpeg, width, height, sha256, source, captured_by, captured_at)
     VALUES (@personId, (SELECT coalesce(max(version), 0) + 1 FROM person_photos WHERE person_id = @personId),
       @jpeg, @width, @height, @sha256, @source, @capturedBy, @now)
     RETURNING person_id, version, width, height, sha256, source, captured_by, captured_at`,
  );
  const current = db.prepare('SELECT * FROM person_photos WHERE person_id = ? ORDER BY version DESC LIMIT 1');
  const one = db.prepare('SELECT * FROM person_photos WHERE person_id = ? AND version = ?');
  const toRecord = (r: PhotoRow): PhotoRecord => ({ ...info(r), jpeg: new Uint8Array(r.jpeg) });
  return {
    add(p) {
      const v = validate(NEW_PHOTO, p, 'photo');
      const sha256 = createHash('sha256').update(v.jpeg).digest('hex');
      const row = guard('photo', () => insert.get({ ...v, jpeg: Buffer.from(v.jpeg), sha256, now: ctx.now() }) as Omit<PhotoRow, 'jpeg'>);
      return info(row);
    },
    current(personId) {
      const row = guard('photo', () => current.get(personId) as PhotoRow | undefined);
      return row ? toRecord(row) : undefined;
    },
    get(personId, version) {
      const row = guard('photo', () => one.get(personId, version) as PhotoRow | undefined);
      return row ? toRecord(row) : undefined;
    },
    currentInfo(personIds) {
      const out = new Map<string, PhotoInfo>();
      if (personIds.length === 0) return out;
      // Chunks stay under SQLite's bound-parameter limit.
      for (let i = 0; i < personIds.length; i += 500) {
        const chunk = personIds.slice(i, i + 500);
        const rows = guard('photo', () =>
          db
            .prepare(
              `SELECT p.person_id, p.version, p.width, p.height, p.sha256, p.source, p.captured_by, p.captured_at FROM person_photos p
               WHERE p.person_id IN (${chunk.map(() => '?').join(',')})
                 AND p.version = (SELECT max(version) FROM person_photos q WHERE q.person_id = p.person_id)`,
            )
            .all(...chunk) as Omit<PhotoRow, 'jpeg'>[],
        );
        for (const r of rows) out.set(r.person_id, info(r));
      }
      return out;
    },
  };
}
