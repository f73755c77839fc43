/**
 * The browser host over a training station (no pcscd): static files with the
 * security headers, the bridge's token + Origin gate, calls and pushed
 * events, garbage frames, and the loopback-only listener.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { WebSocket } from 'ws';
import { startHost, type RunningHost } from '../../../electron/host/server.js';
import { contentSecurityPolicy } from '../../../electron/host/security-headers.js';
import { openTrainingStation, TEST_OFFICER, type TrainingStation } from '../../support/training-station.js';
import { APP_JS, INDEX_HTML, collect, httpGet, makeStaticDir, tryConnect, until } from './helpers.js';

let ts: TrainingStation;
let host: RunningHost;
let statics: ReturnType<typeof makeStaticDir>;
const PIN = '864209';

beforeAll(async () => {
  ts = await openTrainingStation({}, { directProduction: true });
  await ts.login(); // creates the all-roles test officer
  statics = makeStaticDir();
  host = await startHost({ core: ts.station.core(), staticDir: statics.dir, port: 0 });
});
afterAll(async () => {
  await host?.close();
  await ts?.close();
  statics?.cleanup();
});

const origin = () => `http://127.0.0.1:${host.port}`;
const bridgePath = (token = host.token) => `/bridge?token=${encodeURIComponent(token)}`;

/** Sends one call and waits for its answer on an open socket. */
function call(ws: WebSocket, id: number, channel: string, input: unknown): Promise<{ id: number; result: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data));
      if (msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, channel, input }));
  });
}

describe('startHost', () => {
  test('url, port and token: a 43-character base64url token, URL on 127.0.0.1 with the token', () => {
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(host.port).toBeGreaterThan(0);
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
  });

  test('two hosts get different tokens', async () => {
    const other = await startHost({ core: ts.station.core(), staticDir: statics.dir });
    try {
      expect(other.token).not.toBe(host.token);
      expect(other.port).not.toBe(host.port);
    } finally {
      await other.close();
    }
  });

  test('a missing static dir is refused with the build hint', async () => {
    await expect(startHost({ core: ts.station.core(), staticDir: `${statics.dir}/nope` })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  test('a port in use is a TRANSPORT error, not a crash', async () => {
    await expect(startHost({ core: ts.station.core(), staticDir: statics.dir, port: host.port })).rejects.toMatchObject({ code: 'TRANSPORT' });
  });

  test('listens on 127.0.0.1 only: not reachable on other local addresses', async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a): a is NonNullable<typeof a> => !!a && a.family === 'IPv4' && a.address !== '127.0.0.1')
      .map((a) => a.address);
    for (const address of [...others, '127.0.0.2']) {
      const reached = await new Promise<boolean>((resolve) => {
        const s = connect({ host: address, port: host.port });
        s.on('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
      expect(reached, `reachable on ${address}`).toBe(false);
    }
  });
});

describe('static files', () => {
  test('index.html with the CSP and security headers', async () => {
    const res = await httpGet(host.port, '/?token=abc');
    expect(res.status).toBe(200);
    expect(res.body).toBe(INDEX_HTML);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = res.headers['content-security-policy'];
    expect(csp).toBe(contentSecurityPolicy(host.port));
    expect(csp).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:${host.port}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  test('assets with their content types', async () => {
    const js = await httpGet(host.port, '/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.body).toBe(APP_JS);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await httpGet(host.port, '/assets/style.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await httpGet(host.port, '/assets/nested/x.svg')).headers['content-type']).toBe('image/svg+xml');
    const head = await httpGet(host.port, '/assets/app.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  test('no directory listing, unknown files 404, other methods 405', async () => {
    for (const path of ['/assets', '/assets/', '/assets/nested/']) {
      const res = await httpGet(host.port, path);
      expect(res.status, path).toBe(404);
      expect(res.body.trim(), path).toBe('Not Found');
    }
    expect((await httpGet(host.port, '/assets/missing.js')).status).toBe(404);
    expect((await httpGet(host.port, '/', { method: 'POST' })).status).toBe(405);
  });

  test('a client-side route (no extension) gets index.html', async () => {
    const res = await httpGet(host.port, '/queue');
    expect(res.status).toBe(200);
    expect(res.body).toBe(INDEX_HTML);
  });

  test('path traversal is refused in every spelling', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/..\\secret.txt', '/%00index.html', '/%E0%A4%A', '/assets/link.txt']) {
      const res = await httpGet(host.port, path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.body, path).not.toContain('top secret');
      expect(res.headers['content-security-policy'], path).toBeDefined();
    }
  });

  test('another Host header (DNS rebinding) gets no page', async () => {
    const res = await httpGet(host.port, '/', { host: 'evil.example' });
    expect(res.status).toBe(421);
    expect(res.body).not.toContain('PIV Station test page');
    expect((await httpGet(host.port, '/', { host: `localhost:${host.port}` })).status).toBe(421);
  });
});

describe('bridge gate', () => {
  test('no token → 401', async () => {
    const a = await tryConnect(host.port, '/bridge', origin());
    expect(a).toEqual({ open: false, status: 401 });
  });

  test('wrong token (also a prefix of the right one, or the right one with a suffix) → 401', async () => {
    for (const token of ['wrong', host.token.slice(0, 42), host.token + 'A', host.token.toLowerCase() === host.token ? 'x' : host.token.toLowerCase()]) {
      expect(await tryConnect(host.port, bridgePath(token), origin())).toEqual({ open: false, status: 401 });
    }
  });

  test('right token but a foreign or missing Origin → 403', async () => {
    for (const o of ['http://evil.example', `http://localhost:${host.port}`, `https://127.0.0.1:${host.port}`, `http://127.0.0.1:${host.port + 1}`, 'null', undefined]) {
      expect(await tryConnect(host.port, bridgePath(), o), String(o)).toEqual({ open: false, status: 403 });
    }
  });

  test('another path → 404', async () => {
    expect(await tryConnect(host.port, `/other?token=${host.token}`, origin())).toEqual({ open: false, status: 404 });
  });
});

describe('bridge calls and events', () => {
  test('right token + origin: invoke works and events arrive', async () => {
    const a = await tryConnect(host.port, bridgePath(), origin());
    expect(a.open).toBe(true);
    if (!a.open) return;
    const ws = a.ws;
    const second = await tryConnect(host.port, bridgePath(), origin());
    if (!second.open) throw new Error('second client refused');
    const got = collect(ws);
    const gotBySecond = collect(second.ws);
    try {
      const info = await call(ws, 1, 'station.info', {});
      expect(info.result).toEqual({ ok: true, value: { version: expect.any(String), organization: expect.any(String), training: true, separationOfDuties: { producerDiffersFromRequester: false } } });
      // Sessions are per connection: before login, and on the other connection after it, calls are refused.
      expect((await call(ws, 101, 'persons.search', { query: 'x' })).result).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
      expect((await call(ws, 102, 'auth.login', { username: TEST_OFFICER.username, password: TEST_OFFICER.password })).result.ok).toBe(true);
      expect((await call(second.ws, 103, 'persons.search', { query: 'x' })).result).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });

      const added = await call(ws, 2, 'persons.add', { givenName: 'Ada', surname: 'Bridge', affiliation: 'employee' });
      expect(added.result.ok).toBe(true);
      const person = added.result.value as { id: string; surname: string };
      expect(person.surname).toBe('Bridge');
      expect(ts.station.store.persons.get(person.id)?.surname).toBe('Bridge');

      // readers.list pushes reader.changed to the clients an officer is logged in on
      const readers = await call(ws, 3, 'readers.list', {});
      expect(readers.result.ok).toBe(true);
      await until(() => got.some((m) => (m as { event?: string }).event === 'reader.changed'));
      const pushed = got.find((m) => (m as { event?: string }).event === 'reader.changed') as { payload: { name: string }[] };
      expect(pushed.payload.map((r) => r.name)).toContain(ts.readerName);

      // a production pushes job.event until the job finishes
      const started = await call(ws, 4, 'production.start', { personId: person.id, readerName: ts.readerName, pin: PIN });
      expect(started.result.ok, JSON.stringify(started.result)).toBe(true);
      const jobId = (started.result.value as { jobId: string }).jobId;
      const jobEvents = () => got.filter((m) => (m as { event?: string }).event === 'job.event').map((m) => (m as { payload: { type: string; jobId: string } }).payload);
      await until(() => jobEvents().some((e) => e.type === 'job.finished' || e.type === 'job.failed'));
      expect(jobEvents().every((e) => e.jobId === jobId)).toBe(true);
      expect(jobEvents().at(-1)?.type).toBe('job.finished');
      expect(jobEvents().some((e) => e.type === 'job.step.finished')).toBe(true);
      const job = await call(ws, 5, 'jobs.get', { jobId });
      expect((job.result.value as { status: string }).status).toBe('done');
      // the PIN never travels back
      expect(JSON.stringify(got)).not.toContain(PIN);
      // The socket nobody logged in on heard none of it (issue 10 finding 11: no events to strangers).
      // A call answered on it now comes after anything the host pushed to it before (one ordered socket).
      expect((await call(second.ws, 106, 'station.info', {})).result.ok).toBe(true);
      const pushedToSecond = gotBySecond.filter((m) => (m as { event?: string }).event !== undefined);
      expect(pushedToSecond).toEqual([]);
      // Logged in, it hears the station's events too.
      expect((await call(second.ws, 104, 'auth.login', { username: TEST_OFFICER.username, password: TEST_OFFICER.password })).result.ok).toBe(true);
      expect((await call(second.ws, 105, 'readers.list', {})).result.ok).toBe(true);
      await until(() => gotBySecond.some((m) => (m as { event?: string }).event === 'reader.changed'));
    } finally {
      ws.close();
      second.ws.close();
    }
  });

  test('garbage frames: answered INVALID_INPUT when they carry an id, dropped otherwise; the host keeps serving', async () => {
    const a = await tryConnect(host.port, bridgePath(), origin());
    if (!a.open) throw new Error('refused');
    const ws = a.ws;
    expect((await call(ws, 100, 'auth.login', { username: TEST_OFFICER.username, password: TEST_OFFICER.password })).result.ok).toBe(true);
    const got = collect(ws);
    try {
      const frames = [
        'not json',
        '',
        '[]',
        'null',
        '42',
        '{"id":"1","channel":"station.info","input":{}}',
        '{"id":-1,"channel":"station.info"}',
        '{"id":1.5,"channel":"station.info"}',
        JSON.stringify({ id: 10, channel: 5, input: {} }),
        JSON.stringify({ id: 11, channel: 'no.such', input: {} }),
        JSON.stringify({ id: 12, channel: 'persons.add', input: { givenName: 'A'.repeat(100_000), surname: 'B', affiliation: 'employee' } }),
        JSON.stringify({ id: 13, channel: 'persons.search', input: null }),
        JSON.stringify({ id: 14, channel: 'station.info', input: {}, extra: true }),
        '{"id":15,"channel":"persons.add","input":{"__proto__":{"polluted":true},"givenName":"A","surname":"B","affiliation":"employee"}}',
        JSON.stringify({ id: 16, channel: 'x'.repeat(1000), input: {} }),
        JSON.stringify({ id: 17, channel: '__proto__', input: {} }),
        JSON.stringify({ id: 18, channel: 'production.start', input: { personId: 'p', readerName: 'r', pin: '12' } }),
      ];
      for (const f of frames) ws.send(f);
      ws.send(Buffer.from([0xff, 0x00, 0x01]), { binary: true });
      const answered = [10, 11, 12, 13, 14, 15, 16, 17, 18];
      await until(() => answered.every((id) => got.some((m) => (m as { id?: number }).id === id)));
      for (const id of answered) {
        const m = got.find((x) => (x as { id?: number }).id === id) as { result: { ok: boolean; error: { code: string } } };
        expect(m.result.ok, `frame ${id}`).toBe(false);
        expect(m.result.error.code, `frame ${id}`).toBe('INVALID_INPUT');
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      // the same connection still works
      const info = await call(ws, 99, 'station.info', {});
      expect(info.result.ok).toBe(true);
      // only answers to frames with a usable id came back
      expect(got.filter((m) => 'id' in (m as object)).map((m) => (m as { id: number }).id).sort((x, y) => x - y)).toEqual([...answered, 99]);
    } finally {
      ws.close();
    }
  });

  test('a frame over 1 MiB closes that socket only; the host still answers others', async () => {
    const a = await tryConnect(host.port, bridgePath(), origin());
    if (!a.open) throw new Error('refused');
    const closed = new Promise<number>((resolve) => a.ws.on('close', (code) => resolve(code)));
    a.ws.on('error', () => {});
    a.ws.send(JSON.stringify({ id: 1, channel: 'persons.search', input: { query: 'x'.repeat(1024 * 1024 + 10) } }));
    expect(await closed).toBe(1009); // message too big
    const b = await tryConnect(host.port, bridgePath(), origin());
    if (!b.open) throw new Error('refused after a huge frame');
    try {
      expect((await call(b.ws, 1, 'station.info', {})).result.ok).toBe(true);
    } finally {
      b.ws.close();
    }
  });

  test('a kiosk survives a reload: the launch is the window, so the next socket is the kiosk, not the officer login', async () => {
    const first = await tryConnect(host.port, bridgePath(), origin());
    if (!first.open) throw new Error('refused');
    expect((await call(first.ws, 1, 'auth.login', { username: TEST_OFFICER.username, password: TEST_OFFICER.password })).result.ok).toBe(true);
    expect((await call(first.ws, 2, 'kiosk.start', {})).result).toMatchObject({ ok: true, value: { kiosk: true } });
    const gone = new Promise<void>((resolve) => first.ws.on('close', () => resolve()));
    first.ws.close(); // the page reloads
    await gone;
    const reloaded = await tryConnect(host.port, bridgePath(), origin());
    if (!reloaded.open) throw new Error('refused');
    try {
      expect((await call(reloaded.ws, 3, 'kiosk.status', {})).result).toMatchObject({ ok: true, value: { kiosk: true } });
      expect((await call(reloaded.ws, 4, 'persons.search', { query: 'x' })).result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      // An officer's password ends it (and the other tests of this host are no kiosks again).
      expect((await call(reloaded.ws, 5, 'auth.login', { username: TEST_OFFICER.username, password: TEST_OFFICER.password })).result.ok).toBe(true);
      expect((await call(reloaded.ws, 6, 'kiosk.status', {})).result).toMatchObject({ ok: true, value: { kiosk: false } });
    } finally {
      reloaded.ws.close();
    }
  });

  test('close() disconnects clients and stops listening', async () => {
    const other = await startHost({ core: ts.station.core(), staticDir: statics.dir });
    const a = await tryConnect(other.port, `/bridge?token=${other.token}`, `http://127.0.0.1:${other.port}`);
    if (!a.open) throw new Error('refused');
    const closed = new Promise<void>((resolve) => a.ws.on('close', () => resolve()));
    await other.close();
    await closed;
    await expect(httpGet(other.port, '/')).rejects.toThrow();
    await other.close(); // idempotent
  });
});
