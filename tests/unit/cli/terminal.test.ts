/**
 * The CLI never writes terminal escape sequences from data to a terminal
 * (issue 13 "Names"): the neutralizer, the stream guard, and the real CLI in a
 * pseudo-terminal (util-linux `script`) showing a name that holds ESC, CSI and
 * a right-to-left override which older data (written before names were
 * checked) may still hold.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guardTerminal, neutralizeForTerminal } from '../../../electron/cli/terminal.js';
import { openStore } from '../../../electron/core/store/store.js';
import { openDatabase } from '../../../native/sqlite.js';
import { CLI_OFFICER, prepareStationDir, ROOT } from '../../support/station-cli.js';

const HOSTILE = 'Ada\u001b]0;owned\u0007\u001b[2J\u009b31m\u202Eecalevol\rX';

describe('neutralizeForTerminal', () => {
  it('shows ESC, BEL, CR, C1 controls and bidirectional overrides as their codes; keeps text, TAB and LF', () => {
    expect(neutralizeForTerminal(HOSTILE)).toBe('Ada\\u001b]0;owned\\u0007\\u001b[2J\\u009b31m\\u202eecalevol\\u000dX');
    expect(neutralizeForTerminal('José\tMüller\n李小龍\n')).toBe('José\tMüller\n李小龍\n');
  });
});

describe('guardTerminal', () => {
  const fake = (isTTY: boolean) => {
    const written: unknown[][] = [];
    return { isTTY, written, write: (...args: unknown[]) => (written.push(args), true) };
  };

  it('neutralizes strings and buffers written to a TTY, keeping the callback', () => {
    const tty = fake(true);
    guardTerminal(tty as never);
    const done = () => undefined;
    tty.write(HOSTILE as never, done as never);
    (tty.write as (c: unknown, e: unknown) => boolean)(Buffer.from('\u001b[2J'), 'utf8');
    expect(tty.written[0]).toEqual([neutralizeForTerminal(HOSTILE), done]);
    expect(tty.written[1]).toEqual(['\\u001b[2J']);
  });

  it('leaves pipes and files byte-exact', () => {
    const pipe = fake(false);
    guardTerminal(pipe as never);
    pipe.write(HOSTILE as never);
    expect(pipe.written[0]).toEqual([HOSTILE]);
  });
});

describe('station in a terminal', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cli-terminal-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('person show prints a hostile stored name as codes, never as escape sequences', async () => {
    await prepareStationDir(dataDir);
    const store = openStore(openDatabase(join(dataDir, 'station.sqlite')));
    let id: string;
    try {
      id = store.persons.add({ givenName: 'Ada', surname: 'Lovelace', affiliation: 'employee' }).id;
      // Older data, written before names were checked: bypass the repository's guard.
      store.db.prepare('UPDATE persons SET given_name = ? WHERE id = ?').run(HOSTILE, id);
    } finally {
      store.db.close();
    }
    const command = [process.execPath, '--import', 'tsx', join(ROOT, 'electron/cli/main.ts'), '--data-dir', dataDir, '--training', '--as', CLI_OFFICER.username, 'person', 'show', id]
      .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    // util-linux script: the CLI's stdout and stderr are a pseudo-terminal.
    const output = await new Promise<string>((resolve, reject) =>
      execFile('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: { ...process.env, STATION_PASSWORD: CLI_OFFICER.password }, timeout: 120_000 }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      ),
    );
    expect(output).toContain('Lovelace');
    expect(output).toContain('\\u001b]0;owned\\u0007\\u001b[2J\\u009b31m\\u202eecalevol\\u000dX');
    for (const active of ['\u001b', '\u0007', '\u009b', '\u202e']) expect(output).not.toContain(active);
  }, 180_000);
});
