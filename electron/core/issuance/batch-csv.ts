/**
 * A CSV batch: the list of card requests to produce, as a spreadsheet exports
 * it (RFC 4180 fields, comma or semicolon separated). The request id is taken
 * from the column headed `request`, `request_id`, `requestId` or `id`; without
 * such a header, from the first column of every line.
 */

/** Most requests one batch may hold (the batches.start contract's limit). */
export const MAX_BATCH_REQUESTS = 10_000;
const REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;
const HEADER_NAMES = new Set(['request', 'request_id', 'requestid', 'id', 'request id']);

/** Splits one CSV line into fields (double quotes may enclose separators; "" is a quote). */
function fields(line: string, separator: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

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
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.find((l) => l.trim().length > 0) ?? '';
  const separator = first.includes(';') && !first.includes(',') ? ';' : ',';
  let column = 0;
  let start = 0;
  const header = fields(first, separator).map((h) => h.toLowerCase());
  const named = header.findIndex((h) => HEADER_NAMES.has(h));
  if (named >= 0) {
    column = named;
    start = lines.indexOf(first) + 1;
  }
  const rows: BatchCsvRow[] = [];
  const problems: BatchCsvProblem[] = [];
  const seen = new Map<string, number>();
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim().length === 0) continue;
    const id = fields(line, separator)[column] ?? '';
    const earlier = seen.get(id);
    if (!REQUEST_ID.test(id)) problems.push({ line: i + 1, message: `Line ${i + 1} of the batch file has no valid request id.` });
    else if (earlier !== undefined) problems.push({ line: i + 1, message: `Line ${i + 1} of the batch file repeats the request on line ${earlier}.` });
    else {
      seen.set(id, i + 1);
      rows.push({ line: i + 1, requestId: id });
    }
  }
  if (rows.length === 0 && problems.length === 0) problems.push({ line: null, message: 'The batch file lists no request.' });
  if (rows.length > MAX_BATCH_REQUESTS) problems.push({ line: null, message: `A batch holds at most ${MAX_BATCH_REQUESTS} requests; split the file.` });
  return { rows, problems };
}
