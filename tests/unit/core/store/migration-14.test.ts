/**
 * Migration 14: person photos. Versions per person (the highest is current), the checks on the
 * row, and that a photo needs an existing person.
 */
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../../../electron/core/store/migrations.js';
import { openDatabase } from '../../../../native/sqlite.js';
import { ADA, memoryStore } from './helpers.js';

const PHOTOS_MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'person photos') + 1;
const JPEG = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9);

describe('migration 14: person photos', () => {
  it('is migration 14 and applies on a version-13 database', () => {
    expect(PHOTOS_MIGRATION).toBe(14);
    const db = openDatabase(':memory:');
    runMigrations(db, MIGRATIONS.slice(0, 13));
    expect(runMigrations(db, MIGRATIONS.slice(0, 14))).toEqual([14]);
    const columns = (db.prepare('PRAGMA table_info(person_photos)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['person_id', 'version', 'jpeg', 'width', 'height', 'sha256', 'source', 'captured_by', 'captured_at']);
  });

  it('numbers each person’s photos 1, 2, … and the highest is current', () => {
    const store = memoryStore();
    const ada = store.persons.add(ADA);
    const other = store.persons.add({ ...ADA, employeeId: 'E-2', email: null });
    const first = store.photos.add({ personId: ada.id, jpeg: JPEG, width: 450, height: 600, source: 'camera', capturedBy: 'reg' });
    store.photos.add({ personId: other.id, jpeg: JPEG, width: 450, height: 600, source: 'file', capturedBy: 'reg' });
    const second = store.photos.add({ personId: ada.id, jpeg: Uint8Array.of(0xff, 0xd8, 0xff, 9, 0xff, 0xd9), width: 450, height: 600, source: 'idprs', capturedBy: 'idprs' });
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(store.photos.current(ada.id)).toMatchObject({ version: 2, source: 'idprs', jpeg: Uint8Array.of(0xff, 0xd8, 0xff, 9, 0xff, 0xd9) });
    expect(store.photos.get(ada.id, 1)?.jpeg).toEqual(JPEG);
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(store.photos.currentInfo([ada.id, other.id]).get(ada.id)?.version).toBe(2);
    expect(store.photos.currentInfo([ada.id, other.id]).get(other.id)?.version).toBe(1);
  });

  it('refuses a photo of nobody, an empty image, and an unknown source', () => {
    const store = memoryStore();
    const ada = store.persons.add(ADA);
    expect(() => store.photos.add({ personId: '00000000-0000-4000-8000-000000000000', jpeg: JPEG, width: 1, height: 1, source: 'camera', capturedBy: 'reg' })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND_RECORD' }),
    );
    expect(() => store.photos.add({ personId: ada.id, jpeg: new Uint8Array(0), width: 1, height: 1, source: 'camera', capturedBy: 'reg' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => store.photos.add({ personId: ada.id, jpeg: JPEG, width: 1, height: 1, source: 'webcam' as 'camera', capturedBy: 'reg' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
