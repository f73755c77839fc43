/**
 * Officer rules the core enforces and the screens show, written once: the
 * roles and their words, and the password rule (access.ts says what the roles
 * let an officer call). Imports nothing runtime-specific.
 */

/** Officer roles (issue 4), as card management systems name them. An officer may hold several. */
export const ROLES = ['registration', 'approver', 'production', 'security', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Each role's name (tables, checkboxes, sentences) and what it is for (`station officer add --help`). */
export const ROLE_WORDS: Readonly<Record<Role, { name: string; duty: string }>> = {
  registration: { name: 'Registration officer', duty: 'registers persons and requests cards' },
  approver: { name: 'Approver', duty: 'approves or rejects card requests' },
  production: { name: 'Card production administrator', duty: 'produces cards, runs batches' },
  security: { name: 'Security officer', duty: 'revocation, suspension, PIN unlock' },
  auditor: { name: 'Auditor', duty: 'reads the audit log' },
  admin: { name: 'Administrator', duty: 'officers and card profiles' },
};

/** "the Approver role" / "one of the roles Approver or Auditor". */
export function rolesPhrase(roles: readonly Role[]): string {
  const names = roles.map((r) => ROLE_WORDS[r].name);
  if (names.length === 1) return `the ${names[0]} role`;
  return `one of the roles ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** True when `officer` holds at least one of `roles`. */
export function hasAnyRole(officer: { roles: readonly Role[] }, roles: readonly Role[]): boolean {
  return roles.some((r) => officer.roles.includes(r));
}

/** Officer passwords: at least 12 characters, no composition rules (NIST SP 800-63B §5.1.1.2 favours long passphrases). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted (scrypt hashes it whole). */
export const MAX_PASSWORD_LENGTH = 256;
/** The password rule in words, shown beside every password field. */
export const PASSWORD_RULE = `At least ${MIN_PASSWORD_LENGTH} characters; a phrase of several words is easiest to remember.`;
/** The sentence for a password that is too short. */
export const PASSWORD_TOO_SHORT = `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`;

/** Why a new password is refused, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return PASSWORD_TOO_SHORT;
  if (password.length > MAX_PASSWORD_LENGTH) return `The password must have at most ${MAX_PASSWORD_LENGTH} characters.`;
  return null;
}

/** An officer as the account rules see it. */
export interface AccountView {
  id: string;
  username: string;
  status: 'active' | 'disabled';
  roles: readonly Role[];
}

/** A change an administrator makes to an account: its status, its roles, or both. */
export interface AccountChange {
  status?: 'active' | 'disabled';
  roles?: readonly Role[];
}

/**
 * Why an administrator (`actorId`) may not make `change` to `target`, or
 * null: nobody disables their own account or takes the Administrator role
 * from themselves (another administrator must, so an account is never
 * shut out by its own hand), and the station always keeps one active
 * administrator (else nobody could manage officers again: issue 12 obs. 9).
 * The core refuses with this (details.rule); the Officers screen shows it
 * beside the control it disables.
 * @param officers every officer of the station (the target among them)
 */
export function accountChangeProblem(actorId: string, target: AccountView, change: AccountChange, officers: readonly AccountView[]): { rule: string; sentence: string } | null {
  const self = actorId === target.id;
  if (self && change.status === 'disabled') return { rule: 'disableSelf', sentence: 'You cannot disable your own account: another administrator must do it.' };
  if (self && change.roles && !change.roles.includes('admin') && target.roles.includes('admin')) {
    return { rule: 'demoteSelf', sentence: `You cannot take the ${ROLE_WORDS.admin.name} role from your own account: another administrator must do it.` };
  }
  const after = officers.map((o) => (o.id === target.id ? { ...o, status: change.status ?? o.status, roles: change.roles ?? o.roles } : o));
  const activeAdmins = (list: readonly AccountView[]) => list.filter((o) => o.status === 'active' && o.roles.includes('admin')).length;
  if (activeAdmins(officers) > 0 && activeAdmins(after) === 0) {
    return {
      rule: 'lastAdmin',
      sentence: `${target.username} is the last active ${ROLE_WORDS.admin.name}: give another officer that role first, or nobody could manage officers.`,
    };
  }
  return null;
}
