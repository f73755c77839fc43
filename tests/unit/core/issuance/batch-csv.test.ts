import { describe, expect, test } from 'vitest';
import { readBatchCsv } from '../../../../electron/core/issuance/batch-csv.js';

/** The request ids of a file without problems. */
function ids(text: string): string[] {
  const { rows, problems } = readBatchCsv(text);
  expect(problems).toEqual([]);
  return rows.map((r) => r.requestId);
}

/** The sentences of a file's problems. */
const problems = (text: string) => readBatchCsv(text).problems.map((p) => p.message);

describe('readBatchCsv', () => {
  test('takes the request column by its header, in file order, skipping blank lines', () => {
    const csv = 'person,request,note\r\nAda Lovelace,req-1,"first, of all"\r\n\r\nGrace Hopper,req-2,"say ""hi"""\r\n';
    expect(ids(csv)).toEqual(['req-1', 'req-2']);
    expect(readBatchCsv(csv).rows.map((r) => r.line)).toEqual([2, 4]);
  });

  test('semicolon files and a byte-order mark', () => {
    expect(ids('\uFEFFRequest_ID;name\nA1;x\nB2;y\n')).toEqual(['A1', 'B2']);
  });

  test('without a header, the first column', () => {
    expect(ids('r-1\nr-2,extra\n')).toEqual(['r-1', 'r-2']);
  });

  test('refuses bad ids, repeats and empty files, naming the line', () => {
    expect(problems('request\nok-1\nbad id\n')).toEqual(['Line 3 of the batch file has no valid request number.']);
    expect(problems('request\nx1\nx2\nx1\n')).toEqual(['Line 4 of the batch file repeats the request on line 2.']);
    expect(problems('request\n\n')).toEqual(['The batch file lists no request.']);
    expect(problems('')).toEqual(['The batch file lists no request.']);
  });

  test('refuses more requests than one batch holds', () => {
    const many = Array.from({ length: 10_001 }, (_, i) => `r${i}`).join('\n');
    expect(problems(many)).toEqual(['A batch holds at most 10000 requests; split the file.']);
  });

  test('collects every problem with its line, and keeps the good rows', () => {
    expect(readBatchCsv('request,name\nr-1,A\nbad id,B\nr-2,C\nr-1,D\n,E\n')).toEqual({
      rows: [
        { line: 2, requestId: 'r-1' },
        { line: 4, requestId: 'r-2' },
      ],
      problems: [
        { line: 3, message: 'Line 3 of the batch file has no valid request number.' },
        { line: 5, message: 'Line 5 of the batch file repeats the request on line 2.' },
        { line: 6, message: 'Line 6 of the batch file has no valid request number.' },
      ],
    });
  });
});
