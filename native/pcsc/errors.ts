/**
 * PC/SC return codes → StationErrors.
 *
 * pcsclite reports failures as `Error("<SCardFunction> error: <text>(0x8010000b)")`
 * (node-pcsclite src/common.h `error_msg`), so the code is parsed from the
 * message. Codes: pcsc-lite `pcsclite.h` / Microsoft `winerror.h` SCARD_*.
 */
import { StationError } from '../../electron/core/errors.js';

/** PC/SC return codes the station distinguishes (pcsc-lite pcsclite.h). */
export const PcscCode = {
  E_CANCELLED: 0x80100002,
  E_INVALID_HANDLE: 0x80100003,
  E_UNKNOWN_READER: 0x80100009,
  E_TIMEOUT: 0x8010000a,
  E_SHARING_VIOLATION: 0x8010000b,
  E_NO_SMARTCARD: 0x8010000c,
  E_PROTO_MISMATCH: 0x8010000f,
  E_NOT_TRANSACTED: 0x80100016,
  E_READER_UNAVAILABLE: 0x80100017,
  E_NO_SERVICE: 0x8010001d,
  E_SERVICE_STOPPED: 0x8010001e,
  E_NO_READERS_AVAILABLE: 0x8010002e,
  W_UNRESPONSIVE_CARD: 0x80100066,
  W_UNPOWERED_CARD: 0x80100067,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
} as const;

/** The hex code pcsclite appends to its messages: "(0x8010000b)". */
const CODE_IN_MESSAGE = /\(0x([0-9a-f]{1,8})\)/i;

/** Sentence for PCSC_UNAVAILABLE (also used when the addon cannot open a context). */
export const PCSCD_NOT_RUNNING = 'pcscd is not running: start it with `sudo systemctl start pcscd` (or `sudo pcscd`).';

/**
 * Extracts the PC/SC return code from a pcsclite error.
 * @returns the code as an unsigned 32-bit number, or undefined when the error carries none
 */
export function parsePcscCode(err: unknown): number | undefined {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  const match = CODE_IN_MESSAGE.exec(message);
  return match ? Number.parseInt(match[1]!, 16) >>> 0 : undefined;
}

/** Uppercase 8-digit hex of a PC/SC code, for error details ("8010000B"). */
export function pcscCodeHex(code: number): string {
  return (code >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

/**
 * Maps a pcsclite failure to the StationError an officer should see.
 *
 * @param err       what pcsclite passed to the callback (or threw)
 * @param reader    reader name, quoted in messages and details
 * @param operation the PC/SC step that failed ('connect', 'transmit', 'disconnect', 'context')
 * @returns PCSC_UNAVAILABLE, NO_READER, READER_GONE, NO_CARD, CARD_REMOVED, CARD_MUTE, READER_BUSY or TRANSPORT (details.pcscCode)
 */
export function pcscError(err: unknown, reader: string | undefined, operation: string): StationError {
  if (err instanceof StationError) return err;
  return pcscErrorForCode(parsePcscCode(err), reader, operation);
}

/**
 * Same as {@link pcscError}, from an already known PC/SC code.
 * @param code PC/SC return code, or undefined when unknown (→ TRANSPORT)
 */
export function pcscErrorForCode(code: number | undefined, reader: string | undefined, operation: string): StationError {
  const details = { reader, operation, ...(code === undefined ? {} : { pcscCode: pcscCodeHex(code) }) };
  const where = reader === undefined ? 'the reader' : `the reader ${reader}`;
  switch (code) {
    case PcscCode.E_NO_SERVICE:
    case PcscCode.E_SERVICE_STOPPED:
      return new StationError('PCSC_UNAVAILABLE', PCSCD_NOT_RUNNING, details);
    case PcscCode.E_UNKNOWN_READER:
    case PcscCode.E_NO_READERS_AVAILABLE:
      return new StationError('NO_READER', `There is no reader named ${reader ?? '(none)'}; check that it is plugged in.`, details);
    case PcscCode.E_READER_UNAVAILABLE:
      return new StationError('READER_GONE', `${capitalize(where)} was disconnected; plug it back in and try again.`, details);
    case PcscCode.E_NO_SMARTCARD:
      return new StationError('NO_CARD', `There is no card in ${where}; insert one and try again.`, details);
    case PcscCode.W_REMOVED_CARD:
      return new StationError('CARD_REMOVED', `The card was removed from ${where}; reinsert it and retry.`, details);
    case PcscCode.W_RESET_CARD:
      return new StationError('CARD_REMOVED', `Another program reset the card in ${where}, so the session was lost; retry.`, details);
    case PcscCode.W_UNRESPONSIVE_CARD:
    case PcscCode.W_UNPOWERED_CARD:
    case PcscCode.E_PROTO_MISMATCH:
      return new StationError('CARD_MUTE', `The card in ${where} does not answer; reinsert it (chip side first) and try again.`, details);
    case PcscCode.E_SHARING_VIOLATION:
      return new StationError(
        'READER_BUSY',
        `Another program is using ${where} (often gpg-agent/scdaemon or another smart-card tool); close it and try again.`,
        details,
      );
    default:
      return new StationError('TRANSPORT', `Communication with ${where} failed; check that the reader is connected and pcscd is running, then retry.`, details);
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
