/**
 * Serves the built renderer (renderer/dist) read-only: files only, never a
 * directory listing, nothing outside the static root (encoded `..`, NUL bytes,
 * and symlinks leading out are refused). Paths without a file extension that
 * match no file get index.html, so a reload on a client-side route works.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, sep } from 'node:path';

/** Content types of the files a Vite build emits. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** For files whose type we do not know: nosniff keeps the browser from guessing. */
const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

/** The page served for `/` and client-side routes. */
export const INDEX_FILE = 'index.html';

/** Outcome of resolving a request path. */
export type Resolved = { kind: 'file'; path: string; size: number } | { kind: 'refused' } | { kind: 'missing' };

/** What {@link fileUnder} found: a missing path may be a directory (never listed, no index fallback). */
type Found = Exclude<Resolved, { kind: 'missing' }> | { kind: 'missing'; directory: boolean };

/**
 * Maps a URL path (still percent-encoded, query stripped) to a file under `root`.
 * @param root absolute, real (symlink-free) path of the static directory
 * @returns `refused` for traversal attempts and malformed paths, `missing` when no file matches
 */
export async function resolveStaticPath(root: string, urlPath: string): Promise<Resolved> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'refused' };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return { kind: 'refused' };
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.')) return { kind: 'refused' };
  const wanted = segments.length === 0 ? INDEX_FILE : segments.join(sep);
  const found = await fileUnder(root, join(root, wanted));
  if (found.kind !== 'missing') return found;
  if (found.directory) return { kind: 'missing' };
  // A client-side route (no extension): the single page answers it.
  if (segments.length > 0 && !decoded.endsWith('/') && extname(segments[segments.length - 1]!) === '') {
    const index = await fileUnder(root, join(root, INDEX_FILE));
    return index.kind === 'missing' ? { kind: 'missing' } : index;
  }
  return { kind: 'missing' };
}

/** `candidate` if it is a regular file whose real path stays inside `root`. */
async function fileUnder(root: string, candidate: string): Promise<Found> {
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { kind: 'missing', directory: false };
  }
  const rel = relative(root, real);
  if (rel.startsWith('..') || isAbsolute(rel)) return { kind: 'refused' };
  const info = await stat(real).catch(() => undefined);
  if (!info || !info.isFile()) return { kind: 'missing', directory: !!info?.isDirectory() }; // directories are never listed
  return { kind: 'file', path: real, size: info.size };
}

/** Content type for a file name (by extension). */
export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? FALLBACK_CONTENT_TYPE;
}

/**
 * Answers a GET/HEAD request from `root` (security headers are set by the caller).
 * Status: 200 file, 403 refused path, 404 nothing there, 405 other methods.
 */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return plain(res, 405, 'Method Not Allowed');
  }
  const rawPath = (req.url ?? '/').split('?')[0]!.split('#')[0]!;
  const resolved = await resolveStaticPath(root, rawPath);
  if (resolved.kind === 'refused') return plain(res, 403, 'Forbidden');
  if (resolved.kind === 'missing') return plain(res, 404, 'Not Found');
  res.statusCode = 200;
  res.setHeader('Content-Type', contentTypeFor(resolved.path));
  res.setHeader('Content-Length', String(resolved.size));
  // index.html names the hashed assets of this build: never serve a stale one.
  res.setHeader('Cache-Control', resolved.path.endsWith(INDEX_FILE) ? 'no-store' : 'no-cache');
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(resolved.path);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    stream.on('end', resolve);
    stream.pipe(res);
  });
}

/** A short plain-text answer. */
export function plain(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(text + '\n');
}
