/**
 * What the logged-in officer may do, read from the contract's CHANNEL_ROLES:
 * the same table the core's dispatch enforces, so a hidden button is exactly a
 * call that would be refused.
 */
import { CHANNEL_ROLES, type Channel, type OfficerView } from '../../../electron/contract/station-api';

/** Whether `officer` may call `channel` (false when nobody is logged in and the channel is not public). */
export function mayCall(officer: OfficerView | null, channel: Channel): boolean {
  const rule = CHANNEL_ROLES[channel];
  if (rule === 'public') return true;
  if (rule === 'kiosk') return false; // only a kiosk connection, never an officer
  if (!officer || officer.status !== 'active') return false;
  if (rule === 'officer') return true;
  return rule.some((role) => officer.roles.includes(role));
}
