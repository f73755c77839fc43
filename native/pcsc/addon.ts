/**
 * Loads the pcsclite addon (node-pcsclite 1.0.1) and describes the part of
 * its API the station uses. Loaded lazily, so a missing or mis-built addon
 * becomes a StationError at `PcscReaderProvider.open()`, not an import crash.
 */
import { createRequire } from 'node:module';

/** Reader-state bits reported in `status.state` (pcsc-lite pcsclite.h SCARD_STATE_*). */
export const ScardState = {
  CHANGED: 0x0002,
  UNKNOWN: 0x0004,
  UNAVAILABLE: 0x0008,
  EMPTY: 0x0010,
  PRESENT: 0x0020,
  MUTE: 0x0200,
} as const;

/** Share modes, protocols and dispositions (pcsc-lite pcsclite.h). */
export const Scard = {
  SHARE_EXCLUSIVE: 1,
  PROTOCOL_T0: 0x0001,
  PROTOCOL_T1: 0x0002,
  LEAVE_CARD: 0,
  RESET_CARD: 1,
} as const;

/** One `status` event of a reader: state bits and, when a card is present, its ATR. */
export interface AddonStatus {
  state: number;
  atr?: Buffer;
}

/** A pcsclite CardReader: one per reader name and per context; holds at most one card handle. */
export interface AddonReader {
  readonly name: string;
  connected: boolean;
  on(event: 'status', listener: (status: AddonStatus) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  removeAllListeners(event?: string): this;
  connect(options: { share_mode: number; protocol: number }, cb: (err: Error | null | undefined, protocol: number) => void): void;
  disconnect(disposition: number, cb: (err: Error | null | undefined) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: (err: Error | null | undefined, response: Buffer) => void): void;
  close(): void;
}

/** The pcsclite context: emits 'reader' for each reader that appears, 'error' when monitoring stops. */
export interface AddonContext {
  readonly readers: Record<string, AddonReader>;
  on(event: 'reader', listener: (reader: AddonReader) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  close(): void;
}

const require = createRequire(import.meta.url);

/**
 * Creates a pcsclite context (SCardEstablishContext + reader monitor thread).
 * @throws whatever pcsclite throws: Error "SCardEstablishContext error: …(0x8010001d)" when pcscd is not running
 */
export function createAddonContext(): AddonContext {
  const pcsclite = require('pcsclite') as () => AddonContext;
  return pcsclite();
}
