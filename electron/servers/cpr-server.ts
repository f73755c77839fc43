/**
 * The CPR endpoint the IDPRS calls (`station cpr serve`): plain HTTP or TLS,
 * 127.0.0.1 unless configured otherwise.
 *
 *   POST   /cpr                    body: the signed CPR (CMS DER, base64 or PEM) → CprResult (201/200 or a rejection status)
 *   GET    /cpr/{idprsRequestId}   the CPR's status (200, or 404 CPR_NOT_FOUND)
 *   DELETE /cpr/{idprsRequestId}   the delete-request (200 CPR_DELETED, 404, 409 CPR_DELETE_REFUSED)
 *
 * Client authentication, either of: `Authorization: Bearer TOKEN` where the
 * SHA-256 of TOKEN equals the configured hash (compared in constant time), or
 * (TLS with `clientCa`) a client certificate that chains to that CA. Every
 * answer is JSON `{ status, code, message, … }` (cpr-result.ts); the endpoint's
 * own refusals use status 'rejected' and the codes UNAUTHORIZED (401),
 * NOT_FOUND (404, unknown path), METHOD_NOT_ALLOWED (405), TOO_LARGE (413).
 *
 * Bounded against slow and oversized clients (issue 13, slowloris): headers
 * must arrive within {@link CprServerLimits.headersTimeoutMs} and the whole
 * request within `requestTimeoutMs` (then Node answers 408 and closes the
 * connection), headers may take at most `maxHeaderBytes`, a body at most
 * MAX_CPR_ENVELOPE_BYTES (413, and the connection is closed rather than
 * drained), idle keep-alive connections close after `keepAliveTimeoutMs`, and
 * at most `maxConnections` are open at once, so one client holding sockets
 * cannot starve the others.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { StationError } from '../core/errors.js';
import { MAX_CPR_ENVELOPE_BYTES } from '../core/workflow/cpr-envelope.js';
import { httpStatusOf, type CprResult } from '../core/workflow/cpr-result.js';

/** The default listen address: only this machine. */
export const CPR_DEFAULT_HOST = '127.0.0.1';
/** Path prefix of every route. */
export const CPR_PATH = '/cpr';

/** Time and size limits of the endpoint (see the module comment). */
export interface CprServerLimits {
  /** Milliseconds for a request's headers to arrive. */
  headersTimeoutMs: number;
  /** Milliseconds for a whole request, body included, to arrive. */
  requestTimeoutMs: number;
  /** Milliseconds an idle keep-alive connection is kept. */
  keepAliveTimeoutMs: number;
  /** How often open connections are checked against the two timeouts, in milliseconds. */
  checkIntervalMs: number;
  /** Largest header section, in bytes. */
  maxHeaderBytes: number;
  /** Most connections open at once; more are refused by the server. */
  maxConnections: number;
}

/** The limits a station uses: a CPR is a few KiB, sent by one IDPRS. */
export const CPR_SERVER_LIMITS: CprServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
  maxHeaderBytes: 16 * 1024,
  maxConnections: 64,
};

/**
 * The CPR intake as the IDPRS's doors call it: in a station, the core's
 * dispatch on an IDPRS connection (./idprs-intake.ts); in tests, the intake itself.
 */
export interface CprDoorIntake {
  submit(body: Uint8Array, door: 'http' | 'folder'): Promise<CprResult>;
  status(idprsRequestId: string): CprResult | Promise<CprResult>;
  deleteRequest(idprsRequestId: string): Promise<CprResult>;
}

/** Options of {@link startCprServer}. */
export interface CprServerOptions {
  intake: CprDoorIntake;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** TCP port; 0 or absent: a free port chosen by the OS. */
  port?: number;
  /** SHA-256 of the shared bearer token, 64 hex digits. */
  tokenSha256?: string;
  /** TLS: PEM key and certificate; with `clientCa` (PEM), client certificates are requested and accepted. */
  tls?: { key: string | Buffer; cert: string | Buffer; clientCa?: string | Buffer };
  /** Other limits than {@link CPR_SERVER_LIMITS} (tests shorten the timeouts). */
  limits?: Partial<CprServerLimits>;
}

/** A running endpoint. */
export interface RunningCprServer {
  /** e.g. `https://127.0.0.1:8781` */
  origin: string;
  port: number;
  /** Stops listening and drops open connections. Idempotent. */
  close(): Promise<void>;
}

/** SHA-256 hex of a bearer token: what the configuration stores (`idprs.http.tokenSha256`). */
export function cprTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** True when `header` is `Bearer T` with SHA-256(T) = `expectedSha256` (constant-time compare). */
export function bearerMatches(header: string | undefined, expectedSha256: string): boolean {
  const m = /^Bearer ([\x21-\x7e]+)$/.exec(header ?? '');
  const expected = Buffer.from(expectedSha256, 'hex');
  const presented = createHash('sha256').update(m ? m[1]! : '', 'utf8').digest();
  if (expected.length !== presented.length) return false;
  // Compared even when the header is missing, so a missing token costs the same as a wrong one.
  const equal = timingSafeEqual(presented, expected);
  return m !== null && equal;
}

/**
 * Starts the endpoint.
 * @throws StationError INVALID_INPUT when no client authentication is configured (no token hash and
 *   no client CA) or the token hash is not 64 hex digits; TRANSPORT when the port cannot be bound
 */
export async function startCprServer(opts: CprServerOptions): Promise<RunningCprServer> {
  const token = opts.tokenSha256?.toLowerCase();
  if (token !== undefined && !/^[0-9a-f]{64}$/.test(token)) throw new StationError('INVALID_INPUT', 'The CPR endpoint token hash must be 64 hex digits (SHA-256).');
  const clientCerts = !!opts.tls?.clientCa;
  if (!token && !clientCerts) {
    throw new StationError('INVALID_INPUT', 'The CPR endpoint needs client authentication: set a token (STATION_CPR_TOKEN or idprs.http.tokenSha256) or TLS with a client CA.');
  }

  const authenticated = (req: IncomingMessage): boolean => {
    if (token && bearerMatches(req.headers.authorization, token)) return true;
    return clientCerts && (req.socket as TLSSocket).authorized === true;
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    route(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, refusal('INTERNAL', 'The station failed while handling the call.'));
      else res.destroy();
    });
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path !== CPR_PATH && !path.startsWith(`${CPR_PATH}/`)) return send(res, 404, refusal('NOT_FOUND', 'Unknown path: use /cpr.'));
    if (!authenticated(req)) {
      req.resume();
      res.setHeader('WWW-Authenticate', 'Bearer');
      return send(res, 401, refusal('UNAUTHORIZED', 'The IDPRS is not authenticated: send the bearer token or a client certificate.'));
    }
    if (path === CPR_PATH) {
      if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
      const body = await readBody(req, MAX_CPR_ENVELOPE_BYTES);
      if (body === 'too-large') {
        // The rest of the body is not read: the connection closes once the answer is out.
        res.setHeader('Connection', 'close');
        res.once('finish', () => req.socket.destroy());
        return send(res, 413, refusal('TOO_LARGE', `A CPR may be at most ${MAX_CPR_ENVELOPE_BYTES} bytes.`));
      }
      const result = await opts.intake.submit(body, 'http');
      return send(res, httpStatusOf(result), result);
    }
    let id: string;
    try {
      id = decodeURIComponent(path.slice(CPR_PATH.length + 1));
    } catch {
      return send(res, 404, refusal('NOT_FOUND', 'The CPR id in the path is not valid.'));
    }
    if (req.method === 'GET') {
      const result = await opts.intake.status(id);
      return send(res, result.code === 'CPR_NOT_FOUND' ? 404 : 200, result);
    }
    if (req.method === 'DELETE') {
      const result = await opts.intake.deleteRequest(id);
      return send(res, httpStatusOf(result), result);
    }
    return methodNotAllowed(res, 'GET, DELETE');
  }

  const limits = { ...CPR_SERVER_LIMITS, ...opts.limits };
  const bounds = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.checkIntervalMs,
    maxHeaderSize: limits.maxHeaderBytes,
  };
  const server: Server = opts.tls
    ? createHttpsServer({ ...bounds, key: opts.tls.key, cert: opts.tls.cert, ca: opts.tls.clientCa, requestCert: clientCerts, rejectUnauthorized: false }, handler)
    : createHttpServer(bounds, handler);
  server.maxConnections = limits.maxConnections;
  const host = opts.host ?? CPR_DEFAULT_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new StationError('TRANSPORT', e.code === 'EADDRINUSE' ? `The CPR endpoint cannot start: port ${opts.port} is in use.` : 'The CPR endpoint cannot open its port.', { port: opts.port ?? 0 })),
    );
    server.listen({ host, port: opts.port ?? 0, exclusive: true }, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new StationError('INTERNAL', 'The CPR endpoint has no TCP address.');
  const port = address.port;
  let closing: Promise<void> | undefined;
  return {
    origin: `${opts.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/**
 * Reads the request body up to `limit` bytes: 'too-large' as soon as it is known to be larger
 * (the request is then paused, not drained: the caller answers and closes the connection).
 * @throws the stream's error when the client goes away (or a timeout closes the connection)
 */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve('too-large');
    };
    req.on('data', onData);
    req.once('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.once('error', reject);
    req.once('close', () => reject(new Error('the client went away')));
  });
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  send(res, 405, refusal('METHOD_NOT_ALLOWED', `Use ${allow} on this path.`));
}

type Refusal = Pick<CprResult, 'status' | 'message'> & { code: string };

function refusal(code: string, message: string): Refusal {
  return { status: 'rejected', code, message };
}

function send(res: ServerResponse, status: number, body: CprResult | Refusal): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}
