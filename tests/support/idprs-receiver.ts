/**
 * A test IDPRS notification receiver on 127.0.0.1: verifies the HMAC of every
 * POST, deduplicates by event id, and records what arrived, in arrival order.
 * Its behaviour can be switched while it runs, to play an unreliable IDPRS:
 * 'up' (200), 'slow' (answers after `slowMs`, 200), 'error' (503), 'reject'
 * (400), and it can go down (stop listening) and come back on the same port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyNotification, type SignatureCheck } from '../../electron/core/notifications/signer.js';
import type { NotificationPayload } from '../../electron/core/notifications/events.js';

export type ReceiverMode = 'up' | 'slow' | 'error' | 'reject';

/** One POST as received. */
export interface ReceivedPost {
  eventId: string | undefined;
  signature: SignatureCheck;
  duplicate: boolean;
  status: number;
}

export interface IdprsReceiver {
  /** The endpoint URL (stable across down/up). */
  readonly url: string;
  mode: ReceiverMode;
  /** Delay of the 'slow' mode, ms. */
  slowMs: number;
  /** Every POST, in arrival order. */
  readonly posts: ReceivedPost[];
  /** Each accepted event once (first arrival), in arrival order. */
  readonly events: NotificationPayload[];
  /** Stops listening (connection refused) until {@link up}. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Resolves once `n` distinct events were accepted. */
  waitForEvents(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** HTTP statuses of the modes. */
const STATUS_OK = 200;
const STATUS_UNAVAILABLE = 503;
const STATUS_BAD_REQUEST = 400;
const STATUS_UNAUTHORIZED = 401;

/**
 * Starts a receiver.
 * @param secret the shared HMAC secret
 * @param port   0 picks a free port (kept for later {@link IdprsReceiver.up})
 */
export async function startIdprsReceiver(secret: Uint8Array, port = 0): Promise<IdprsReceiver> {
  const seen = new Set<string>();
  const listeners = new Set<() => void>();
  let server: Server | undefined;
  const open = new Set<import('node:net').Socket>();

  const receiver: IdprsReceiver = {
    url: '',
    mode: 'up',
    slowMs: 2_000,
    posts: [],
    events: [],
    async down() {
      if (!server) return;
      const s = server;
      server = undefined;
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      for (const socket of open) socket.destroy();
      await closed;
    },
    async up() {
      if (server) return;
      server = createServer((req, res) => void handle(req, res));
      server.on('connection', (socket) => {
        open.add(socket);
        socket.once('close', () => open.delete(socket));
      });
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, '127.0.0.1', () => resolve());
      });
      port = (server.address() as AddressInfo).port;
    },
    waitForEvents(n, timeoutMs = 60_000) {
      if (receiver.events.length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`receiver got ${receiver.events.length} of ${n} events`));
        }, timeoutMs);
        function check() {
          if (receiver.events.length >= n) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve();
          }
        }
        listeners.add(check);
      });
    },
    async close() {
      await receiver.down();
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const eventId = header(req, 'x-station-event-id');
    const signature = verifyNotification(
      secret,
      { signature: header(req, 'x-station-signature'), timestamp: header(req, 'x-station-timestamp') },
      body,
      Math.floor(Date.now() / 1000),
    );
    const answer = (status: number, duplicate = false) => {
      receiver.posts.push({ eventId, signature, duplicate, status });
      if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status }));
    };
    if (req.method !== 'POST' || signature !== 'ok') return answer(STATUS_UNAUTHORIZED);
    const mode = receiver.mode;
    if (mode === 'error') return answer(STATUS_UNAVAILABLE);
    if (mode === 'reject') return answer(STATUS_BAD_REQUEST);
    const payload = JSON.parse(body.toString('utf8')) as NotificationPayload;
    // Processed (and deduplicated) before a slow answer: the station may time out and send it again.
    const duplicate = seen.has(payload.id);
    if (!duplicate) {
      seen.add(payload.id);
      receiver.events.push(payload);
      for (const l of [...listeners]) l();
    }
    if (mode === 'slow') await new Promise((r) => setTimeout(r, receiver.slowMs));
    answer(STATUS_OK, duplicate);
  }

  await receiver.up();
  (receiver as { url: string }).url = `http://127.0.0.1:${port}/notifications`;
  return receiver;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Order check of what a receiver accepted: in first-arrival order, each
 * stream's sequences must be exactly 1…n, and each card's events ascending.
 * @returns one sentence per violation (empty when in order)
 */
export function orderViolations(events: NotificationPayload[]): string[] {
  const problems: string[] = [];
  const byStream = new Map<string, number[]>();
  const byCard = new Map<string, number[]>();
  for (const e of events) {
    byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e.sequence]);
    if (e.card) byCard.set(e.card.id, [...(byCard.get(e.card.id) ?? []), e.sequence]);
  }
  for (const [stream, seqs] of byStream) {
    if (seqs.some((s, i) => s !== i + 1)) problems.push(`stream ${stream} arrived as ${seqs.join(',')}`);
  }
  for (const [card, seqs] of byCard) {
    if (seqs.some((s, i) => i > 0 && s < seqs[i - 1]!)) problems.push(`card ${card} arrived as ${seqs.join(',')}`);
  }
  return problems;
}
