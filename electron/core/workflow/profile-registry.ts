/**
 * The card profile registry (issue 4 "card profiles (administered)"): the
 * store is the truth for profiles, so the CLI, the browser host and the shell
 * see the same ones. Each profile is seeded from config.json the first time it
 * is read (an existing row, perhaps edited, always wins); every change is
 * validated as a whole profile, versioned and audited with what changed.
 */
import { CardProfilePatchSchema, CardProfileSchema, profileIssueSentence, type CardProfile, type CardProfilePatch } from '../../contract/card-profile.js';
import type { StationConfig } from '../config/station-config.js';
import { StationError } from '../errors.js';
import type { CardProfileRow } from '../store/card-profiles.js';
import type { JsonObject } from '../store/records.js';
import type { StationStore } from '../store/store.js';

/** A profile with its stored version. */
export interface ProfileEntry {
  profile: CardProfile;
  /** 1 when seeded, +1 on every change; jobs record it. */
  version: number;
  updatedAt: string;
  /** Officer username of the last change; {@link SEED_ACTOR} for the seed. */
  updatedBy: string;
}

/** One changed field of an update: a dotted path ("pinPolicy.minLength") with its old and new value. */
export interface ProfileFieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** `updated_by` of rows seeded from config.json. */
export const SEED_ACTOR = 'config';

/** Turns a zod failure into INVALID_INPUT naming the field. */
function invalid(issue: Parameters<typeof profileIssueSentence>[0], profileId: string): StationError {
  const { field, sentence } = profileIssueSentence(issue);
  return new StationError('INVALID_INPUT', `The card profile "${profileId}" is not acceptable: ${sentence}.`, { field, profile: profileId });
}

/**
 * Field-by-field difference of two profiles (or two layouts), one level into
 * objects (algorithms.9A, pinPolicy.source); arrays compare as wholes.
 */
export function profileChanges<T extends object>(before: T, after: T): ProfileFieldChange[] {
  const changes: ProfileFieldChange[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const from = (before as Record<string, unknown>)[key];
    const to = (after as Record<string, unknown>)[key];
    if (same(from, to)) continue;
    const nested = from && to && typeof from === 'object' && typeof to === 'object' && !Array.isArray(from) && !Array.isArray(to);
    if (!nested) {
      changes.push({ field: key, from: from ?? null, to: to ?? null });
      continue;
    }
    const f = from as Record<string, unknown>;
    const t = to as Record<string, unknown>;
    for (const sub of new Set([...Object.keys(f), ...Object.keys(t)])) {
      if (!same(f[sub], t[sub])) changes.push({ field: `${key}.${sub}`, from: f[sub] ?? null, to: t[sub] ?? null });
    }
  }
  return changes;
}

/** Reads, seeds and changes the administered card profiles. */
export class ProfileRegistry {
  constructor(private readonly deps: { store: StationStore; config: Pick<StationConfig, 'profiles'> }) {}

  /**
   * Every profile: the stored ones, and the config's seeded on first use.
   * @throws StationError STORE when a stored profile no longer validates
   */
  list(): ProfileEntry[] {
    const { store } = this.deps;
    if (this.deps.config.profiles.some((p) => !store.cardProfiles.get(p.id))) this.seed();
    return store.cardProfiles.list().map((row) => this.entryOf(row));
  }

  /**
   * The profile `id` with its version.
   * @throws StationError INVALID_INPUT (no such profile), STORE (stored profile invalid)
   */
  get(id: string): ProfileEntry {
    const { store } = this.deps;
    let row = store.cardProfiles.get(id);
    if (!row && this.deps.config.profiles.some((p) => p.id === id)) {
      this.seed();
      row = store.cardProfiles.get(id);
    }
    if (!row) throw new StationError('INVALID_INPUT', `There is no card profile "${id}".`, { field: 'profile' });
    return this.entryOf(row);
  }

  /** The profile `id` (see {@link get}). */
  profile(id: string): CardProfile {
    return this.get(id).profile;
  }

  /**
   * Changes profile `id`: `patch` holds the fields to change (any but the id);
   * the merged profile is validated as a whole, stored as the next version and
   * audited (`profile.updated`, each changed field with old → new value). An
   * update that changes nothing stores and audits nothing.
   * @param actor officer username
   * @returns the stored entry and the changes made
   * @throws StationError INVALID_INPUT naming the offending field (unknown field, value out of range, rule broken)
   */
  update(id: string, patch: unknown, actor: string): { entry: ProfileEntry; changes: ProfileFieldChange[] } {
    const { store } = this.deps;
    const refused = (issue: Parameters<typeof invalid>[0]): never => {
      // Audited outside any transaction, so the refusal stays on record.
      const error = invalid(issue, id);
      store.audit.append({ actor, action: 'profile.update', outcome: 'refused', details: { profile: id, field: String(error.details?.field ?? '') } });
      throw error;
    };
    // A whole profile may be given as the patch: its id must be this one.
    const { id: patchId, ...fields } = (patch && typeof patch === 'object' ? patch : {}) as Record<string, unknown>;
    if (patchId !== undefined && patchId !== id) {
      refused({ path: ['id'], message: 'cannot change (a profile keeps its id)' });
    }
    const parsedPatch = CardProfilePatchSchema.safeParse(patch && typeof patch === 'object' ? fields : patch);
    if (!parsedPatch.success) refused(parsedPatch.error.issues[0] as Parameters<typeof invalid>[0]);
    const mergedWith = (current: ProfileEntry) => CardProfileSchema.safeParse({ ...current.profile, ...(parsedPatch.data as CardProfilePatch) });
    const first = mergedWith(this.get(id));
    if (!first.success) refused(first.error.issues[0] as Parameters<typeof invalid>[0]);
    return store.transaction(() => {
      // Merged again inside the transaction: another process may have changed the profile meanwhile.
      const current = this.get(id);
      const merged = mergedWith(current);
      if (!merged.success) throw invalid(merged.error.issues[0] as Parameters<typeof invalid>[0], id);
      const changes = profileChanges(current.profile, merged.data);
      if (changes.length === 0) return { entry: current, changes };
      const row = store.cardProfiles.replace(id, merged.data as unknown as JsonObject, actor)!;
      store.audit.append({ actor, action: 'profile.updated', outcome: 'ok', details: { profile: id, version: row.version, changes } });
      return { entry: this.entryOf(row), changes };
    });
  }

  /** Inserts every config profile not stored yet, as version 1 (idempotent). */
  private seed(): void {
    const { store, config } = this.deps;
    store.transaction(() => {
      for (const p of config.profiles) {
        const profile = CardProfileSchema.parse(p);
        store.cardProfiles.insertIfAbsent(profile.id, profile as unknown as JsonObject, SEED_ACTOR);
      }
    });
  }

  private entryOf(row: CardProfileRow): ProfileEntry {
    const parsed = CardProfileSchema.safeParse(row.profile);
    if (!parsed.success) throw new StationError('STORE', `The stored card profile "${row.id}" is invalid; an administrator must correct it.`, { profile: row.id });
    return { profile: parsed.data, version: row.version, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
  }
}
