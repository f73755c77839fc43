/**
 * The browser host: a 127.0.0.1-only HTTP server for the built renderer and
 * the `/bridge` WebSocket that carries StationApi calls to the core's
 * dispatch (DESIGN.md "host/"). A connection is accepted only with the
 * per-launch token and the host's own Origin; each connection hears the core
 * events the core lets it hear (StationCore.subscribe: none before an officer
 * logs in on it). Every connection of one launch belongs to one window for the
 * core (StationCore.joinWindow): a page reload opens a new socket, but a kiosk
 * stays a kiosk.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { StationCore } from '../core/dispatch.js';
import { StationError } from '../core/errors.js';
import { checkUpgrade, hostOrigin, LOOPBACK_ADDRESS, newLaunchToken } from './bridge-auth.js';
import { answerFrame, parseFrame } from '../bridge/frames.js';
import { MAX_FRAME_BYTES, TOKEN_QUERY_PARAM, type BridgeEventMessage } from '../bridge/protocol.js';
import { applySecurityHeaders } from './security-headers.js';
import { plain, serveStatic } from './static-files.js';

/** Options of {@link startHost}. */
export interface HostOptions {
  /** The station core every bridge call goes to (the host does not close it). */
  core: StationCore;
  /** Directory of the built renderer (index.html + assets). */
  staticDir: string;
  /** TCP port on 127.0.0.1; 0 or absent: a free port chosen by the OS. */
  port?: number;
  /** Launch token; absent: 32 random bytes, base64url. Tests pass their own. */
  token?: string;
}

/** A running browser host. */
export interface RunningHost {
  /** The page to open: `http://127.0.0.1:PORT/?token=…`. */
  url: string;
  port: number;
  token: string;
  /** Disconnects every client and stops listening. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the browser host.
 * @throws StationError INVALID_INPUT when `staticDir` is not a directory or the
 *   token is empty; TRANSPORT when the port cannot be bound (e.g. in use)
 */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const staticRoot = realStaticRoot(opts.staticDir);
  const token = opts.token ?? newLaunchToken();
  if (token.length === 0) throw new StationError('INVALID_INPUT', 'The browser host needs a non-empty launch token.');
  let port = 0;

  const server: Server = createServer((req, res) => {
    applySecurityHeaders(res, port);
    // Pages are served to 127.0.0.1:PORT only, the origin the bridge accepts (DNS rebinding guard).
    if (req.headers.host !== `${LOOPBACK_ADDRESS}:${port}`) return plain(res, 421, `Open ${hostOrigin(port)}/ instead.`);
    serveStatic(staticRoot, req, res).catch(() => {
      if (!res.headersSent) plain(res, 500, 'Internal Server Error');
      else res.destroy();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, clientTracking: true });
  /** This launch, as the core's window: only pages holding this launch's token connect. */
  const windowId = `launch:${randomUUID()}`;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const verdict = checkUpgrade(req, token, port);
    if (!verdict.ok) {
      socket.end(`HTTP/1.1 ${verdict.status} ${verdict.reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    // One random id per connection: the officer who logs in on it is bound to it alone.
    const connectionId = `ws:${randomUUID()}`;
    opts.core.joinWindow(connectionId, windowId);
    // The events this connection may hear (the core decides: nothing before an officer logs in on it).
    const unsubscribe = opts.core.subscribe(connectionId, (event, payload) => {
      const message: BridgeEventMessage = { event, payload };
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
    });
    ws.on('close', unsubscribe);
    // Oversized frames (maxPayload) and protocol errors close this socket only.
    ws.on('error', () => ws.terminate());
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const frame = parseFrame(Buffer.isBuffer(data) ? data : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]), isBinary);
      void answerFrame((channel, raw, id) => opts.core.dispatch(channel, raw, id), frame, connectionId).then((response) => {
        if (response && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(response));
      });
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      const detail = e.code === 'EADDRINUSE' ? `Port ${opts.port} is already in use.` : 'The port could not be opened.';
      reject(new StationError('TRANSPORT', `The browser host could not start: ${detail}`, { port: opts.port ?? 0 }));
    };
    server.once('error', onError);
    server.listen({ host: LOOPBACK_ADDRESS, port: opts.port ?? 0, exclusive: true }, () => {
      server.off('error', onError);
      resolveListen();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new StationError('INTERNAL', 'The browser host has no TCP address.');
  port = address.port;

  let closing: Promise<void> | undefined;
  return {
    url: `${hostOrigin(port)}/?${TOKEN_QUERY_PARAM}=${encodeURIComponent(token)}`,
    port,
    token,
    close() {
      closing ??= (async () => {
        for (const client of wss.clients) client.terminate();
        await new Promise<void>((r) => wss.close(() => r()));
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      })();
      return closing;
    },
  };
}

/** The static directory's real path. @throws StationError INVALID_INPUT when it is not a directory */
function realStaticRoot(dir: string): string {
  const abs = resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new StationError('INVALID_INPUT', `The renderer build ${abs} is missing: build the renderer first (npm run build:renderer).`);
  return realpathSync(abs);
}
