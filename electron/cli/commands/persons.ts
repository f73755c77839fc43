/** `station person add|edit|search|show|import`: the people cards are produced for, through the StationApi. */
import { statSync } from 'node:fs';
import type { CliContext } from '../context.js';
import { fileProblem, isFileError, readInputFile } from '../files.js';
import { required } from '../args.js';
import { StationError, isStationError } from '../../core/errors.js';
import { MAX_PERSONS_IMPORT_CHARS, PERSONS_IMPORT_TOO_LARGE, type CardView, type ChannelInput, type Person } from '../../contract/station-api.js';

type Flags = Record<string, string | boolean | undefined>;

/** The option each person field comes from. */
const PERSON_OPTIONS = { id: 'person id', givenName: '--given-name', surname: '--surname', email: '--email', employeeId: '--employee-id', affiliation: '--affiliation' } as const;
/** Editable fields, by option. */
const EDIT_OPTIONS = { givenName: 'given-name', surname: 'surname', email: 'email', employeeId: 'employee-id', affiliation: 'affiliation' } as const;

/**
 * The `persons.update` input from `station person edit ID` options (the core
 * checks it). An empty `--email ""` or `--employee-id ""` clears that attribute.
 * @throws StationError INVALID_INPUT (usage) without an id or an attribute to change
 */
export function personEditInput(id: string | undefined, flags: Flags): ChannelInput<'persons.update'> {
  if (!id) throw new StationError('INVALID_INPUT', 'Usage: station person edit ID [--given-name G] [--surname S] [--email E] [--employee-id N] [--affiliation A]');
  const input: { id: string } & Record<string, string | null> = { id };
  for (const [field, option] of Object.entries(EDIT_OPTIONS)) {
    const value = flags[option];
    if (typeof value !== 'string') continue;
    input[field] = value === '' && (field === 'email' || field === 'employeeId') ? null : value;
  }
  if (Object.keys(input).length === 1) throw new StationError('INVALID_INPUT', 'Name at least one attribute to change (--given-name, --surname, --email, --employee-id, --affiliation).');
  // The values are checked by the core (persons.update's schema), which names the offending field.
  return input as ChannelInput<'persons.update'>;
}

/**
 * A persons CSV file's text, for persons.import (which checks it).
 * @throws StationError INVALID_INPUT when it cannot be read, or cannot fit one import
 */
export function readPersonsFile(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw isFileError(e) ? fileProblem(e, 'persons file', path) : e;
  }
  // A UTF-8 character is at most 4 bytes: a file this large holds too many characters for one import.
  if (size > MAX_PERSONS_IMPORT_CHARS * 4) throw new StationError('INVALID_INPUT', PERSONS_IMPORT_TOO_LARGE);
  return readInputFile(path, 'persons file').toString('utf8');
}

function line(p: Person): string {
  return `${p.id}  ${p.surname}, ${p.givenName}  ${p.employeeId ?? ''}  ${p.email ?? ''}  ${p.affiliation}\n`;
}

/** `station person add --given-name G --surname S [--email E] [--employee-id N] [--affiliation A]`, `edit ID [options]`, `search`, `show`, `import FILE.csv` */
export async function personCommand(ctx: CliContext, verb: string | undefined, args: string[], flags: Flags): Promise<number> {
  const text = (name: string) => (typeof flags[name] === 'string' && flags[name] !== '' ? (flags[name] as string) : undefined);
  switch (verb) {
    case 'add': {
      const person = await ctx.call(
        'persons.add',
        {
          givenName: required('given-name', flags['given-name']),
          surname: required('surname', flags.surname),
          email: text('email') ?? null,
          employeeId: text('employee-id') ?? null,
          affiliation: (text('affiliation') ?? 'employee') as Person['affiliation'],
        },
        PERSON_OPTIONS,
      );
      ctx.result(person, () => process.stdout.write(`${person.id}\n`));
      return 0;
    }
    case 'edit': {
      const person = await ctx.call('persons.update', personEditInput(args[0], flags), PERSON_OPTIONS);
      ctx.result(person, () => process.stdout.write(line(person)));
      return 0;
    }
    case 'search': {
      const found = await ctx.call('persons.search', { query: args.join(' ') });
      // --json keeps its shape (the list of persons); the count is for the reader.
      ctx.result(found.persons, () => {
        found.persons.forEach((p) => process.stdout.write(line(p)));
        if (found.total > found.persons.length) process.stdout.write(`(${found.persons.length} shown of ${found.more ? 'at least ' : ''}${found.total} matching persons)\n`);
      });
      return 0;
    }
    case 'show': {
      const person = await ctx.call('persons.get', { id: args[0] ?? '' }, PERSON_OPTIONS);
      // The cards are shown to the officers who may list cards; the others see the person alone.
      let cards: CardView[] | undefined;
      try {
        cards = await ctx.call('cards.list', { personId: person.id });
      } catch (e) {
        if (!isStationError(e, 'FORBIDDEN')) throw e;
      }
      ctx.result({ person, cards }, () => {
        process.stdout.write(`${person.givenName} ${person.surname} (${person.affiliation})\n`);
        cards?.forEach((c) => process.stdout.write(`  card ${c.credentialNumber} ${c.status}\n`));
      });
      return 0;
    }
    case 'import': {
      const file = args[0];
      if (!file) throw new StationError('INVALID_INPUT', 'Usage: station person import FILE.csv');
      const { imported, errors } = await ctx.call('persons.import', { csv: readPersonsFile(file) });
      ctx.result({ added: imported, errors }, () => {
        if (errors.length === 0) process.stdout.write(`${imported} persons imported.\n`);
        else {
          process.stderr.write(`Nothing was imported: ${errors.length} row(s) are wrong.\n`);
          for (const e of errors) process.stderr.write(`  line ${e.line}: ${e.message}\n`);
        }
      });
      return errors.length === 0 ? 0 : 1;
    }
    default:
      throw new StationError('INVALID_INPUT', 'Usage: station person add|edit|search|show|import');
  }
}
