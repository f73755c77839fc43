/**
 * Officers repository: station officer accounts and their roles. The password
 * hash is read only through {@link OfficersRepository.passwordHash}: an
 * OfficerRecord never carries it.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { plainName } from '../../contract/plain-text.js';
import { ROLES, type Role } from '../workflow/types.js';
import { guard, notFound, validate, type StoreContext } from './sql.js';

export const OFFICER_STATUSES = ['active', 'disabled'] as const;
export type OfficerStatus = (typeof OFFICER_STATUSES)[number];

/** An officer as stored (roles sorted in ROLES order; no password hash). */
export interface OfficerRecord {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  status: OfficerStatus;
  personId: string | null;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
}

export interface NewOfficer {
  username: string;
  displayName: string;
  /** Already hashed (workflow/officers-password.ts); never a plain password. */
  passwordHash: string;
  roles: Role[];
  personId?: string | null;
}

const NEW_OFFICER = z.object({
  username: z.string().regex(/^[a-z][a-z0-9._-]{2,31}$/),
  displayName: plainName('The display name', 80),
  passwordHash: z.string().min(1).max(1000),
  roles: z.array(z.enum(ROLES)).min(1),
  personId: z.uuid().nullish(),
});

interface OfficerRow {
  id: string;
  username: string;
  display_name: string;
  status: OfficerStatus;
  person_id: string | null;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  roles: string | null;
}

function toRecord(row: OfficerRow): OfficerRecord {
  const held = new Set((row.roles ?? '').split(',').filter(Boolean));
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: ROLES.filter((r) => held.has(r)),
    status: row.status,
    personId: row.person_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastLoginAt: row.last_login_at,
  };
}

export interface OfficersRepository {
  /** @throws StationError INVALID_INPUT (bad field, username taken), NOT_FOUND_RECORD (unknown person) */
  create(o: NewOfficer): OfficerRecord;
  get(id: string): OfficerRecord | undefined;
  getByUsername(username: string): OfficerRecord | undefined;
  /** The stored password hash of `id`, or undefined. */
  passwordHash(id: string): string | undefined;
  /** Every officer, by username. */
  list(): OfficerRecord[];
  count(): number;
  /** @throws StationError NOT_FOUND_RECORD */
  setStatus(id: string, status: OfficerStatus): OfficerRecord;
  /** Replaces the officer's roles. @throws StationError NOT_FOUND_RECORD, INVALID_INPUT */
  setRoles(id: string, roles: Role[]): OfficerRecord;
  /** Changes the display name. @throws StationError NOT_FOUND_RECORD, INVALID_INPUT */
  setDisplayName(id: string, displayName: string): OfficerRecord;
  /** Replaces the password hash (already hashed: workflow/officers-password.ts). @throws StationError NOT_FOUND_RECORD */
  setPasswordHash(id: string, passwordHash: string): OfficerRecord;
  /** Records a successful login. */
  touchLogin(id: string): void;
  /** Links the officer to a person record (null: unlinks). @throws StationError NOT_FOUND_RECORD (officer or person) */
  setPerson(id: string, personId: string | null): OfficerRecord;
}

export function officersRepository(ctx: StoreContext): OfficersRepository {
  const { db } = ctx;
  const SELECT = `SELECT o.*, (SELECT group_concat(role) FROM officer_roles r WHERE r.officer_id = o.id) AS roles FROM officers o`;
  const insert = db.prepare(
    `INSERT INTO officers (id, username, display_name, password_hash, status, person_id, created_at, updated_at)
     VALUES (@id, @username, @displayName, @passwordHash, 'active', @personId, @now, @now)`,
  );
  const insertRole = db.prepare('INSERT INTO officer_roles (officer_id, role) VALUES (?, ?)');
  const deleteRoles = db.prepare('DELETE FROM officer_roles WHERE officer_id = ?');
  const byId = db.prepare(`${SELECT} WHERE o.id = ?`);
  const byUsername = db.prepare(`${SELECT} WHERE o.username = ?`);
  const all = db.prepare(`${SELECT} ORDER BY o.username`);
  const hash = db.prepare('SELECT password_hash FROM officers WHERE id = ?');
  const countAll = db.prepare('SELECT count(*) AS n FROM officers');
  const status = db.prepare('UPDATE officers SET status = ?, updated_at = ? WHERE id = ?');
  const touched = db.prepare('UPDATE officers SET updated_at = ? WHERE id = ?');
  const login = db.prepare('UPDATE officers SET last_login_at = ? WHERE id = ?');
  const person = db.prepare('UPDATE officers SET person_id = ?, updated_at = ? WHERE id = ?');
  const name = db.prepare('UPDATE officers SET display_name = ?, updated_at = ? WHERE id = ?');
  const password = db.prepare('UPDATE officers SET password_hash = ?, updated_at = ? WHERE id = ?');

  const get = (id: string): OfficerRecord | undefined => {
    const row = guard('officer', () => byId.get(id) as OfficerRow | undefined);
    return row ? toRecord(row) : undefined;
  };
  const writeRoles = (id: string, roles: readonly Role[]) => {
    deleteRoles.run(id);
    for (const role of new Set(roles)) insertRole.run(id, role);
  };

  return {
    create(o) {
      const v = validate(NEW_OFFICER, o, 'officer');
      const id = randomUUID();
      guard('officer', () =>
        db.transaction(() => {
          insert.run({ id, username: v.username, displayName: v.displayName, passwordHash: v.passwordHash, personId: v.personId ?? null, now: ctx.now() });
          writeRoles(id, v.roles);
        })(),
      );
      return get(id)!;
    },
    get,
    getByUsername(username) {
      const row = guard('officer', () => byUsername.get(username) as OfficerRow | undefined);
      return row ? toRecord(row) : undefined;
    },
    passwordHash(id) {
      return guard('officer', () => (hash.get(id) as { password_hash: string } | undefined)?.password_hash);
    },
    list() {
      return guard('officer', () => all.all() as OfficerRow[]).map(toRecord);
    },
    count() {
      return guard('officer', () => (countAll.get() as { n: number }).n);
    },
    setStatus(id, s) {
      const v = validate(z.enum(OFFICER_STATUSES), s, 'officer status');
      const r = guard('officer', () => status.run(v, ctx.now(), id));
      if (r.changes === 0) throw notFound('officer', id);
      return get(id)!;
    },
    setRoles(id, roles) {
      const v = validate(z.array(z.enum(ROLES)).min(1), roles, 'officer roles');
      guard('officer', () =>
        db.transaction(() => {
          if (touched.run(ctx.now(), id).changes === 0) throw notFound('officer', id);
          writeRoles(id, v);
        })(),
      );
      return get(id)!;
    },
    setDisplayName(id, displayName) {
      const v = validate(plainName('The display name', 80), displayName, 'officer display name');
      if (guard('officer', () => name.run(v, ctx.now(), id)).changes === 0) throw notFound('officer', id);
      return get(id)!;
    },
    setPasswordHash(id, passwordHash) {
      const v = validate(z.string().min(1).max(1000), passwordHash, 'officer password hash');
      if (guard('officer', () => password.run(v, ctx.now(), id)).changes === 0) throw notFound('officer', id);
      return get(id)!;
    },
    touchLogin(id) {
      guard('officer', () => login.run(ctx.now(), id));
    },
    setPerson(id, personId) {
      const v = validate(z.uuid().nullable(), personId, 'officer person');
      const r = guard('officer', () => person.run(v, ctx.now(), id));
      if (r.changes === 0) throw notFound('officer', id);
      return get(id)!;
    },
  };
}
