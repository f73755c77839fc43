/**
 * Who may do what: the channel role table (CHANNEL_ROLES in the contract) and
 * the separation-of-duties rules (workflow/types.ts SEPARATION_OF_DUTIES),
 * checked in the core. Each refusal is a StationError FORBIDDEN with one
 * sentence saying which role or rule refused it.
 */
import { CHANNEL_ROLES, type Channel } from '../../contract/station-api.js';
import { StationError } from '../errors.js';
import { ROLE_LABELS, type CardRequest, type Caller, type Officer, type Role } from './types.js';

/** A role's name in a sentence ("Approver", "Card production administrator"). */
export function roleName(role: Role): string {
  return ROLE_LABELS[role].split(':')[0]!;
}

/** "the Approver role" / "one of the roles Approver or Auditor". */
function rolesPhrase(roles: readonly Role[]): string {
  if (roles.length === 1) return `the ${roleName(roles[0]!)} role`;
  const names = roles.map(roleName);
  return `one of the roles ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** True when `officer` holds at least one of `roles`. */
export function hasAnyRole(officer: Pick<Officer, 'roles'>, roles: readonly Role[]): boolean {
  return roles.some((r) => officer.roles.includes(r));
}

/**
 * Checks the channel's role requirement for a logged-in officer.
 * 'public' and 'officer' channels pass; 'kiosk' channels never pass for an
 * officer (kiosk.ts); others need one of their roles.
 * @throws StationError FORBIDDEN naming the role(s) needed
 */
export function authorizeChannel(channel: Channel, officer: Pick<Officer, 'roles'>): void {
  const need = CHANNEL_ROLES[channel];
  if (need === 'public' || need === 'officer') return;
  if (need === 'kiosk') throw new StationError('FORBIDDEN', 'This is for the self-service kiosk only.', { channel, rule: 'kioskOnly' });
  if (!hasAnyRole(officer, need)) {
    throw new StationError('FORBIDDEN', `This needs ${rolesPhrase(need)}.`, { channel, roles: need.join(',') });
  }
}

/**
 * Requires an officer holding one of `roles` (services called outside
 * dispatch: CLI, batch). @returns the officer
 * @throws StationError NOT_AUTHENTICATED (no officer), FORBIDDEN (role missing)
 */
export function requireOfficer(caller: Caller, roles: readonly Role[]): Officer {
  if (caller.kind !== 'officer') throw new StationError('NOT_AUTHENTICATED', 'Log in as an officer first.');
  if (!hasAnyRole(caller.officer, roles)) throw new StationError('FORBIDDEN', `This needs ${rolesPhrase(roles)}.`, { roles: roles.join(',') });
  return caller.officer;
}

/**
 * Separation of duties for an approval decision: an approver cannot approve
 * a request they created, nor a request for themselves.
 * @throws StationError FORBIDDEN with the rule in plain words
 */
export function assertMayApprove(officer: Officer, request: Pick<CardRequest, 'requestedBy' | 'personId'>): void {
  if (request.requestedBy !== null && request.requestedBy === officer.id) {
    throw new StationError('FORBIDDEN', 'You created this request: another approver must approve it.', { rule: 'approveOwnRequest' });
  }
  if (officer.personId !== null && officer.personId === request.personId) {
    throw new StationError('FORBIDDEN', 'This request is for your own card: another approver must approve it.', { rule: 'approveForSelf' });
  }
}

/**
 * Separation of duties for production: an officer cannot produce a card for themselves.
 * @throws StationError FORBIDDEN
 */
export function assertMayProduceFor(officer: Officer, personId: string): void {
  if (officer.personId !== null && officer.personId === personId) {
    throw new StationError('FORBIDDEN', 'You cannot produce a card for yourself: another production officer must produce it.', { rule: 'produceForSelf' });
  }
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
