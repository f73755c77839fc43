/** `station person add|search|show`: the people cards are produced for. */
import { z } from 'zod';
import type { CliContext } from '../context.js';
import { parseOption, required } from '../args.js';
import { StationError } from '../../core/errors.js';
import { importPersonsCsv } from './person-import.js';

type Flags = Record<string, string | boolean | undefined>;

const NameSchema = z.string().trim().min(1, 'must not be empty').max(64, 'at most 64 characters');

/** `station person add --given-name G --surname S [--email E] [--employee-id N] [--affiliation A]`, `search`, `show`, `import FILE.csv` */
export async function personCommand(ctx: CliContext, verb: string | undefined, args: string[], flags: Flags): Promise<number> {
  const station = await ctx.station();
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
  throw new StationError('INVALID_INPUT', 'Usage: station person add|search|show|import');
}
