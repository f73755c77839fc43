/**
 * A CSV batch: the list of card requests to produce, as a spreadsheet exports
 * it (RFC 4180 fields, comma or semicolon separated). The request — its
 * number as people write it ("R-000123", contract/request-number.ts) or its id — is taken
 * from the column headed `request`, `request_id`, `requestId` or `id`; without
 * such a header, from the first column of every line. The fields are read by
 * the station's CSV reader (electron/core/csv.ts), so a quoted field may span lines.
 */
import { StationError } from '../errors.js';
import { guessSeparator, readCsv, type CsvRecord } from '../csv.js';

/** Most requests one batch may hold (the batches.start contract's limit). */
export const MAX_BATCH_REQUESTS = 10_000;
const REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;
const HEADER_NAMES = new Set(['request', 'request_id', 'requestid', 'id', 'request id', 'request number', 'request_number', 'number']);

/** One request line of a batch file: its 1-based line number and the request id it names. */
export interface BatchCsvRow {
  line: number;
  requestId: string;
}

/** A problem with a batch file: the line it is on (null for the whole file) and the officer's sentence. */
export interface BatchCsvProblem {
  line: number | null;
  message: string;
}

/**
 * Reads every line of a CSV batch, collecting all its problems (bad or
 * repeated ids, no request, too many requests) instead of stopping at the
 * first, so the officer can mend the file in one go.
 * @returns the rows with a valid, first-seen request id in file order (blank lines skipped), and the problems
 */
export function readBatchCsv(text: string): { rows: BatchCsvRow[]; problems: BatchCsvProblem[] } {
  let records: CsvRecord[];
  try {
    records = readCsv(text, guessSeparator(text)).map((r) => ({ line: r.line, fields: r.fields.map((f) => f.trim()) }));
  } catch (e) {
    // An unclosed quote: the officer mends the file at that line.
    if (!(e instanceof StationError)) throw e;
    const line = Number(e.details?.line ?? 1);
    return { rows: [], problems: [{ line, message: `Line ${line} of the batch file opens a quoted field that is never closed.` }] };
  }
  let column = 0;
  const header = records[0]?.fields.map((h) => h.toLowerCase()) ?? [];
  const named = header.findIndex((h) => HEADER_NAMES.has(h));
  if (named >= 0) {
    column = named;
    records.shift();
  }
  const rows: BatchCsvRow[] = [];
  const problems: BatchCsvProblem[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of records) {
    if (fields.every((f) => f.length === 0)) continue;
    const id = fields[column] ?? '';
    const earlier = seen.get(id);
    if (!REQUEST_ID.test(id)) problems.push({ line, message: `Line ${line} of the batch file has no valid request number.` });
    else if (earlier !== undefined) problems.push({ line, message: `Line ${line} of the batch file repeats the request on line ${earlier}.` });
    else {
      seen.set(id, line);
      rows.push({ line, requestId: id });
    }
  }
  if (rows.length === 0 && problems.length === 0) problems.push({ line: null, message: 'The batch file lists no request.' });
  if (rows.length > MAX_BATCH_REQUESTS) problems.push({ line: null, message: `A batch holds at most ${MAX_BATCH_REQUESTS} requests; split the file.` });
  return { rows, problems };
}
