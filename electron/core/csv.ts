/**
 * The station's one CSV reader (RFC 4180 §2), for every file an officer
 * brings: person imports and production batches.
 *
 * RFC 4180 §2 rules followed: records end with CRLF (LF and a lone CR are
 * accepted too, as spreadsheets on every system write them); a field may be
 * enclosed in double quotes, and then may hold the separator, line breaks
 * and quotes written twice (`""`). Beyond the RFC: a leading byte order mark
 * is skipped, blank lines are skipped (a spreadsheet's trailing empty rows),
 * and the separator may be a semicolon (spreadsheets in locales whose decimal
 * mark is a comma). A quote inside an unquoted field is kept as text.
 */
import { StationError } from './errors.js';

/** One record of a CSV text: the 1-based line it starts on and its fields (unquoted, untrimmed). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Field separators a station CSV may use. */
export type CsvSeparator = ',' | ';';

/**
 * Reads every record of `text`.
 * @param separator the field separator (RFC 4180 §2: a comma; a semicolon for spreadsheets that write one)
 * @returns the non-blank records in file order, each with the line it starts on
 * @throws StationError INVALID_INPUT (details.line) when a quoted field is never closed
 */
export function readCsv(text: string, separator: CsvSeparator = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        // A line break inside quotes belongs to the field, but still moves the line count on.
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === separator) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += c;
  }
  if (quoted) throw new StationError('INVALID_INPUT', `Line ${recordLine}: a quoted field is not closed.`, { line: recordLine });
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/**
 * The separator a spreadsheet most likely used: a semicolon when the first
 * non-blank line has semicolons and no comma, else a comma.
 */
export function guessSeparator(text: string): CsvSeparator {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/).find((l) => l.trim().length > 0) ?? '';
  return first.includes(';') && !first.includes(',') ? ';' : ',';
}
