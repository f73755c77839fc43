#!/usr/bin/env node
/**
 * `station`: the PIV Station command line, over the same core as the officer UI.
 * Every command takes --data-dir DIR (default: the OS user-data dir) and --json.
 * Exit codes: 0 success, 1 the operation failed (message says why), 2 usage.
 *
 * Start-up (issue 14): this module loads only node:util and the help text;
 * `--help` and a usage error answer without loading zod, the core, SQLite,
 * PC/SC or the PKI libraries. run.ts, and through it the one command's
 * modules, are imported when a command runs.
 */
import { parseArgs } from 'node:util';
import { OPTIONS, USAGE } from './usage.js';

/** Runs one CLI invocation; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, verb, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE + '\n');
    return values.help ? 0 : 2;
  }
  const { runCommand } = await import('./run.js');
  return runCommand({ command, verb, rest, flags: values }, USAGE);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (e: unknown) => {
    const { toStationError } = await import('../core/errors.js');
    process.stderr.write(`station: ${toStationError(e).message}\n`);
    process.exitCode = 1;
  },
);
