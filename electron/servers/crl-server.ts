/**
 * The station's CRL distribution point: `GET /crl/issuing.crl` on 127.0.0.1
 * (the URL every certificate carries, from config `crlUrl`). Each request
 * reads the CRL the CA last published, so a revocation made by any process of
 * the station (the app, a CLI run) is served at once.
 * Content type application/pkix-crl (RFC 2585 §4.2); DER body.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { StationError } from '../core/errors.js';

/** Only this machine by default; a reverse proxy publishes it further. */
export const CRL_DEFAULT_HOST = '127.0.0.1';
/** The path the local CA's certificates name (DEFAULT_CRL_URL). */
export const CRL_DEFAULT_PATH = '/crl/issuing.crl';
/** RFC 2585 §4.2 media type of a DER CRL. */
export const CRL_MEDIA_TYPE = 'application/pkix-crl';
/** Relying parties may cache the CRL briefly; it changes on every revocation. */
const CACHE_SECONDS = 60;
const HTTP_OK = 200;
const HTTP_NOT_FOUND = 404;
const HTTP_METHOD_NOT_ALLOWED = 405;
const HTTP_UNAVAILABLE = 503;

/** Options of {@link startCrlServer}. */
export interface CrlServerOptions {
  /** The current CRL (DER), read per request. */
  source: () => Promise<Uint8Array>;
  /** 0 or absent: any free port. */
  port?: number;
  host?: string;
  path?: string;
}

/** A running CRL server. */
export interface RunningCrlServer {
  port: number;
  /** http://host:port/path */
  url: string;
  /** Stops listening and drops open connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * Where to serve, from the configured CRL URL (http only, the path kept).
 * @throws StationError INVALID_INPUT when the URL is not http
 */
export function crlListenAddress(crlUrl: string): { port: number; path: string } {
  const url = new URL(crlUrl);
  if (url.protocol !== 'http:') throw new StationError('INVALID_INPUT', 'The CRL URL in the configuration must be an http:// URL (RFC 5280 §4.2.1.13).', { field: 'crlUrl' });
  return { port: url.port ? Number(url.port) : 80, path: url.pathname };
}

/**
 * Starts serving the CRL.
 * @throws the listen error (e.g. EADDRINUSE) when the port is taken
 */
export async function startCrlServer(opts: CrlServerOptions): Promise<RunningCrlServer> {
  const host = opts.host ?? CRL_DEFAULT_HOST;
  const path = opts.path ?? CRL_DEFAULT_PATH;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== path) {
      res.writeHead(HTTP_NOT_FOUND, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(HTTP_METHOD_NOT_ALLOWED, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    opts.source().then(
      (der) => {
        res.writeHead(HTTP_OK, { 'content-type': CRL_MEDIA_TYPE, 'content-length': der.length, 'cache-control': `max-age=${CACHE_SECONDS}` });
        res.end(req.method === 'HEAD' ? undefined : Buffer.from(der));
      },
      () => res.writeHead(HTTP_UNAVAILABLE, { 'content-type': 'text/plain' }).end('the CRL is not available\n'),
    );
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: opts.port ?? 0, exclusive: true }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    port,
    url: `http://${host}:${port}${path}`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
      return closed;
    },
  };
}
