/**
 * `station officer add|list`: officer accounts. The first officer of a
 * station is added without --as (`auth.firstRunAdmin`: the core requires the
 * admin role among its roles); after that an administrator adds officers
 * (`officers.add` as --as).
 */
import type { CliContext } from '../context.js';
import { promptHidden } from '../../boot/terminal.js';
import { required } from '../args.js';
import { StationError } from '../../core/errors.js';
import type { ChannelInput } from '../../contract/station-api.js';

type Flags = Record<string, string | boolean | undefined>;

/** The option each field of an officer comes from. */
const OFFICER_OPTIONS = { username: '--username', displayName: '--display-name', roles: '--roles', personId: '--person', password: 'STATION_NEW_PASSWORD' } as const;

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
  if (verb === 'add') {
    const username = required('username', flags.username);
    const roles = required('roles', flags.roles)
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean) as ChannelInput<'officers.add'>['roles'];
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
    ctx.result(officers, () => officers.forEach((o) => process.stdout.write(`${o.username.padEnd(20)} ${o.status.padEnd(8)} ${o.roles.join(',')}  ${o.displayName}\n`)));
    return 0;
  }
  throw new StationError('INVALID_INPUT', 'Usage: station officer add --username U --roles r1,r2 [--display-name N] [--person ID] | station officer list');
}
