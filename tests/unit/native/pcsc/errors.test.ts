import { describe, expect, it } from 'vitest';
import { PcscCode, PCSCD_NOT_RUNNING, parsePcscCode, pcscError } from '../../../../native/pcsc/errors.js';

/** Builds an error shaped exactly like node-pcsclite's (src/common.h error_msg). */
function addonError(fn: string, text: string, code: number): Error {
  return new Error(`${fn} error: ${text}(0x${code.toString(16).padStart(8, '0')})`);
}

describe('parsePcscCode', () => {
  it('reads the code pcsclite appends to its messages', () => {
    expect(parsePcscCode(new Error('SCardConnect error: Sharing violation.(0x8010000b)'))).toBe(0x8010000b);
    expect(parsePcscCode(new Error('SCardEstablishContext error: Service not available.(0x8010001d)'))).toBe(PcscCode.E_NO_SERVICE);
  });
  it('returns undefined when there is no code', () => {
    expect(parsePcscCode(new Error('Card Reader not connected'))).toBeUndefined();
    expect(parsePcscCode(42)).toBeUndefined();
  });
});

describe('pcscError', () => {
  const reader = 'Virtual PCD 00 00';
  const cases: Array<[number, string]> = [
    [PcscCode.E_NO_SERVICE, 'PCSC_UNAVAILABLE'],
    [PcscCode.E_SERVICE_STOPPED, 'PCSC_UNAVAILABLE'],
    [PcscCode.E_UNKNOWN_READER, 'NO_READER'],
    [PcscCode.E_READER_UNAVAILABLE, 'READER_GONE'],
    [PcscCode.E_NO_SMARTCARD, 'NO_CARD'],
    [PcscCode.W_REMOVED_CARD, 'CARD_REMOVED'],
    [PcscCode.W_RESET_CARD, 'CARD_REMOVED'],
    [PcscCode.W_UNRESPONSIVE_CARD, 'CARD_MUTE'],
    [PcscCode.W_UNPOWERED_CARD, 'CARD_MUTE'],
    [PcscCode.E_PROTO_MISMATCH, 'CARD_MUTE'],
    [PcscCode.E_SHARING_VIOLATION, 'READER_BUSY'],
    [0x80100028, 'TRANSPORT'],
  ];
  it.each(cases)('maps PC/SC code %d to %s', (code, expected) => {
    const err = pcscError(addonError('SCardX', 'text', code), reader, 'transmit');
    expect(err.code).toBe(expected);
    expect(err.details.pcscCode).toBe(code.toString(16).toUpperCase().padStart(8, '0'));
    expect(err.details.reader).toBe(reader);
  });
  it('uses the plain sentences officers need', () => {
    expect(pcscError(addonError('SCardEstablishContext', 'Service not available.', PcscCode.E_NO_SERVICE), undefined, 'context').message).toBe(
      PCSCD_NOT_RUNNING,
    );
    expect(pcscError(addonError('SCardConnect', 'Sharing violation.', PcscCode.E_SHARING_VIOLATION), reader, 'connect').message).toBe(
      `Another program is using the reader ${reader} (often gpg-agent/scdaemon or another smart-card tool); close it and try again.`,
    );
  });
  it('reports an unknown failure as TRANSPORT without quoting the foreign message', () => {
    const err = pcscError(new Error('something odd 123456'), reader, 'transmit');
    expect(err.code).toBe('TRANSPORT');
    expect(err.message).not.toContain('123456');
    expect(err.details.pcscCode).toBeUndefined();
  });
});
