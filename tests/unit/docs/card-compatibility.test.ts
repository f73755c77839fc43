/**
 * docs/card-compatibility.md holds one table of every command and object the
 * station uses (issue 9). The commands and objects are those named in
 * electron/core/piv/constants.ts (`Ins`, `ObjectTag`): a constant added there
 * without a row here fails this test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ins, ObjectTag } from '../../../electron/core/piv/constants.js';

const DOC = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'card-compatibility.md'), 'utf8');
const hex = (n: number, digits: number) => n.toString(16).toUpperCase().padStart(digits, '0');

/** The rows of the table whose header starts with "Command / object", as cells. */
function tableRows(): { header: string[]; rows: string[][] } {
  const lines = DOC.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| Command / object |'));
  if (start < 0) throw new Error('docs/card-compatibility.md has no "Command / object" table');
  const cells = (l: string) => l.slice(1, l.endsWith('|') ? -1 : undefined).split('|').map((c) => c.trim());
  const body: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    body.push(cells(line));
  }
  return { header: cells(lines[start]!), rows: body };
}

describe('docs/card-compatibility.md', () => {
  const { header, rows } = tableRows();
  const keys = new Set(rows.map((r) => r[1]));

  it('has a row for every instruction the station names (Ins)', () => {
    const missing = Object.entries(Ins).filter(([, ins]) => !keys.has(`\`INS ${hex(ins, 2)}\``));
    expect(missing.map(([name]) => name)).toEqual([]);
  });

  it('has a row for every data object the station names (ObjectTag)', () => {
    const missing = Object.entries(ObjectTag).filter(([, tag]) => !keys.has(`\`tag ${hex(tag, tag > 0xffff ? 6 : tag > 0xff ? 4 : 2)}\``));
    expect(missing.map(([name]) => name)).toEqual([]);
  });

  it('gives every row every column: mandatory or optional, use, fallback, each personality and the independent applets observed', () => {
    expect(header.slice(0, 5)).toEqual(['Command / object', 'INS / tag', 'SP 800-73-4', 'The station uses it for', 'Fallback when absent or refused']);
    expect(header.slice(5, 10)).toEqual(['yubikey-like', 'fixed-objects', 'strict-800-73', 'tdes-only', 'factory-dirty']);
    expect(header[10]).toMatch(/independent applet/);
    for (const row of rows) {
      expect(row, row[0]).toHaveLength(header.length);
      expect(row.filter((c) => c === ''), row[0]).toEqual([]);
      expect(['M', 'C', 'O', 'vendor', 'vendor (required)']).toContain(row[2]);
    }
  });
});
