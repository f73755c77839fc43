/**
 * StationApi, officers and sessions: first run, login and logout on a
 * connection, and the officer accounts (administrators).
 */
import { z } from 'zod';
import { plainName } from '../plain-text.js';
import { Id, RoleShape } from './fields.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PASSWORD_TOO_SHORT } from '../officer-rules.js';

const Username = z.string().regex(/^[a-z][a-z0-9._-]{2,31}$/, 'A username is 3 to 32 lower-case letters, digits, dots, dashes or underscores.');
const DisplayName = plainName('The display name', 80);
/** Officer passwords (officer-rules.ts: the length rule, NIST SP 800-63B §5.1.1.2). */
const Password = z.string().min(MIN_PASSWORD_LENGTH, PASSWORD_TOO_SHORT).max(MAX_PASSWORD_LENGTH);

export const OfficerShape = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(RoleShape),
  personId: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  createdAt: z.string(),
  /** True when failed logins locked the account until an administrator unlocks it (officers.list, officers.unlock). */
  loginLocked: z.boolean().optional(),
});
export type OfficerView = z.infer<typeof OfficerShape>;

export const authChannels = {
  /** Whether the station has officers yet (first run), and who is logged in on this connection. */
  'auth.status': {
    input: z.object({}).strict(),
    output: z.object({
      firstRun: z.boolean(),
      officer: OfficerShape.nullable(),
      locked: z.boolean(),
      lockAfterSeconds: z.number(),
      /** Single-use token with which a reload of this page (same launch) takes the session over: `auth.resume`. */
      resumeToken: z.string().optional(),
    }),
  },
  /**
   * A reloaded page of the same launch takes over its session (issue 12 obs. 5):
   * the session moves to this connection, locked if it was or is idle too long;
   * the answer carries a fresh token. NOT_AUTHENTICATED when no session holds it.
   */
  'auth.resume': {
    input: z.object({ token: z.string().min(1).max(128) }).strict(),
    output: z.object({ firstRun: z.boolean(), officer: OfficerShape.nullable(), locked: z.boolean(), lockAfterSeconds: z.number(), resumeToken: z.string().optional() }),
  },
  /**
   * First run only (no officer exists): creates the administrator and logs them
   * in on this connection. `roles` (default admin only) must include admin.
   */
  'auth.firstRunAdmin': {
    input: z.object({ username: Username, displayName: DisplayName, password: Password, roles: z.array(RoleShape).min(1).optional(), personId: Id.nullable().optional() }).strict(),
    output: OfficerShape,
  },
  /** Logs in on this connection (also unlocks a session locked by inactivity). */
  'auth.login': { input: z.object({ username: Username, password: z.string().min(1).max(256) }).strict(), output: OfficerShape },
  'auth.logout': { input: z.object({}).strict(), output: z.object({}) },
  'officers.list': { input: z.object({}).strict(), output: z.array(OfficerShape) },
  /** Lifts an officer's login lockout (too many failed logins) and forgets their failures; audited. */
  'officers.unlock': { input: z.object({ officerId: Id }).strict(), output: OfficerShape },
  'officers.add': {
    input: z
      .object({ username: Username, displayName: DisplayName, password: Password, roles: z.array(RoleShape).min(1), personId: Id.nullable().optional() })
      .strict(),
    output: OfficerShape,
  },
  /**
   * Links an officer to their own person record (or unlinks: null), so
   * separation of duties knows whose cards are their own. Administrators
   * only; never one's own link.
   */
  'officers.link': { input: z.object({ officerId: Id, personId: Id.nullable() }).strict(), output: OfficerShape },
  /**
   * Changes an officer's display name and/or roles (issue 12 obs. 9);
   * audited with the old and new values. Refused by the account rules
   * (officer-rules.ts accountChangeProblem: demoteSelf, lastAdmin).
   */
  'officers.update': {
    input: z.object({ officerId: Id, displayName: DisplayName.optional(), roles: z.array(RoleShape).min(1, 'Choose at least one role.').optional() }).strict(),
    output: OfficerShape,
  },
  /**
   * Disables or re-enables an officer; a disabled officer's sessions end at
   * once. Refused by the account rules (disableSelf, lastAdmin); audited.
   */
  'officers.setStatus': { input: z.object({ officerId: Id, status: z.enum(['active', 'disabled']) }).strict(), output: OfficerShape },
  /**
   * Replaces an officer's password with a new random one, answered once
   * (the station keeps only its hash: the administrator hands it over, the
   * officer's sessions end); audited without the password.
   */
  'officers.resetPassword': { input: z.object({ officerId: Id }).strict(), output: z.object({ officer: OfficerShape, password: z.string() }) },
} as const;
