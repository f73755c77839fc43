import { describe, expect, test } from 'vitest';
import { parseBatchCsv, readBatchCsv } from '../../../../electron/core/issuance/batch-csv.js';

describe('parseBatchCsv', () => {
  test('takes the request column by its header, in file order, skipping blank lines', () => {
    const csv = 'person,request,note\r\nAda Lovelace,req-1,"first, of all"\r\n\r\nGrace Hopper,req-2,"say ""hi"""\r\n';
    expect(parseBatchCsv(csv)).toEqual(['req-1', 'req-2']);
  });

  test('semicolon files and a byte-order mark', () => {
    expect(parseBatchCsv('\uFEFFRequest_ID;name\nA1;x\nB2;y\n')).toEqual(['A1', 'B2']);
  });

  test('without a header, the first column', () => {
    expect(parseBatchCsv('r-1\nr-2,extra\n')).toEqual(['r-1', 'r-2']);
  });

  test('refuses bad ids, repeats and empty files, naming the line', () => {
    expect(() => parseBatchCsv('request\nok-1\nbad id\n')).toThrow(/Line 3 /);
    expect(() => parseBatchCsv('request\nx1\nx2\nx1\n')).toThrow(/Line 4 .*line 2/);
    expect(() => parseBatchCsv('request\n\n')).toThrow(/no request/);
    expect(() => parseBatchCsv('')).toThrow(/no request/);
  });

  test('refuses more requests than one batch holds', () => {
    const many = Array.from({ length: 10_001 }, (_, i) => `r${i}`).join('\n');
    expect(() => parseBatchCsv(many)).toThrow(/at most 10000/);
  });

  test('readBatchCsv collects every problem with its line, and keeps the good rows', () => {
    expect(readBatchCsv('request,name\nr-1,A\nbad id,B\nr-2,C\nr-1,D\n,E\n')).toEqual({
      rows: [
        { line: 2, requestId: 'r-1' },
        { line: 4, requestId: 'r-2' },
      ],
      problems: [
        { line: 3, message: 'Line 3 of the batch file has no valid request id.' },
        { line: 5, message: 'Line 5 of the batch file repeats the request on line 2.' },
        { line: 6, message: 'Line 6 of the batch file has no valid request id.' },
      ],
    });
    expect(readBatchCsv('request\n')).toEqual({ rows: [], problems: [{ line: null, message: 'The batch file lists no request.' }] });
  });
});
