/**
 * The station's one CSV reader (RFC 4180 §2), for every file an officer
 * brings: person imports and production batches. The parsing is csv-parse's
 * (a maintained RFC 4180 parser); this module fixes its options once and
 * gives every record the line it starts on, for the whole-file checks that
 * name every bad line.
 *
 * Accepted, as spreadsheets on every system write them: records ending in
 * CRLF, LF or a lone CR (all read as one line break, also inside quoted
 * fields); fields enclosed in double quotes holding the separator, line breaks
 * and quotes written twice (`""`); a leading byte order mark; blank lines
 * (skipped, still counted); a semicolon separator (locales whose decimal mark
 * is a comma); a quote inside an unquoted field, kept as text. Records may
 * have different numbers of fields: the callers' whole-file checks say which
 * line is wrong. Every field is text: nothing is evaluated.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { StationError } from './errors.js';

/** One record of a CSV text: the 1-based line it starts on and its fields (unquoted, untrimmed). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Field separators a station CSV may use. */
export type CsvSeparator = ',' | ';';

/** csv-parse's record with `info: true`: the record and the line count when it ended. */
interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

const LINE_BREAKS = /\r\n?/g;

/**
 * Reads every record of `text`.
 * @param separator the field separator (RFC 4180 §2: a comma; a semicolon for spreadsheets that write one)
 * @returns the non-blank records in file order, each with the line it starts on
 * @throws StationError INVALID_INPUT (details.line) when a quoted field is never closed, or the
 *         text is not CSV at that line
 */
export function readCsv(text: string, separator: CsvSeparator = ','): CsvRecord[] {
  // One line break for CRLF, LF and CR, so csv-parse counts lines the same for every ending.
  const normalized = text.replace(LINE_BREAKS, '\n');
  let lastRecordEnd = 0;
  let parsed: ParsedRecord[];
  try {
    // With `info: true` csv-parse returns {record, info} per record (its typings do not model that option).
    parsed = parse(normalized, {
      delimiter: separator,
      record_delimiter: '\n',
      bom: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      on_record: (record, context) => {
        lastRecordEnd = context.lines;
        return record;
      },
    }) as unknown as ParsedRecord[];
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const line = e.code === 'CSV_QUOTE_NOT_CLOSED' ? firstLineAfter(normalized, lastRecordEnd) : Number((e as { lines?: number }).lines ?? 1);
    const why = e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is not closed' : 'the text is not valid CSV here';
    throw new StationError('INVALID_INPUT', `Line ${line}: ${why}.`, { line });
  }
  // info.lines is the line a record ends on; a record spans one more line per line break inside its fields.
  return parsed.map(({ record, info }) => ({ line: info.lines - record.reduce((n, f) => n + count(f, '\n'), 0), fields: record }));
}

function count(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** The first non-blank line after line `after` (1-based): where an unterminated record starts. */
function firstLineAfter(text: string, after: number): number {
  const lines = text.split('\n');
  for (let i = after; i < lines.length; i++) if (lines[i]!.replace(/^\uFEFF/, '') !== '') return i + 1;
  return after + 1;
}

/**
 * The separator a spreadsheet most likely used: a semicolon when the first
 * non-blank line has semicolons and no comma, else a comma.
 */
export function guessSeparator(text: string): CsvSeparator {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/).find((l) => l.trim().length > 0) ?? '';
  return first.includes(';') && !first.includes(',') ? ';' : ',';
}
