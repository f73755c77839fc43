/** The station's CSV reader (RFC 4180 §2) and its separator guess. */
import { describe, expect, test } from 'vitest';
import { guessSeparator, readCsv } from '../../../electron/core/csv.js';

describe('readCsv (RFC 4180 §2)', () => {
  test('§2.1/2.2: records end with CRLF, the last one may not; LF and a lone CR end records too', () => {
    expect(readCsv('a,b\r\nc,d')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
    ]);
    expect(readCsv('a\nb\rc\r\n').map((r) => [r.line, r.fields[0]])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
  });

  test('§2.4: empty fields and spaces are kept as they are', () => {
    expect(readCsv(' a ,,b,\n')).toEqual([{ line: 1, fields: [' a ', '', 'b', ''] }]);
  });

  test('§2.5–2.7: quoted fields may hold separators, line breaks and doubled quotes; lines are counted through them', () => {
    const text = '"x, y","say ""hi"""\r\n"multi\r\nline\nbreaks",z\nlast,"row"';
    expect(readCsv(text)).toEqual([
      { line: 1, fields: ['x, y', 'say "hi"'] },
      { line: 2, fields: ['multi\r\nline\nbreaks', 'z'] },
      { line: 5, fields: ['last', 'row'] },
    ]);
  });

  test('a quote inside an unquoted field is text', () => {
    expect(readCsv('5" floppy,b')).toEqual([{ line: 1, fields: ['5" floppy', 'b'] }]);
  });

  test('a byte order mark is skipped and blank lines are skipped, keeping line numbers', () => {
    expect(readCsv('\uFEFFa,b\n\n\r\nc,d\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 4, fields: ['c', 'd'] },
    ]);
    expect(readCsv('')).toEqual([]);
    expect(readCsv('\uFEFF')).toEqual([]);
  });

  test('a semicolon separator leaves commas in fields', () => {
    expect(readCsv('a;"b;c";1,5\n', ';')).toEqual([{ line: 1, fields: ['a', 'b;c', '1,5'] }]);
  });

  test('an unclosed quote is INVALID_INPUT naming the line the record starts on', () => {
    expect(() => readCsv('a,b\nc,"open\nmore')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: { line: 2 } }));
  });
});

describe('guessSeparator', () => {
  test('semicolons only on the first non-blank line → semicolon, else comma', () => {
    expect(guessSeparator('\n \nid;name\n')).toBe(';');
    expect(guessSeparator('\uFEFFid;name\n')).toBe(';');
    expect(guessSeparator('id,name;x\n')).toBe(',');
    expect(guessSeparator('id\n')).toBe(',');
  });
});
