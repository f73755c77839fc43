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
      if (body === 'too-large') return send(res, 413, refusal('TOO_LARGE', `A CPR may be at most ${MAX_CPR_ENVELOPE_BYTES} bytes.`));
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

  const server: Server = opts.tls
    ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert, ca: opts.tls.clientCa, requestCert: clientCerts, rejectUnauthorized: false }, handler)
    : createHttpServer(handler);
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

/** Reads the request body up to `limit` bytes. */
async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return 'too-large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      return 'too-large';
    }
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
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
