/**
 * The browser host as a process (electron/host/main.ts) and `npm start`
 * (scripts/start.mjs) on a machine without an Electron binary: one URL line,
 * the page and the bridge work, SIGTERM shuts down with exit 0; a missing
 * renderer build and bad flags are explained. Uses --no-pcsc (the in-process
 * training reader), so no vpcd reader is claimed.
 */
import { trackChild } from '../support/station-cli.js';
import { afterEach, describe, expect, test } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WebSocket } from 'ws';
import { makeStaticDir, httpGet, INDEX_HTML } from '../unit/host/helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const HOST_MAIN = join(ROOT, 'electron/host/main.ts');
const START = join(ROOT, 'scripts/start.mjs');

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Spawns node with `args`; collects output; resolves the exit code on exit. */
function run(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env } }) as ChildProcessWithoutNullStreams;
  trackChild(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  cleanups.push(() => child.kill('SIGKILL'));
  return {
    child,
    exited,
    out: () => stdout,
    err: () => stderr,
    /** Waits for a stdout line matching `re` (or the process to end). */
    async line(re: RegExp): Promise<string> {
      for (;;) {
        const m = stdout.split('\n').find((l) => re.test(l));
        if (m) return m;
        if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'piv-host-main-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** station.info over the bridge of the host at `url`. */
async function stationInfo(url: string): Promise<unknown> {
  const page = new URL(url);
  const ws = new WebSocket(`ws://${page.host}/bridge?token=${page.searchParams.get('token')}`, { origin: page.origin });
  try {
    await new Promise<void>((r, j) => {
      ws.on('open', () => r());
      ws.on('error', j);
    });
    return await new Promise((r) => {
      ws.on('message', (d) => r(JSON.parse(String(d))));
      ws.send(JSON.stringify({ id: 7, channel: 'station.info', input: {} }));
    });
  } finally {
    ws.close();
  }
}

describe('electron/host/main.ts', () => {
  test('prints exactly one URL line, serves the page and the bridge, exits 0 on SIGTERM', async () => {
    const statics = makeStaticDir();
    cleanups.push(statics.cleanup);
    const p = run(['--import', 'tsx', HOST_MAIN, '--data-dir', tempDataDir(), '--training', '--no-pcsc'], { STATION_RENDERER_DIR: statics.dir });
    const line = await p.line(/^PIV Station browser host: /);
    const url = line.slice('PIV Station browser host: '.length);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    const port = Number(new URL(url).port);
    const page = await httpGet(port, '/');
    expect(page.body).toBe(INDEX_HTML);
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${port}`);
    expect(await stationInfo(url)).toEqual({ id: 7, result: { ok: true, value: expect.objectContaining({ version: expect.any(String), organization: expect.any(String), training: true }) } });
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.out()).toBe(`${line}\n`);
  });

  test('--port is honoured; SIGINT also exits 0', async () => {
    const statics = makeStaticDir();
    cleanups.push(statics.cleanup);
    const probe = run(['--import', 'tsx', HOST_MAIN, '--data-dir', tempDataDir(), '--training', '--no-pcsc'], { STATION_RENDERER_DIR: statics.dir });
    const free = Number(new URL((await probe.line(/^PIV Station browser host: /)).split(': ')[1]!).port);
    probe.child.kill('SIGTERM');
    await probe.exited;
    const p = run(['--import', 'tsx', HOST_MAIN, '--data-dir', tempDataDir(), '--training', '--no-pcsc', '--port', String(free)], { STATION_RENDERER_DIR: statics.dir });
    expect(await p.line(/^PIV Station browser host: /)).toContain(`http://127.0.0.1:${free}/?token=`);
    p.child.kill('SIGINT');
    expect(await p.exited).toBe(0);
  });

  test('a missing renderer build is explained, exit 1; a bad flag is a usage error, exit 2', async () => {
    const missing = run(['--import', 'tsx', HOST_MAIN, '--data-dir', tempDataDir(), '--training', '--no-pcsc'], { STATION_RENDERER_DIR: join(tmpdir(), 'no-such-renderer-build') });
    expect(await missing.exited).toBe(1);
    expect(missing.err()).toContain('Build the renderer first: npm run build:renderer');
    expect(missing.out()).toBe('');
    const bad = run(['--import', 'tsx', HOST_MAIN, '--port', 'eighty'], {});
    expect(await bad.exited).toBe(2);
    expect(bad.err()).toContain('--port must be a number');
  });

  test('a protected data dir without STATION_PASSPHRASE is refused, not opened unprotected', async () => {
    const statics = makeStaticDir();
    cleanups.push(statics.cleanup);
    const p = run(['--import', 'tsx', HOST_MAIN, '--data-dir', tempDataDir(), '--no-pcsc'], { STATION_RENDERER_DIR: statics.dir, STATION_PASSPHRASE: undefined });
    p.child.stdin.on('error', () => undefined);
    p.child.stdin.end();
    expect(await p.exited).toBe(1);
    expect(p.out()).toBe('');
    expect(p.err()).toMatch(/^piv-station host: /);
  });
});

describe('scripts/start.mjs without an Electron binary', () => {
  test('starts the browser host and says why there is no window', async () => {
    const statics = makeStaticDir();
    cleanups.push(statics.cleanup);
    const p = run([START, '--data-dir', tempDataDir(), '--training', '--no-pcsc'], { STATION_RENDERER_DIR: statics.dir, STATION_ELECTRON_PATH: undefined });
    const url = await p.line(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(p.out().split('\n')[0]).toBe('No Electron binary is installed on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD); open this URL in a browser:');
    expect(await stationInfo(url)).toMatchObject({ id: 7, result: { ok: true } });
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });

  test('an unknown flag is refused with exit 2', async () => {
    const p = run([START, '--open-everything'], {});
    expect(await p.exited).toBe(2);
    expect(p.err()).toContain('Unknown option --open-everything');
  });
});
