import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { toHex } from '../../../../electron/core/piv/tlv.js';
import { VirtualPivCard } from '../../../../native/virtual-card/card.js';
import { attachToVpcd } from '../../../../native/vpcd/link.js';

/** A stand-in for vpcd: accepts one card, sends frames, reads length-prefixed replies. */
async function fakeVpcd(): Promise<{ server: Server; port: number; socket: Promise<Socket> }> {
  let resolveSocket!: (s: Socket) => void;
  const socket = new Promise<Socket>((r) => (resolveSocket = r));
  const server = createServer((s) => resolveSocket(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0, socket };
}

function reader(s: Socket): (n?: number) => Promise<Buffer> {
  let buf = Buffer.alloc(0);
  const waiters: (() => void)[] = [];
  s.on('data', (c: Buffer) => {
    buf = Buffer.concat([buf, c]);
    waiters.splice(0).forEach((w) => w());
  });
  return async () => {
    for (;;) {
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0);
        const msg = buf.subarray(2, 2 + len);
        buf = buf.subarray(2 + len);
        return msg;
      }
      await new Promise<void>((r) => waiters.push(r));
    }
  };
}
const frame = (hex: string) => {
  const p = Buffer.from(hex, 'hex');
  return Buffer.concat([Buffer.of(p.length >> 8, p.length & 0xff), p]);
};

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

describe('attachToVpcd (vsmartcard vpcd protocol)', () => {
  it('answers GET ATR, handles power/reset control codes and APDUs split across writes', async () => {
    const vpcd = await fakeVpcd();
    server = vpcd.server;
    const card = VirtualPivCard.create();
    const link = await attachToVpcd(card, { port: vpcd.port });
    const s = await vpcd.socket;
    const next = reader(s);
    s.write(frame('04'));
    expect(toHex(await next())).toBe('3B8880015049564150504C541F');
    s.write(frame('01'));
    const verify = frame('002000800831323334353 6FFFF'.replace(' ', ''));
    s.write(verify.subarray(0, 5));
    s.write(verify.subarray(5));
    expect(toHex(await next())).toBe('9000');
    s.write(frame('0020008000'));
    expect(toHex(await next())).toBe('9000');
    s.write(frame('02')); // reset clears the PIN status
    s.write(frame('0020008000'));
    expect(toHex(await next())).toBe('63C3');
    await link.detach();
    await link.closed;
  });

  it('closes the socket when removeAfterApdus fires (card pulled)', async () => {
    const vpcd = await fakeVpcd();
    server = vpcd.server;
    const card = VirtualPivCard.create({ faults: { removeAfterApdus: 1 } });
    const link = await attachToVpcd(card, { port: vpcd.port });
    const s = await vpcd.socket;
    const next = reader(s);
    const ended = new Promise<void>((r) => s.on('close', () => r()));
    s.write(frame('00FD000000'));
    expect(toHex(await next())).toBe('0507019000');
    await ended;
    await link.closed;
    expect(card.removed).toBe(true);
  });

  it('rejects with PCSC_UNAVAILABLE when nothing listens', async () => {
    const vpcd = await fakeVpcd();
    const port = vpcd.port;
    await new Promise((r) => vpcd.server.close(r));
    await expect(attachToVpcd(VirtualPivCard.create(), { port })).rejects.toMatchObject({ code: 'PCSC_UNAVAILABLE' });
  });
});
