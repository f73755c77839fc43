/** Card profiles as `profiles.list` answers them, for renderer tests (the station's defaults, version 1). */
import type { Profile } from '../../../../electron/contract/station-api';
import { DEFAULT_CONFIG } from '../../../../electron/core/config/station-config';

/** The default profile `id`, version 1, with `over` applied. */
export function profileView(id: Profile['id'], over: Partial<Profile> = {}): Profile {
  const base = DEFAULT_CONFIG.profiles.find((p) => p.id === id)!;
  return { ...base, version: 1, updatedAt: '2026-01-01T00:00:00Z', updatedBy: 'config', ...over };
}
