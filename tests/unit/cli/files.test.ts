/**
 * Path mistakes on the command line (issue 13 "Hardening"): a clear sentence
 * naming the path and the problem (INVALID_INPUT, exit 2), never INTERNAL;
 * outputs owner-only (0600) even over an existing file.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutputPath, readInputFile, writeOutputFile } from '../../../electron/cli/files.js';
import { prepareStationDir, station } from '../../support/station-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cli-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const invalid = (message: RegExp) => expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(message) });

describe('input files', () => {
  it('a missing file or a folder is named with what is wrong', () => {
    expect(() => readInputFile(join(dir, 'nope.csv'), 'persons file')).toThrow(invalid(/^The persons file .*nope\.csv does not exist\.$/));
    expect(() => readInputFile(dir, 'batch file')).toThrow(invalid(/^The batch file .* is a folder: give a file name\.$/));
  });
});

describe('output files', () => {
  it('a folder, a missing folder or a file standing in for a folder is refused before any work', () => {
    expect(() => checkOutputPath(dir, 'audit export')).toThrow(invalid(/is a folder: give a file name/));
    expect(() => checkOutputPath(join(dir, 'no', 'such', 'audit.csv'), 'audit export')).toThrow(invalid(/its folder .*no\/such does not exist/));
    writeFileSync(join(dir, 'plain'), 'x');
    expect(() => checkOutputPath(join(dir, 'plain', 'audit.csv'), 'audit export')).toThrow(invalid(/plain\/audit\.csv has a part that is not a folder/));
  });

  it.skipIf(process.getuid?.() === 0)('a folder this user may not write is refused', () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o500 });
    expect(() => checkOutputPath(join(locked, 'x.csv'), 'audit export')).toThrow(invalid(/is not allowed for this user/));
    chmodSync(locked, 0o700);
  });

  it('is written 0600, also over an existing world-readable file', () => {
    const file = join(dir, 'export.csv');
    writeFileSync(file, 'old', { mode: 0o644 });
    chmodSync(file, 0o644);
    writeOutputFile(file, 'new', 'audit export');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('station audit export --out', () => {
  const dataDir = join(dir, 'station');
  it('DIR, or a path in a missing folder, is a clear usage error; a file is written 0600', async () => {
    await prepareStationDir(dataDir);
    const folder = await station(dataDir, ['audit', 'export', '--format', 'csv', '--out', dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(`station: The audit export ${dir} is a folder: give a file name. [INVALID_INPUT]`);
    const missing = await station(dataDir, ['audit', 'export', '--format', 'csv', '--out', join(dir, 'gone', 'audit.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`its folder ${join(dir, 'gone')} does not exist. [INVALID_INPUT]`);
    const file = join(dir, 'audit.csv');
    const ok = await station(dataDir, ['audit', 'export', '--format', 'csv', '--out', file]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  }, 180_000);
});
