/** The short request number as people write it (contract/request-number.ts). */
import { describe, expect, it } from 'vitest';
import { batchNumberText, parseBatchNumber, parseRequestNumber, requestNumberText } from '../../../electron/contract/request-number.js';

describe('request numbers', () => {
  it('writes six digits after R-, more once past them', () => {
    expect(requestNumberText(123)).toBe('R-000123');
    expect(requestNumberText(1_234_567)).toBe('R-1234567');
  });

  it('reads what an officer or a spreadsheet writes, and nothing else', () => {
    expect(parseRequestNumber('R-000123')).toBe(123);
    expect(parseRequestNumber(' r-123 ')).toBe(123);
    expect(parseRequestNumber('R000123')).toBe(123);
    expect(parseRequestNumber('R-000000')).toBeNull();
    expect(parseRequestNumber('123')).toBeNull();
    expect(parseRequestNumber('51917c1a-0000-4000-8000-000000000000')).toBeNull();
    for (const n of [1, 42, 999_999, 1_000_000]) expect(parseRequestNumber(requestNumberText(n))).toBe(n);
  });
});

describe('batch numbers', () => {
  it('writes B- and six digits, and reads only a batch number back', () => {
    expect(batchNumberText(12)).toBe('B-000012');
    expect(parseBatchNumber(' b-12 ')).toBe(12);
    expect(parseBatchNumber('B000012')).toBe(12);
    expect(parseBatchNumber('R-000012')).toBeNull();
    expect(parseRequestNumber('B-000012')).toBeNull();
    expect(parseBatchNumber('96d863f2-0000-4000-8000-000000000000')).toBeNull();
    for (const n of [1, 999_999, 1_000_000]) expect(parseBatchNumber(batchNumberText(n))).toBe(n);
  });
});
