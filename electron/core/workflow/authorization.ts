/**
 * Who may call what: the channel role table (CHANNEL_ROLES in the contract,
 * read through the contract's mayCall), checked in the core. Separation of
 * duties and the state machines are the rule book's (electron/core/policy/).
 * Each refusal is a StationError FORBIDDEN with one sentence saying which
 * role or rule refused it.
 */
import { CHANNEL_ROLES, type Channel } from '../../contract/station-api.js';
import { mayCall } from '../../contract/access.js';
import { hasAnyRole, rolesPhrase, ROLE_WORDS } from '../../contract/officer-rules.js';
import { StationError } from '../errors.js';
import type { Caller, Officer, Role } from './types.js';

/** A role's name in a sentence ("Approver", "Card production administrator"). */
export function roleName(role: Role): string {
  return ROLE_WORDS[role].name;
}

/** The roles a channel needs (none for public, officer and kiosk channels). */
function channelRoles(channel: Channel): readonly Role[] {
  const need = CHANNEL_ROLES[channel];
  return Array.isArray(need) ? need : [];
}

/**
 * Checks the channel's role requirement for a logged-in officer.
 * 'public' and 'officer' channels pass; 'kiosk' channels never pass for an
 * officer (kiosk.ts); others need one of their roles.
 * @throws StationError FORBIDDEN naming the role(s) needed
 */
export function authorizeChannel(channel: Channel, officer: Pick<Officer, 'roles'>): void {
  if (CHANNEL_ROLES[channel] === 'kiosk') throw new StationError('FORBIDDEN', 'This is for the self-service kiosk only.', { channel, rule: 'kioskOnly' });
  if (!mayCall(officer, channel)) {
    const need = channelRoles(channel);
    throw new StationError('FORBIDDEN', `This needs ${rolesPhrase(need)}.`, { channel, roles: need.join(',') });
  }
}

/**
 * The officer calling a service that a channel carries (services are called
 * outside dispatch too: CLI, batch): logged in, holding the channel's roles.
 * @throws StationError NOT_AUTHENTICATED (no officer), FORBIDDEN (role missing)
 */
export function requireCaller(caller: Caller, channel: Channel): Officer {
  if (caller.kind !== 'officer') throw new StationError('NOT_AUTHENTICATED', 'Log in as an officer first.');
  authorizeChannel(channel, caller.officer);
  return caller.officer;
}

/**
 * Requires an officer holding one of `roles`, for operations no channel
 * carries (`station officer disable`, `station outbox`).
 * @returns the officer
 * @throws StationError NOT_AUTHENTICATED (no officer), FORBIDDEN (role missing)
 */
export function requireOfficer(caller: Caller, roles: readonly Role[]): Officer {
  if (caller.kind !== 'officer') throw new StationError('NOT_AUTHENTICATED', 'Log in as an officer first.');
  if (!hasAnyRole(caller.officer, roles)) throw new StationError('FORBIDDEN', `This needs ${rolesPhrase(roles)}.`, { roles: roles.join(',') });
  return caller.officer;
}

/**
 * A kiosk may only create a request for the person who identified at it.
 * @throws StationError FORBIDDEN
 */
export function assertKioskMayRequestFor(caller: Extract<Caller, { kind: 'kiosk' }>, personId: string): void {
  if (!caller.personId || caller.personId !== personId) {
    throw new StationError('FORBIDDEN', 'A self-service kiosk can only request a card for the person who identified at it.', { rule: 'kioskOwnPerson' });
  }
}

/** The audit actor of a caller: the officer's username, or 'idprs' / 'kiosk' / 'anonymous'. */
export function actorOf(caller: Caller): string {
  return caller.kind === 'officer' ? caller.officer.username : caller.kind;
}
