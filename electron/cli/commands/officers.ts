/**
 * `station officer add|list`: officer accounts. The first officer of a
 * station may be added without --as and must hold the admin role; after
 * that only an administrator (--as) adds officers.
 */
import { z } from 'zod';
import type { CliContext } from '../context.js';
import { promptHidden } from '../../boot/terminal.js';
import { parseOption, required } from '../args.js';
import { StationError } from '../../core/errors.js';
import { ROLES, ROLE_LABELS, type Caller } from '../../core/workflow/types.js';

type Flags = Record<string, string | boolean | undefined>;

const UsernameOption = z.string().regex(/^[a-z][a-z0-9._-]{2,31}$/, '3 to 32 lower-case letters, digits, dots, dashes or underscores');
const RolesOption = z
  .string()
  .transform((s) => s.split(',').map((r) => r.trim()).filter(Boolean))
  .pipe(z.array(z.enum(ROLES, `each role is one of ${ROLES.join(', ')}`)).min(1, 'at least one role'));

/** The help text listing the roles. */
export const ROLES_HELP = ROLES.map((r) => `    ${r.padEnd(13)} ${ROLE_LABELS[r]}`).join('\n');

/**
 * The new officer's password: STATION_NEW_PASSWORD; for the first officer
 * (no --as) also STATION_PASSWORD; else typed twice on a terminal.
 */
async function newPassword(firstRun: boolean): Promise<string> {
  const fromEnv = process.env.STATION_NEW_PASSWORD ?? (firstRun ? process.env.STATION_PASSWORD : undefined);
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new StationError('INVALID_INPUT', "Give the new officer's password in STATION_NEW_PASSWORD.");
  const a = await promptHidden('New officer password: ');
  const b = await promptHidden('Repeat the password: ');
  if (a !== b) throw new StationError('INVALID_INPUT', 'The two passwords differ.');
  return a;
}

/** `station officer add --username U --roles r1,r2 [--display-name N] [--person ID]`, `station officer list` */
export async function officerCommand(ctx: CliContext, verb: string | undefined, flags: Flags): Promise<number> {
  const station = await ctx.station();
  if (verb === 'add') {
    const firstRun = station.officers.isFirstRun();
    // The first officer needs no login (there is nobody to log in as; --as is ignored); afterwards an administrator does it.
    const caller: Caller = firstRun ? { kind: 'anonymous' } : await ctx.authorize('officers.add');
    const username = parseOption('--username', UsernameOption, required('username', flags.username));
    const roles = parseOption('--roles', RolesOption, required('roles', flags.roles));
    if (firstRun && !roles.includes('admin')) throw new StationError('FORBIDDEN', 'The first officer must be an administrator: include the admin role.', { rule: 'firstAdmin' });
    const displayName = typeof flags['display-name'] === 'string' ? parseOption('--display-name', z.string().trim().min(1).max(80), flags['display-name']) : username;
    const personId = typeof flags.person === 'string' ? flags.person : null;
    const officer = await station.officers.add({ username, displayName, password: await newPassword(firstRun), roles, personId }, caller);
    ctx.result(officer, () => process.stdout.write(`Officer ${officer.username} added (${officer.roles.join(', ')}).\n`));
    return 0;
  }
  if (verb === 'list') {
    await ctx.authorize('officers.list');
    const officers = station.officers.list();
    ctx.result(officers, () => officers.forEach((o) => process.stdout.write(`${o.username.padEnd(20)} ${o.status.padEnd(8)} ${o.roles.join(',')}  ${o.displayName}\n`)));
    return 0;
  }
  throw new StationError('INVALID_INPUT', 'Usage: station officer add --username U --roles r1,r2 [--display-name N] [--person ID] | station officer list');
}
