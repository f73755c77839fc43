/** `station person add|edit|search|show|import`: the people cards are produced for. */
import { z } from 'zod';
import type { CliContext } from '../context.js';
import { parseOption, required } from '../args.js';
import { StationError } from '../../core/errors.js';
import { importPersonsCsv } from './person-import.js';
import { channels } from '../../contract/station-api.js';
import { editPerson } from '../../core/workflow/person-edit.js';
import { plainName } from '../../contract/plain-text.js';

type Flags = Record<string, string | boolean | undefined>;

const NameSchema = plainName('the name', 64);

/** The option each editable field comes from. */
const EDIT_OPTIONS = { givenName: 'given-name', surname: 'surname', email: 'email', employeeId: 'employee-id', affiliation: 'affiliation' } as const;

/**
 * The `persons.update` input from `station person edit ID` options, checked by
 * the contract's own schema (the same rules as the officer UI). An empty
 * `--email ""` or `--employee-id ""` clears that attribute.
 * @throws StationError INVALID_INPUT naming the option
 */
export function personEditInput(id: string | undefined, flags: Flags) {
  if (!id) throw new StationError('INVALID_INPUT', 'Usage: station person edit ID [--given-name G] [--surname S] [--email E] [--employee-id N] [--affiliation A]');
  const input: Record<string, unknown> = { id };
  for (const [field, option] of Object.entries(EDIT_OPTIONS)) {
    const value = flags[option];
    if (typeof value !== 'string') continue;
    input[field] = value === '' && (field === 'email' || field === 'employeeId') ? null : value;
  }
  if (Object.keys(input).length === 1) throw new StationError('INVALID_INPUT', 'Name at least one attribute to change (--given-name, --surname, --email, --employee-id, --affiliation).');
  const r = channels['persons.update'].input.safeParse(input);
  if (!r.success) {
    const field = String(r.error.issues[0]?.path[0] ?? 'id') as keyof typeof EDIT_OPTIONS | 'id';
    const option = field === 'id' ? 'person id' : `--${EDIT_OPTIONS[field]}`;
    throw new StationError('INVALID_INPUT', `Invalid ${option}: ${r.error.issues[0]?.message ?? 'bad value'}.`, { option });
  }
  return r.data;
}

/** `station person add --given-name G --surname S [--email E] [--employee-id N] [--affiliation A]`, `edit ID [options]`, `search`, `show`, `import FILE.csv` */
export async function personCommand(ctx: CliContext, verb: string | undefined, args: string[], flags: Flags): Promise<number> {
  const station = await ctx.station();
  if (verb === 'edit') {
    const caller = await ctx.authorize('persons.update');
    const { id, ...edit } = personEditInput(args[0], flags);
    const person = editPerson({ store: station.store, config: station.config }, id, edit, caller);
    ctx.result(person, () => process.stdout.write(`${person.id}  ${person.surname}, ${person.givenName}  ${person.employeeId ?? ''}  ${person.email ?? ''}  ${person.affiliation}\n`));
    return 0;
  }
  if (verb === 'import') {
    const caller = await ctx.authorize('persons.add');
    const file = args[0];
    if (!file) throw new StationError('INVALID_INPUT', 'Usage: station person import FILE.csv');
    const result = importPersonsCsv(station.store, file, caller.officer.username);
    ctx.result(result, () => {
      if (result.errors.length === 0) process.stdout.write(`${result.added} persons imported.\n`);
      else {
        process.stderr.write(`Nothing was imported: ${result.errors.length} row(s) are wrong.\n`);
        for (const e of result.errors) process.stderr.write(`  line ${e.line}: ${e.message}\n`);
      }
    });
    return result.errors.length === 0 ? 0 : 1;
  }
  await ctx.authorize(verb === 'add' ? 'persons.add' : verb === 'show' ? 'persons.get' : 'persons.search');
  if (verb === 'add') {
    const person = station.store.persons.add({
      givenName: parseOption('--given-name', NameSchema, required('given-name', flags['given-name'])),
      surname: parseOption('--surname', NameSchema, required('surname', flags.surname)),
      email: flags.email ? parseOption('--email', z.string().email('not an e-mail address'), flags.email) : null,
      employeeId: flags['employee-id'] ? parseOption('--employee-id', z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'letters, digits and dashes'), flags['employee-id']) : null,
      affiliation: parseOption('--affiliation', z.enum(['employee', 'contractor', 'visitor']), flags.affiliation ?? 'employee'),
    });
    station.store.audit.append({ actor: ctx.options.as ?? 'station', action: 'person.added', outcome: 'ok', personId: person.id });
    ctx.result(person, () => process.stdout.write(`${person.id}\n`));
    return 0;
  }
  if (verb === 'search') {
    const found = station.store.persons.search(args.join(' '), 50);
    ctx.result(found, () => found.forEach((p) => process.stdout.write(`${p.id}  ${p.surname}, ${p.givenName}  ${p.employeeId ?? ''}  ${p.email ?? ''}\n`)));
    return 0;
  }
  if (verb === 'show') {
    const person = station.store.persons.get(args[0] ?? '');
    if (!person) throw new StationError('NOT_FOUND_RECORD', `There is no person ${args[0]}.`);
    const cards = station.store.cards.listByPerson(person.id);
    ctx.result({ person, cards }, () => {
      process.stdout.write(`${person.givenName} ${person.surname} (${person.affiliation})\n`);
      cards.forEach((c) => process.stdout.write(`  card ${c.credentialNumber} ${c.status}\n`));
    });
    return 0;
  }
  throw new StationError('INVALID_INPUT', 'Usage: station person add|edit|search|show|import');
}
