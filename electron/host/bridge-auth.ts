/**
 * Who may open the browser host's bridge: a page served by this host
 * (Origin exactly `http://127.0.0.1:PORT`) that knows the per-launch token.
 * The Origin check stops other web pages (and DNS rebinding) from driving the
 * station; the token stops other local processes' pages and leaked tabs from
 * a previous launch.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { BRIDGE_PATH, TOKEN_QUERY_PARAM } from '../bridge/protocol.js';

/** Bytes of entropy in a launch token (256 bits). */
export const TOKEN_BYTES = 32;

/** The only address the host binds and the only host name its pages use. */
export const LOOPBACK_ADDRESS = '127.0.0.1';

/** A fresh launch token: 32 random bytes, base64url (43 characters). */
export function newLaunchToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** The origin of the host's own pages, e.g. `http://127.0.0.1:5123`. */
export function hostOrigin(port: number): string {
  return `http://${LOOPBACK_ADDRESS}:${port}`;
}

/**
 * Compares a presented token with the expected one in constant time.
 * Both sides are hashed first so neither the content nor the length of the
 * expected token leaks through timing.
 */
export function tokenMatches(presented: string | null | undefined, expected: string): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** Why an upgrade was refused, with the HTTP status to answer. */
export type UpgradeVerdict = { ok: true } | { ok: false; status: 401 | 403 | 404; reason: string };

/**
 * Decides whether a WebSocket upgrade request may become a bridge connection.
 * @returns 404 for another path, 401 for a missing or wrong token, 403 for a
 *   foreign Origin or Host; `{ ok: true }` otherwise.
 */
export function checkUpgrade(req: IncomingMessage, expectedToken: string, port: number): UpgradeVerdict {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', hostOrigin(port));
  } catch {
    return { ok: false, status: 404, reason: 'Not Found' };
  }
  if (url.pathname !== BRIDGE_PATH) return { ok: false, status: 404, reason: 'Not Found' };
  if (!tokenMatches(url.searchParams.get(TOKEN_QUERY_PARAM), expectedToken)) return { ok: false, status: 401, reason: 'Unauthorized' };
  if (req.headers.origin !== hostOrigin(port)) return { ok: false, status: 403, reason: 'Forbidden' };
  if (req.headers.host !== `${LOOPBACK_ADDRESS}:${port}`) return { ok: false, status: 403, reason: 'Forbidden' };
  return { ok: true };
}
