/**
 * StationApi, card profiles (administered): what a card for each affiliation
 * gets (electron/contract/card-profile.ts holds the rules of a profile).
 */
import { z } from 'zod';
import { CardProfileFields, ProfilePatchInput } from '../card-profile.js';
import { Affiliation } from './fields.js';

/** A card profile with every field (defaults filled in), its version and its last change. */
export const Profile = CardProfileFields.required().extend({ version: z.number().int(), updatedAt: z.string(), updatedBy: z.string() });
export type Profile = z.infer<typeof Profile>;

/** One field a profile change changed: a dotted path (`pinPolicy.minLength`) with its old and new value. */
export const ProfileChangeShape = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() });

export const profilesChannels = {
  'profiles.list': { input: z.object({}).strict(), output: z.array(Profile) },
  'profiles.get': { input: z.object({ id: Affiliation }).strict(), output: Profile },
  /**
   * Changes a profile (administrators). `patch`: the fields to change, or the
   * whole profile; the core validates the merged profile and names the
   * offending field (electron/contract/card-profile.ts has the rules).
   */
  'profiles.update': { input: z.object({ id: Affiliation, patch: ProfilePatchInput }).strict(), output: Profile.extend({ changes: z.array(ProfileChangeShape) }) },
} as const;
