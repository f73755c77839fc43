/**
 * `station officer add|list|edit|disable|enable|reset-password`: officer accounts. The first officer of a
 * station is added without --as (`auth.firstRunAdmin`: the core requires the
 * admin role among its roles); after that an administrator adds officers
 * (`officers.add` as --as), changes their display name and roles (`officers.update`), disables and
 * re-enables them (`officers.setStatus`) and resets their password (`officers.resetPassword`, the new
 * password printed once). The core's account rules decide (one's own account, the last administrator);
 * the command only names the officer by username.
 */
import { newSecret, type CliContext } from '../context.js';
import { required } from '../args.js';
import { StationError } from '../../core/errors.js';
import type { ChannelInput, OfficerView } from '../../contract/station-api.js';

type Flags = Record<string, string | boolean | undefined>;

/** The option each field of an officer comes from. */
const OFFICER_OPTIONS = { username: '--username', displayName: '--display-name', roles: '--roles', personId: '--person', password: 'STATION_NEW_PASSWORD' } as const;

/**
 * The new officer's password: STATION_NEW_PASSWORD; for the first officer
 * (no --as) also STATION_PASSWORD; else typed twice on a terminal.
 */
function newPassword(firstRun: boolean): Promise<string> {
  return newSecret(process.env.STATION_NEW_PASSWORD ?? (firstRun ? process.env.STATION_PASSWORD : undefined), 'STATION_NEW_PASSWORD', 'officer password');
}

/** A --roles list as the channels take it (the core checks each role). */
const rolesOf = (value: string): ChannelInput<'officers.add'>['roles'] =>
  value
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean) as ChannelInput<'officers.add'>['roles'];

const USAGE =
  'Usage: station officer add --username U --roles r1,r2 [--display-name N] [--person ID] | station officer list | station officer edit USERNAME [--display-name N] [--roles r1,r2] | station officer disable USERNAME | station officer enable USERNAME | station officer reset-password USERNAME';

/**
 * The officer an administrator names by username (officers.list, as the Officers screen).
 * @throws StationError INVALID_INPUT (no username), NOT_FOUND_RECORD (no such officer)
 */
async function officerNamed(ctx: CliContext, verb: string, username: string | undefined): Promise<OfficerView> {
  if (!username) throw new StationError('INVALID_INPUT', `Usage: station officer ${verb} USERNAME`);
  const officer = (await ctx.call('officers.list', {})).find((o) => o.username === username);
  if (!officer) throw new StationError('NOT_FOUND_RECORD', `There is no officer ${username}.`, { username });
  return officer;
}

/** One officer as the commands print it. */
const officerLine = (o: OfficerView): string => `${o.username.padEnd(20)} ${o.status.padEnd(8)} ${o.roles.join(',')}  ${o.displayName}`;

/**
 * `station officer add --username U --roles r1,r2 [--display-name N] [--person ID]`, `station officer list`,
 * `station officer edit USERNAME [--display-name N] [--roles r1,r2]`, `station officer disable|enable USERNAME`,
 * `station officer reset-password USERNAME`.
 * @returns the exit code (0)
 * @throws StationError INVALID_INPUT (usage), NOT_FOUND_RECORD, and the core's refusals (FORBIDDEN: not an administrator, one's own account, the last administrator)
 */
export async function officerCommand(ctx: CliContext, verb: string | undefined, flags: Flags, args: string[] = []): Promise<number> {
  if (verb === 'add') {
    const username = required('username', flags.username);
    const roles = rolesOf(required('roles', flags.roles));
    const displayName = typeof flags['display-name'] === 'string' ? flags['display-name'] : username;
    const personId = typeof flags.person === 'string' ? flags.person : null;
    // The first officer needs no login (there is nobody to log in as; --as is ignored); afterwards an administrator adds officers.
    const { firstRun } = await ctx.call('auth.status', {});
    const input = { username, displayName, password: await newPassword(firstRun), roles, personId };
    const officer = firstRun ? await ctx.call('auth.firstRunAdmin', input, OFFICER_OPTIONS) : await ctx.call('officers.add', input, OFFICER_OPTIONS);
    ctx.result(officer, () => process.stdout.write(`Officer ${officer.username} added (${officer.roles.join(', ')}).\n`));
    return 0;
  }
  if (verb === 'list') {
    const officers = await ctx.call('officers.list', {});
    ctx.result(officers, () => officers.forEach((o) => process.stdout.write(`${officerLine(o)}\n`)));
    return 0;
  }
  if (verb === 'edit') {
    const target = await officerNamed(ctx, verb, args[0]);
    const displayName = typeof flags['display-name'] === 'string' ? flags['display-name'] : undefined;
    const roles = typeof flags.roles === 'string' ? rolesOf(flags.roles) : undefined;
    if (displayName === undefined && roles === undefined) throw new StationError('INVALID_INPUT', 'Give --display-name or --roles (or both) to change.');
    const officer = await ctx.call('officers.update', { officerId: target.id, displayName, roles }, { displayName: '--display-name', roles: '--roles' });
    ctx.result(officer, () => process.stdout.write(`Officer ${officer.username} changed: ${officerLine(officer)}\n`));
    return 0;
  }
  if (verb === 'disable' || verb === 'enable') {
    const target = await officerNamed(ctx, verb, args[0]);
    const officer = await ctx.call('officers.setStatus', { officerId: target.id, status: verb === 'disable' ? 'disabled' : 'active' });
    ctx.result(officer, () => process.stdout.write(`Officer ${officer.username} ${verb === 'disable' ? 'disabled: their sessions have ended' : 'enabled again'}.\n`));
    return 0;
  }
  if (verb === 'reset-password') {
    const target = await officerNamed(ctx, verb, args[0]);
    const { officer, password } = await ctx.call('officers.resetPassword', { officerId: target.id });
    // The one place the new password is shown: the administrator hands it over; the station keeps only its hash.
    ctx.result({ officer, password }, () =>
      process.stdout.write(`New password for ${officer.username} (shown once: hand it over to the officer; their sessions have ended):\n${password}\n`),
    );
    return 0;
  }
  throw new StationError('INVALID_INPUT', USAGE);
}
