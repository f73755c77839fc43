/**
 * Runs one parsed `station` command: opens the command's context (the station
 * itself only when the command first needs it), imports the command's module
 * — and with it the core, SQLite, PC/SC or the PKI libraries it uses — only
 * now, runs it, and turns a failure into the CLI's message and exit code
 * (0 success, 1 the operation failed, 2 usage or bad input).
 */
import { StationError, toStationError } from '../core/errors.js';
import { createCliContext, defaultDataDir, type CliContext } from './context.js';
import { fileProblem, isFileError } from './files.js';

type Flags = Record<string, string | boolean | undefined>;
type Command = (ctx: CliContext, verb: string | undefined, rest: string[], flags: Flags) => Promise<number>;

/** Each command's module, imported when the command runs. */
const COMMANDS: Record<string, Command> = {
  officer: async (ctx, verb, rest, flags) => (await import('./commands/officers.js')).officerCommand(ctx, verb, flags, rest),
  request: async (ctx, verb, rest, flags) => (await import('./commands/requests.js')).requestCommand(ctx, verb, rest, flags),
  readers: async (ctx) => (await import('./commands/readers.js')).readersCommand(ctx),
  person: async (ctx, verb, rest, flags) => (await import('./commands/persons.js')).personCommand(ctx, verb, rest, flags),
  produce: async (ctx, _verb, _rest, flags) => (await import('./commands/production.js')).produceCommand(ctx, flags),
  batch: async (ctx, verb, rest, flags) => (await import('./commands/batch.js')).batchCommand(ctx, verb, rest, flags),
  job: async (ctx, verb, rest, flags) => (await import('./commands/production.js')).jobCommand(ctx, verb, rest, flags),
  verify: async (ctx, _verb, _rest, flags) => (await import('./commands/verify.js')).verifyCommand(ctx, flags),
  'virtual-card': async (ctx, verb, _rest, flags) => (await import('./commands/virtual-card.js')).virtualCardCommand(ctx, verb, flags),
  ca: async (ctx, verb) => (await import('./commands/ca.js')).caCommand(ctx, verb),
  outbox: async (ctx, verb, rest, flags) => (await import('./commands/outbox.js')).outboxCommand(ctx, verb, rest, flags),
  cpr: async (ctx, verb, rest, flags) => (await import('./commands/cpr.js')).cprCommand(ctx, verb, rest, flags),
  audit: async (ctx, verb, _rest, flags) => (await import('./commands/audit.js')).auditCommand(ctx, verb, flags),
  card: async (ctx, verb, rest, flags) => (await import('./commands/card.js')).cardCommand(ctx, verb, rest, flags),
  crl: async (ctx, verb, _rest, flags) => (await import('./commands/crl.js')).crlCommand(ctx, verb, flags),
  profile: async (ctx, verb, rest, flags) => (await import('./commands/profiles.js')).profileCommand(ctx, verb, rest, flags),
  demo: async (ctx, _verb, _rest, flags) => (await import('./commands/demo.js')).demoCommand(ctx, flags),
  passphrase: async (ctx, verb) => (await import('./commands/passphrase.js')).passphraseCommand(ctx, verb),
};

/** The commands `station` runs (the help names each). */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

/** The parsed command line of one invocation. */
export interface ParsedCommandLine {
  command: string;
  verb: string | undefined;
  rest: string[];
  flags: Flags & { 'data-dir'?: string | boolean; json?: string | boolean; training?: string | boolean; as?: string | boolean };
}

/**
 * Runs `command`; returns the exit code. Errors are printed (JSON with --json), never thrown.
 * @param usage the help text, printed after an unknown command
 */
export async function runCommand({ command, verb, rest, flags }: ParsedCommandLine, usage: string): Promise<number> {
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    process.stderr.write(`Unknown command "${command}".\n\n${usage}\n`);
    return 2;
  }
  const dataDir = typeof flags['data-dir'] === 'string' ? flags['data-dir'] : defaultDataDir();
  const ctx = createCliContext({ dataDir, json: !!flags.json, training: !!flags.training, as: typeof flags.as === 'string' ? flags.as : undefined });
  try {
    return await run(ctx, verb, rest, flags);
  } catch (e) {
    // A file the command was given that turned out unusable: say which and why (files.ts), never INTERNAL.
    const err = isFileError(e) ? fileProblem(e, 'file') : toStationError(e);
    if (!(e instanceof StationError) && process.env.STATION_DEBUG) console.error(e);
    if (ctx.options.json) process.stdout.write(JSON.stringify({ error: err.toJSON() }, null, 2) + '\n');
    process.stderr.write(`station: ${err.message}${err.code === 'INVALID_INPUT' && err.message.startsWith('Usage') ? '' : ` [${err.code}]`}\n`);
    return err.code === 'INVALID_INPUT' ? 2 : 1;
  } finally {
    await ctx.close();
  }
}
