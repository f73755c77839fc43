/**
 * Links a VirtualPivCard to pcscd through vsmartcard's vpcd driver
 * (piv-reference §6; vsmartcard virtualsmartcard/src/vpcd/vpcd.c).
 *
 * vpcd (server mode) listens on 127.0.0.1:35963 for reader "Virtual PCD 00 00"
 * (35964 for "00 01"); the card side connects as a TCP client. Every message
 * in both directions is a 2-byte big-endian length and a payload. A 1-byte
 * payload from vpcd is a control code (00 power off, 01 power on, 02 reset:
 * no reply; 04 get ATR: reply with the ATR); anything longer is a C-APDU
 * answered with the R-APDU. Closing the socket = pulling the card.
 */
import { connect, type Socket } from 'node:net';
import { StationError } from '../../electron/core/errors.js';
import type { VirtualPivCard } from '../virtual-card/card.js';

/** vpcd's default port for reader slot 0 (CHANNELID 0x8C7B). */
export const VPCD_DEFAULT_PORT = 0x8c7b;
/** vpcd runs on this machine. */
export const VPCD_DEFAULT_HOST = '127.0.0.1';

/** Control codes vpcd sends as 1-byte messages (vpcd.h). */
export const VpcdControl = { POWER_OFF: 0x00, POWER_ON: 0x01, RESET: 0x02, GET_ATR: 0x04 } as const;

/** Size of the frame length prefix. */
const LENGTH_PREFIX = 2;

/** A live card-in-reader connection. */
export interface VpcdLink {
  /** Resolves when the socket has closed (detach, vpcd gone, or card removed by a fault). */
  readonly closed: Promise<void>;
  /** Pulls the card: closes the socket and waits until it is closed. */
  detach(): Promise<void>;
}

function frame(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(LENGTH_PREFIX + payload.length);
  out.writeUInt16BE(payload.length, 0);
  out.set(payload, LENGTH_PREFIX);
  return out;
}

/**
 * Connects `card` to vpcd (default 127.0.0.1:35963), i.e. inserts it into the reader.
 * Resolves once connected. When `card.removed` becomes true the socket is closed.
 * @throws StationError PCSC_UNAVAILABLE when nothing listens on the port
 */
export function attachToVpcd(card: VirtualPivCard, opts: { host?: string; port?: number } = {}): Promise<VpcdLink> {
  const host = opts.host ?? VPCD_DEFAULT_HOST;
  const port = opts.port ?? VPCD_DEFAULT_PORT;
  card.reinsert();
  return new Promise<VpcdLink>((resolve, reject) => {
    const socket: Socket = connect({ host, port });
    socket.setNoDelay(true);
    let connected = false;
    let buffer: Buffer = Buffer.alloc(0);
    let work: Promise<void> = Promise.resolve();
    const closed = new Promise<void>((res) => socket.once('close', () => res()));
    let inFlight = false;
    // Removed while answering an APDU: the answer goes out first, then handle() closes.
    const unsubscribe = card.onRemoved(() => {
      if (!inFlight) socket.destroy();
    });
    void closed.then(unsubscribe);

    const handle = async (payload: Buffer): Promise<void> => {
      if (payload.length === 1) {
        const code = payload[0];
        if (code === VpcdControl.POWER_OFF) card.powerOff();
        else if (code === VpcdControl.POWER_ON) card.powerOn();
        else if (code === VpcdControl.RESET) card.reset();
        else if (code === VpcdControl.GET_ATR && !socket.destroyed) socket.write(frame(card.atr));
        return;
      }
      if (payload.length === 0) return;
      inFlight = true;
      try {
        const rapdu = await card.processApdu(new Uint8Array(payload));
        if (!socket.destroyed) socket.write(frame(rapdu));
      } catch {
        // The card is gone (CARD_REMOVED): vpcd sees the socket close.
        socket.destroy();
        return;
      } finally {
        inFlight = false;
      }
      if (card.removed) socket.end();
    };

    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      while (buffer.length >= LENGTH_PREFIX) {
        const len = buffer.readUInt16BE(0);
        if (buffer.length < LENGTH_PREFIX + len) break;
        const payload = Buffer.from(buffer.subarray(LENGTH_PREFIX, LENGTH_PREFIX + len));
        buffer = buffer.subarray(LENGTH_PREFIX + len);
        // vpcd sends one exchange at a time; chaining keeps order if it ever pipelines.
        work = work.then(() => handle(payload));
      }
    });
    socket.once('connect', () => {
      connected = true;
      resolve({
        closed,
        detach: async () => {
          socket.end();
          const timer = setTimeout(() => socket.destroy(), 1000);
          await closed;
          clearTimeout(timer);
        },
      });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!connected) {
        reject(new StationError('PCSC_UNAVAILABLE', 'The virtual reader service (vpcd) is not reachable.', { host, port, cause: err.code }));
      }
      // After connecting, an error is followed by 'close', which resolves `closed`.
    });
  });
}
