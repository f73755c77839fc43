/**
 * `station --help` answers at Node's start-up speed (issue 14): the modules it
 * loads are node:util, the help text, the zod-free role labels and the virtual
 * card personalities (plain data) — never the
 * core, zod, SQLite, PC/SC or the PKI libraries, which run.ts imports per
 * command. Checked on the import graph itself (static imports, followed
 * through our files), then on the real process (through tsx): --help exits 0
 * with the roles, an unknown command and no command exit 2 with the usage.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLES, ROLE_WORDS } from '../../../electron/contract/officer-rules.js';
import { COMMAND_NAMES } from '../../../electron/cli/run.js';
import { OPTIONS, USAGE } from '../../../electron/cli/usage.js';
import { ROOT } from '../../support/station-cli.js';

const CLI_MAIN = join(ROOT, 'electron', 'cli', 'main.ts');

/**
 * Every module `file` loads when it is imported, through static imports and
 * re-exports (`export { x } from`, `export * from`; not `import type`,
 * `export type`, nor `import()`): a value re-export loads its module as an import does.
 */
function staticImportClosure(file: string, seen = new Set<string>()): Set<string> {
  const source = readFileSync(file, 'utf8');
  for (const [, what] of source.matchAll(/^(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?'([^']+)';/gm)) {
    if (what!.startsWith('.')) {
      const target = resolve(dirname(file), what!.replace(/\.js$/, '.ts'));
      const name = relative(ROOT, target);
      if (!seen.has(name)) {
        seen.add(name);
        staticImportClosure(target, seen);
      }
    } else seen.add(what!);
  }
  return seen;
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', CLI_MAIN, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      done({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

describe('station start-up', () => {
  it('the help path loads only node:util, the help text, the role labels and the card personalities\' names', () => {
    expect([...staticImportClosure(CLI_MAIN)].sort()).toEqual([
      // The terminal guard (no escape sequences from data) imports nothing.
      'electron/cli/terminal.ts',
      'electron/cli/usage.ts',
      'electron/contract/officer-rules.ts',
      'electron/core/errors.ts',
      'electron/core/piv/constants.ts',
      'native/virtual-card/personality.ts',
      'node:util',
    ]);
  });

  it('the help text names every command the CLI runs and every option it accepts', () => {
    const missingCommands = COMMAND_NAMES.filter((c) => !new RegExp(`^  ${c}(?= |$)`, 'm').test(USAGE));
    // --help itself is the one option the text it prints need not name.
    const missingOptions = Object.keys(OPTIONS).filter((o) => o !== 'help' && !USAGE.includes(`--${o}`));
    expect({ missingCommands, missingOptions }).toEqual({ missingCommands: [], missingOptions: [] });
    expect(COMMAND_NAMES).toContain('person');
  });

  it('--help exits 0 with every role; an unknown command and no command exit 2 with the usage', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: station <command> \[options\]/);
    for (const role of ROLES) expect(help.stdout).toContain(`    ${role.padEnd(13)} ${ROLE_WORDS[role].name}: ${ROLE_WORDS[role].duty}`);
    const unknown = await runCli(['frobnicate']);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringMatching(/^Unknown command "frobnicate"\.\n\nUsage: station/)]);
    const none = await runCli([]);
    expect([none.code, none.stdout]).toEqual([2, expect.stringMatching(/^Usage: station/)]);
  }, 120_000);
});
