/**
 * The officer roles and what each is for, as plain data (no zod): the
 * contract's RoleShape is built from them, and `station --help` prints them
 * without loading anything else. Imports nothing.
 */

/** Officer roles, in the order screens and `station --help` list them. */
export const ROLE_NAMES = ['registration', 'approver', 'production', 'security', 'auditor', 'admin'] as const;

/** What each role is for, for screens and `station --help`. */
export const ROLE_LABELS: Readonly<Record<(typeof ROLE_NAMES)[number], string>> = {
  registration: 'Registration officer: registers persons and requests cards',
  approver: 'Approver: approves or rejects card requests',
  production: 'Card production administrator: produces cards, runs batches',
  security: 'Security officer: revocation, suspension, PIN unlock',
  auditor: 'Auditor: reads the audit log',
  admin: 'Administrator: officers and card profiles',
};
