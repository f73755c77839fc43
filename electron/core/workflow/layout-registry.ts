/**
 * The card face layouts, one per card profile, administered like the
 * profiles (issue 11): the store is the truth; each layout is seeded the
 * first time it is read (agency from config.json's organization, the Zone 15F
 * colour the profile's affiliation suggests); every change is validated as a
 * whole layout, versioned and audited with what changed (the seal image is
 * named, never copied into the audit).
 */
import { CardLayoutFields, CardLayoutPatchSchema, LAYOUT_FIELD_WORDS, type CardLayout, type CardLayoutViewShape } from '../../contract/card-layout.js';
import { PROFILE_IDS } from '../../contract/card-profile.js';
import type { StationConfig } from '../config/station-config.js';
import { StationError } from '../errors.js';
import type { CardLayoutRow } from '../store/card-layouts.js';
import type { JsonObject } from '../store/records.js';
import type { StationStore } from '../store/store.js';
import { profileChanges } from './profile-registry.js';

/** `updated_by` of seeded layouts. */
export const LAYOUT_SEED_ACTOR = 'config';
/** Largest seal image accepted, bytes. */
export const MAX_SEAL_BYTES = 512 * 1024;
/** Printed Information organization line limit (SP 800-73-4 Part 1 Table 14), also Zone 10F's lines. */
const AGENCY_LINE = 20;

/** A layout with its stored version and seal. */
export interface LayoutEntry {
  profileId: string;
  layout: CardLayout;
  seal: CardLayoutRow['seal'];
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/** `text` as at most two lines of ≤ 20 printable ASCII characters, broken between words where possible. */
export function agencyLinesOf(text: string): string[] {
  const ascii = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '?').replace(/\s+/g, ' ').trim();
  const lines: string[] = [];
  let line = '';
  for (const word of ascii.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length <= AGENCY_LINE) line = candidate;
    else {
      if (line) lines.push(line);
      line = word.slice(0, AGENCY_LINE);
    }
  }
  if (line) lines.push(line);
  return (lines.length > 0 ? lines : ['Agency']).slice(0, 2);
}

/** The layout a profile starts with. */
export function defaultLayout(profileId: string, config: Pick<StationConfig, 'organization'>): CardLayout {
  return {
    agencyLines: agencyLinesOf(config.organization),
    // FIPS 201-3 Zone 15F: green for contractors, white (no print) for government employees; blue is
    // for foreign nationals, which an administrator chooses per profile.
    affiliationColor: profileId === 'contractor' ? 'green' : 'white',
    header: null,
    showSeal: false,
    showIssueDate: false,
    orgAbbreviation: null,
    footer: null,
    footerStyle: 'plain',
    returnAddress: [],
    title18Notice: false,
  };
}

/** The image format of seal bytes by their signature, or undefined for anything but PNG and JPEG. */
function sealFormat(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

function refused(field: string, message: string, profileId: string): StationError {
  return new StationError('INVALID_INPUT', `The card layout of "${profileId}" is not acceptable: ${LAYOUT_FIELD_WORDS[field] ?? field}: ${message}.`, { field, profile: profileId });
}

/** Reads, seeds and changes the card face layouts. */
export class LayoutRegistry {
  constructor(private readonly deps: { store: StationStore; config: Pick<StationConfig, 'organization'> }) {}

  /**
   * The layout of profile `profileId` (seeded on first use).
   * @throws StationError INVALID_INPUT (no such profile), STORE (stored layout invalid)
   */
  get(profileId: string): LayoutEntry {
    if (!(PROFILE_IDS as readonly string[]).includes(profileId)) throw new StationError('INVALID_INPUT', `There is no card profile "${profileId}".`, { field: 'profile' });
    const { store } = this.deps;
    let row = store.cardLayouts.get(profileId);
    if (!row) {
      store.cardLayouts.insertIfAbsent(profileId, defaultLayout(profileId, this.deps.config) as unknown as JsonObject, LAYOUT_SEED_ACTOR);
      row = store.cardLayouts.get(profileId)!;
    }
    return this.entryOf(row);
  }

  /** Every profile's layout. */
  list(): LayoutEntry[] {
    return PROFILE_IDS.map((id) => this.get(id));
  }

  /**
   * Changes the layout of `profileId`: the merged layout is validated as a whole, stored as the next
   * version and audited (`layout.updated`: each changed field old → new; the seal as "replaced" or
   * "removed"). A change that changes nothing stores and audits nothing.
   * @throws StationError INVALID_INPUT naming the field (unknown field, bad value, seal not PNG/JPEG or too large)
   */
  update(profileId: string, patch: unknown, actor: string): LayoutEntry {
    const { store } = this.deps;
    const current = this.get(profileId);
    const fail = (field: string, message: string): never => {
      store.audit.append({ actor, action: 'layout.update', outcome: 'refused', details: { profile: profileId, field } });
      throw refused(field, message, profileId);
    };
    const parsed = CardLayoutPatchSchema.safeParse(patch);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : (issue?.path[0]?.toString() ?? 'layout');
      fail(field, issue?.message ?? 'is not acceptable');
    }
    const { seal: sealInput, ...fields } = parsed.data!;
    let seal: CardLayoutRow['seal'] | undefined;
    if (sealInput === null) seal = null;
    else if (sealInput !== undefined) {
      const bytes = new Uint8Array(Buffer.from(sealInput, 'base64'));
      const format = sealFormat(bytes);
      if (!format) fail('seal', 'must be a PNG or JPEG image');
      if (bytes.length > MAX_SEAL_BYTES) fail('seal', `must be at most ${MAX_SEAL_BYTES / 1024} KB`);
      seal = { bytes, format: format! };
    }
    const merged = CardLayoutFields.safeParse({ ...current.layout, ...fields });
    if (!merged.success) fail(merged.error.issues[0]?.path[0]?.toString() ?? 'layout', merged.error.issues[0]?.message ?? 'is not acceptable');
    const changes = profileChanges(current.layout, merged.data!);
    const sealChanged = seal !== undefined && !(seal === null && current.seal === null) && !(seal && current.seal && Buffer.from(seal.bytes).equals(Buffer.from(current.seal.bytes)));
    if (sealChanged) changes.push({ field: 'seal', from: current.seal ? 'set' : 'none', to: seal ? 'replaced' : 'removed' });
    if (changes.length === 0) return current;
    return store.transaction(() => {
      const row = store.cardLayouts.replace(profileId, merged.data! as unknown as JsonObject, actor, sealChanged ? seal : undefined)!;
      store.audit.append({ actor, action: 'layout.updated', outcome: 'ok', details: { profile: profileId, version: row.version, changes } });
      return this.entryOf(row);
    });
  }

  /** The StationApi view of an entry. */
  view(e: LayoutEntry): CardLayoutViewShape {
    return { ...e.layout, profile: e.profileId, hasSeal: e.seal !== null, version: e.version, updatedAt: e.updatedAt, updatedBy: e.updatedBy };
  }

  private entryOf(row: CardLayoutRow): LayoutEntry {
    const parsed = CardLayoutFields.safeParse(row.layout);
    if (!parsed.success) throw new StationError('STORE', `The stored card layout of "${row.profileId}" is invalid; an administrator must correct it.`, { profile: row.profileId });
    return { profileId: row.profileId, layout: parsed.data, seal: row.seal, version: row.version, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
  }
}
