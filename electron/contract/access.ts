/**
 * What an officer's roles let them call: the CHANNEL_ROLES table read one
 * way for the core's dispatch and the screens alike, so a hidden button is
 * exactly a call the core would refuse. Imports nothing runtime-specific.
 */
import { CHANNEL_ROLES, type Channel } from './station-api.js';
import { hasAnyRole, type Role } from './officer-rules.js';

/**
 * Whether `officer` may call `channel` by its CHANNEL_ROLES entry: public
 * channels always; kiosk channels never for an officer; the rest only for an
 * active officer holding one of the channel's roles ('officer': any).
 */
export function mayCall(officer: { roles: readonly Role[]; status?: 'active' | 'disabled' } | null, channel: Channel): boolean {
  const rule = CHANNEL_ROLES[channel];
  if (rule === 'public') return true;
  if (rule === 'kiosk') return false;
  if (!officer || (officer.status !== undefined && officer.status !== 'active')) return false;
  if (rule === 'officer') return true;
  return hasAnyRole(officer, rule);
}
