/**
 * The card profile a production job runs under. A job records the profile
 * (and its version) when it is created; every run of the job, including a
 * retry after an administrator edited the profile, uses that record, so a
 * half-made card is finished as it was started.
 */
import { CardProfileSchema, PROFILE_OBJECTS, PROFILE_SLOTS, type CardProfile } from '../../contract/card-profile.js';
import type { ProfileEntry, ProfileRegistry } from '../workflow/profile-registry.js';
import type { ProductionParams } from './job-types.js';

/**
 * The job's profile: its recorded snapshot; for a job created before
 * snapshots existed, the current profile with every slot and object, no
 * printing and no biometric object (what such jobs were created to make).
 */
export function jobProfile(params: ProductionParams, profiles: Pick<ProfileRegistry, 'profile'>): CardProfile {
  if (params.profileSnapshot) return CardProfileSchema.parse(params.profileSnapshot);
  return { ...profiles.profile(params.profile), slots: [...PROFILE_SLOTS], objects: [...PROFILE_OBJECTS], printing: 'none', biometrics: [] };
}

/** The profile fields a new job records (version for the audit trail, snapshot for retries). */
export function profileParams(entry: ProfileEntry): Pick<ProductionParams, 'profile' | 'profileVersion' | 'profileSnapshot'> {
  return { profile: entry.profile.id, profileVersion: entry.version, profileSnapshot: entry.profile };
}
