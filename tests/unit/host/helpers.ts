/**
 * Test helpers for the browser host: a tiny static dir, raw HTTP requests
 * (no URL normalisation, so traversal attempts reach the server as written)
 * and `ws` connections with chosen token and Origin.
 */
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, symlinkSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';

/** Content of the test index.html (to recognise it in responses). */
export const INDEX_HTML = '<!doctype html><title>PIV Station test page</title><script type="module" src="/assets/app.js"></script>\n';
export const APP_JS = 'console.log("renderer");\n';

/** A temp static dir with index.html, assets/app.js, assets/style.css, a sub-directory, a secret next to it (outside) and a symlink to that secret. */
export function makeStaticDir(): { dir: string; outsideSecret: string; cleanup(): void } {
  const base = mkdtempSync(join(tmpdir(), 'piv-host-test-'));
  const dir = join(base, 'dist');
  mkdirSync(join(dir, 'assets', 'nested'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), INDEX_HTML);
  writeFileSync(join(dir, 'assets', 'app.js'), APP_JS);
  writeFileSync(join(dir, 'assets', 'style.css'), 'body{}\n');
  writeFileSync(join(dir, 'assets', 'nested', 'x.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  const outsideSecret = join(base, 'secret.txt');
  writeFileSync(outsideSecret, 'top secret outside the static dir\n');
  symlinkSync(outsideSecret, join(dir, 'assets', 'link.txt')); // a symlink leading out must not be followed

  return { dir, outsideSecret, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** One raw HTTP request to 127.0.0.1:port. */
export function httpGet(
  port: number,
  path: string,
  opts: { method?: string; host?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: opts.host ?? `127.0.0.1:${port}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Outcome of a WebSocket attempt: the open socket, or the HTTP status that refused it. */
export type Attempt = { open: true; ws: WebSocket } | { open: false; status: number | undefined };

/** Tries to open `ws://127.0.0.1:port<path>` with the given Origin. */
export function tryConnect(port: number, path: string, origin: string | undefined): Promise<Attempt> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, origin === undefined ? {} : { origin });
    ws.on('open', () => resolve({ open: true, ws }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ open: false, status: res.statusCode });
      ws.terminate();
    });
    ws.on('error', () => resolve({ open: false, status: undefined }));
  });
}

/** Collects parsed JSON messages of a socket. */
export function collect(ws: WebSocket): unknown[] {
  const got: unknown[] = [];
  ws.on('message', (data) => got.push(JSON.parse(String(data))));
  return got;
}

/** Polls `predicate` until it holds (no wall-time assertion: fails only after `tries`). */
export async function until(predicate: () => boolean, tries = 600, stepMs = 25): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (predicate()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error('condition not reached');
}
