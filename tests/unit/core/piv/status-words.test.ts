import { describe, expect, it } from 'vitest';
import { KeyRef, ObjectTag } from '../../../../electron/core/piv/constants.js';
import { PivCommand, retriesFromSw, statusToError, swHex } from '../../../../electron/core/piv/status-words.js';

const PIN = { command: PivCommand.VERIFY, keyRef: KeyRef.PIN };
const PUK = { command: PivCommand.CHANGE_REFERENCE_DATA, keyRef: KeyRef.PUK };
const MGMT = { command: PivCommand.GENERAL_AUTHENTICATE, keyRef: KeyRef.MANAGEMENT };
const GET = { command: PivCommand.GET_DATA, object: ObjectTag.CHUID };

describe('statusToError mapping table', () => {
  const table: Array<[number, object, string, object?]> = [
    [0x63c2, PIN, 'WRONG_PIN', { retriesLeft: 2, sw: '63C2', keyRef: '80' }],
    [0x63c0, PIN, 'WRONG_PIN', { retriesLeft: 0 }],
    [0x63c1, { command: PivCommand.VERIFY, keyRef: KeyRef.GLOBAL_PIN }, 'WRONG_PIN', { retriesLeft: 1 }],
    [0x63c5, PUK, 'WRONG_PUK', { retriesLeft: 5, keyRef: '81' }],
    [0x63c1, MGMT, 'MGMT_KEY_REJECTED', { retriesLeft: 1 }],
    [0x6983, PIN, 'PIN_BLOCKED'],
    [0x6983, PUK, 'PUK_BLOCKED'],
    [0x6983, MGMT, 'MGMT_KEY_REJECTED'],
    [0x6982, MGMT, 'MGMT_KEY_REJECTED', { sw: '6982' }],
    [0x6982, { command: PivCommand.GENERAL_AUTHENTICATE, keyRef: KeyRef.DIGITAL_SIGNATURE }, 'SECURITY_STATUS'],
    [0x6982, { command: PivCommand.PUT_DATA, object: ObjectTag.CHUID }, 'SECURITY_STATUS', { object: '5FC102' }],
    [0x6a82, { command: PivCommand.SELECT }, 'NOT_PIV'],
    [0x6a82, GET, 'NOT_FOUND', { object: '5FC102' }],
    [0x6a88, { command: PivCommand.GET_METADATA, keyRef: KeyRef.PIV_AUTHENTICATION }, 'NO_KEY', { keyRef: '9A' }],
    [0x6a81, GET, 'UNSUPPORTED'],
    [0x6d00, { command: PivCommand.GET_VERSION }, 'UNSUPPORTED', { sw: '6D00' }],
    [0x6b00, { command: PivCommand.GET_METADATA }, 'UNSUPPORTED'],
    [0x6a84, { command: PivCommand.PUT_DATA }, 'CARD_FULL'],
    [0x6a80, { command: PivCommand.PUT_DATA }, 'BAD_DATA'],
    [0x6985, { command: PivCommand.RESET }, 'CONDITIONS'],
    [0x6f00, GET, 'SW', { sw: '6F00', command: 'GET DATA' }],
    [0x6a86, GET, 'SW', { sw: '6A86' }],
  ];
  it.each(table)('%s in %o → %s', (sw, ctx, code, details) => {
    const e = statusToError(sw, ctx as { command: string });
    expect(e.code).toBe(code);
    expect(e.message.length).toBeGreaterThan(10);
    if (details) expect(e.details).toMatchObject(details);
  });

  it('puts nothing but identifiers and counters in details', () => {
    const e = statusToError(0x63c2, PIN);
    expect(Object.keys(e.details).sort()).toEqual(['command', 'keyRef', 'retriesLeft', 'sw']);
    expect(e.message).toBe('The PIN is wrong; 2 tries left.');
  });
  it('says whether retrying can help: a wrong PIN is not retryable as is', () => {
    expect(statusToError(0x63c2, PIN).retryable).toBe(false);
  });
});

describe('helpers', () => {
  it('reads the counter of 63Cx only', () => {
    expect(retriesFromSw(0x63c3)).toBe(3);
    expect(retriesFromSw(0x63c0)).toBe(0);
    expect(retriesFromSw(0x6300)).toBeUndefined();
    expect(retriesFromSw(0x9000)).toBeUndefined();
  });
  it('formats status words as 4 hex digits', () => {
    expect(swHex(0x9000)).toBe('9000');
    expect(swHex(0x6a82)).toBe('6A82');
  });
});
