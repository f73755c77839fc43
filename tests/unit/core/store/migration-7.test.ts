/**
 * Migration 7: administered card profiles. The table, its checks, and the
 * seed from config.json through the registry: once, idempotent, never over
 * an edited row; the version increments on every change; a second connection
 * (another process: CLI, host) sees the same profiles.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../../../electron/core/store/migrations.js';
import { openStore } from '../../../../electron/core/store/store.js';
import { DEFAULT_CONFIG } from '../../../../electron/core/config/station-config.js';
import { ProfileRegistry, SEED_ACTOR } from '../../../../electron/core/workflow/profile-registry.js';
import { openDatabase } from '../../../../native/sqlite.js';

const CARD_PROFILES_MIGRATION = MIGRATIONS.findIndex((m) => m.name === 'administered card profiles') + 1;

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('migration 7: administered card profiles', () => {
  it('is migration 7 and applies on a version-6 database', () => {
    expect(CARD_PROFILES_MIGRATION).toBe(7);
    const db = openDatabase(':memory:');
    runMigrations(db, MIGRATIONS.slice(0, 6));
    expect(runMigrations(db, MIGRATIONS.slice(0, 7))).toEqual([7]);
    const columns = (db.prepare('PRAGMA table_info(card_profiles)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['id', 'profile', 'version', 'updated_at', 'updated_by']);
    expect(db.prepare('SELECT COUNT(*) AS n FROM card_profiles').get()).toEqual({ n: 0 }); // seeded by the registry, not the migration
  });

  it('refuses unknown ids, invalid JSON, version 0 and duplicates', () => {
    const store = openStore(openDatabase(':memory:'));
    const insert = store.db.prepare("INSERT INTO card_profiles (id, profile, version, updated_at, updated_by) VALUES (?, ?, ?, '2026-01-01T00:00:00Z', 'config')");
    insert.run('visitor', '{}', 1);
    expect(() => insert.run('visitor', '{}', 1)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert.run('guest', '{}', 1)).toThrow(/CHECK/);
    expect(() => insert.run('employee', 'not json', 1)).toThrow(/CHECK/);
    expect(() => insert.run('employee', '{}', 0)).toThrow(/CHECK/);
  });

  it('seeds from config.json once: idempotent, never over an edited row; the version increments on each change', () => {
    const store = openStore(openDatabase(':memory:'));
    const registry = new ProfileRegistry({ store, config: DEFAULT_CONFIG });
    const first = registry.list();
    expect(first.map((e) => [e.profile.id, e.version, e.updatedBy])).toEqual([
      ['contractor', 1, SEED_ACTOR],
      ['employee', 1, SEED_ACTOR],
      ['visitor', 1, SEED_ACTOR],
    ]);
    expect(first.find((e) => e.profile.id === 'employee')!.profile).toEqual(DEFAULT_CONFIG.profiles[0]);
    expect(registry.list()).toEqual(first); // again: nothing re-seeded

    registry.update('visitor', { cardValidityMonths: 3, certificateValidityMonths: 3 }, 'ada');
    expect(registry.get('visitor').version).toBe(2);
    registry.update('visitor', { label: 'Guest' }, 'ada');
    expect(registry.get('visitor')).toMatchObject({ version: 3, updatedBy: 'ada', profile: { label: 'Guest', cardValidityMonths: 3 } });

    // A registry over a config that says otherwise (a restart with an old config.json) does not overwrite the edit.
    const again = new ProfileRegistry({ store, config: DEFAULT_CONFIG });
    expect(again.list().find((e) => e.profile.id === 'visitor')).toMatchObject({ version: 3, profile: { cardValidityMonths: 3 } });
  });

  it('a profile missing from the store is seeded when first read by id', () => {
    const store = openStore(openDatabase(':memory:'));
    const registry = new ProfileRegistry({ store, config: DEFAULT_CONFIG });
    expect(registry.get('contractor')).toMatchObject({ version: 1, profile: { id: 'contractor' } });
  });

  it('every connection to the data dir sees the same profiles (CLI, host and shell are separate processes)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profiles-'));
    dirs.push(dir);
    const a = openStore(openDatabase(join(dir, 'station.sqlite')));
    const b = openStore(openDatabase(join(dir, 'station.sqlite')));
    new ProfileRegistry({ store: a, config: DEFAULT_CONFIG }).update('employee', { slots: ['9A', '9E'] }, 'ada');
    // The other process reads with a config that still has every slot: the store wins.
    expect(new ProfileRegistry({ store: b, config: DEFAULT_CONFIG }).get('employee')).toMatchObject({ version: 2, profile: { slots: ['9A', '9E'] } });
    a.db.close();
    b.db.close();
  });
});
