/**
 * The `app://station/…` protocol: serves the renderer build (renderer/dist)
 * from disk without file:// (a file:// page could read any local file, and
 * every file:// URL is the same origin). Path traversal is refused and every
 * response carries the station's Content-Security-Policy.
 *
 * The path resolution and headers are pure functions here, for tests; the
 * Electron registration is in main.ts.
 */
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './ipc-guard.js';

/**
 * CSP of every renderer response: only the app's own scripts and styles, no
 * inline script, no remote connection (the renderer talks to the core by IPC only).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** MIME types of the files a Vite build emits. */
const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};
const DEFAULT_MIME = 'application/octet-stream';

/**
 * Maps an `app://station/<path>` URL to a file under `root`.
 *
 * @param root absolute directory of the renderer build
 * @param url  the request URL
 * @returns the absolute file path, or undefined when the URL is not ours
 *          (scheme/host) or escapes `root` (`..`, encoded `%2e%2e`, `%2f`,
 *          backslashes, NUL, absolute paths)
 */
export function resolveAppPath(root: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  // Encoded separators and NUL have no business in a renderer asset path.
  if (path.includes('\0') || path.includes('\\')) return undefined;
  if (path === '/' || path === '') path = '/index.html';
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return undefined;
  const base = resolve(root);
  const file = resolve(base, ...segments);
  const rel = relative(base, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return undefined;
  return file;
}

/** Response headers of a served file: its MIME type, the CSP and no-sniff. */
export function responseHeaders(file: string): Record<string, string> {
  return {
    'Content-Type': MIME_TYPES[extname(file).toLowerCase()] ?? DEFAULT_MIME,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
  };
}
