/**
 * A minimal virtual ICC for vsmartcard's vpcd, for PC/SC integration tests
 * that need "a card in the reader" and nothing more.
 *
 * Protocol (piv-reference.md §6, vsmartcard vpcd.c): TCP, every message in
 * both directions is a 2-byte big-endian length + payload. A 1-byte message
 * from vpcd is a control code (00 power off, 01 power on, 02 reset: no reply;
 * 04 get ATR: reply with the ATR); anything longer is a C-APDU answered with
 * an R-APDU. Closing the socket is "card removed".
 *
 * The card answers 90 00 to SELECT and 6D 00 to anything else, unless the
 * test supplies its own `respond`. Async I/O only: it runs in the test's
 * event loop, next to the PC/SC calls it answers.
 */
import { connect, type Socket } from 'node:net';
import { Ins, Sw } from '../../electron/core/piv/constants.js';

/** ATR of the minimal card: 3B 88 80 01 "PIVAPPLT" 1F (T=1, historical bytes spell the name). */
export const MINIMAL_VICC_ATR = Uint8Array.of(0x3b, 0x88, 0x80, 0x01, 0x50, 0x49, 0x56, 0x41, 0x50, 0x50, 0x4c, 0x54, 0x1f);

/** vpcd control codes (one-byte messages from vpcd). */
const VpcdControl = { POWER_OFF: 0x00, POWER_ON: 0x01, RESET: 0x02, GET_ATR: 0x04 } as const;

/** Length prefix of every vpcd frame, in bytes. */
const FRAME_HEADER_LENGTH = 2;
/** Offset of INS in a C-APDU (ISO 7816-4 §5.1). */
const APDU_INS_OFFSET = 1;

/** Default vpcd endpoint of reader "Virtual PCD 00 00". */
export const DEFAULT_VPCD_PORT = 35963;

export interface MinimalViccOptions {
  host?: string;
  port?: number;
  /** Answers one C-APDU; may be async (e.g. to hold a transmit in flight). */
  respond?: (capdu: Uint8Array) => Uint8Array | Promise<Uint8Array>;
}

export interface MinimalVicc {
  /** Every C-APDU received, in order. */
  readonly apdus: Uint8Array[];
  /** Every control code received, in order. */
  readonly controls: number[];
  /** Resolves once the TCP connection to vpcd is established. */
  readonly connected: Promise<void>;
  /** Resolves when the socket has closed (by either side). */
  readonly closed: Promise<void>;
  /** Pulls the card: destroys the socket. */
  remove(): Promise<void>;
}

function swBytes(sw: number): Uint8Array {
  return Uint8Array.of(sw >> 8, sw & 0xff);
}

/** Default answer: 90 00 to SELECT, 6D 00 (INS not supported) otherwise. */
function defaultRespond(capdu: Uint8Array): Uint8Array {
  return capdu[APDU_INS_OFFSET] === Ins.SELECT ? swBytes(Sw.SUCCESS) : swBytes(Sw.INS_NOT_SUPPORTED);
}

function frame(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(FRAME_HEADER_LENGTH + payload.length);
  out.writeUInt16BE(payload.length, 0);
  out.set(payload, FRAME_HEADER_LENGTH);
  return out;
}

/**
 * Connects a minimal card to vpcd (the card is "inserted" once vpcd polls it).
 * @param options host (default 127.0.0.1), port (default 35963), respond
 */
export function startMinimalVicc(options: MinimalViccOptions = {}): MinimalVicc {
  const respond = options.respond ?? defaultRespond;
  const apdus: Uint8Array[] = [];
  const controls: number[] = [];
  const socket: Socket = connect({ host: options.host ?? '127.0.0.1', port: options.port ?? DEFAULT_VPCD_PORT });
  socket.setNoDelay(true);
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  // Errors after connect (ECONNRESET when vpcd drops us) just end the card.
  socket.on('error', () => undefined);

  let pending = Buffer.alloc(0);
  // vpcd sends one exchange at a time, but replies must stay in order even when `respond` is async.
  let chain: Promise<void> = Promise.resolve();

  const handle = async (msg: Uint8Array): Promise<void> => {
    if (msg.length === 1) {
      controls.push(msg[0]!);
      if (msg[0] === VpcdControl.GET_ATR) socket.write(frame(MINIMAL_VICC_ATR));
      return;
    }
    apdus.push(msg);
    const rapdu = await respond(msg);
    if (!socket.destroyed) socket.write(frame(rapdu));
  };

  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= FRAME_HEADER_LENGTH) {
      const length = pending.readUInt16BE(0);
      if (pending.length < FRAME_HEADER_LENGTH + length) break;
      const msg = new Uint8Array(pending.subarray(FRAME_HEADER_LENGTH, FRAME_HEADER_LENGTH + length));
      pending = pending.subarray(FRAME_HEADER_LENGTH + length);
      chain = chain.then(() => handle(msg)).catch(() => undefined);
    }
  });

  return {
    apdus,
    controls,
    connected,
    closed,
    async remove() {
      socket.destroy();
      await closed;
    },
  };
}
