/**
 * The browser bridge client against a real startHost (Node 20 has no global
 * WebSocket: `ws`'s class is passed in). The client must have exactly the
 * StationBridge keys, answer calls, deliver events, and turn a lost socket
 * into TRANSPORT Results for pending and later calls.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { BRIDGE_KEYS, type EventPayload } from '../../../electron/contract/station-api.js';
import { startHost, type RunningHost } from '../../../electron/host/server.js';
import { bridgeUrlFromLocation, CONNECTION_LOST, createBridgeClient, type BridgeSocketConstructor } from '../../../electron/bridge/client.js';
import { openTrainingStation, TEST_OFFICER, type TrainingStation } from '../../support/training-station.js';
import { makeStaticDir, until } from '../host/helpers.js';

/** `ws` sends no Origin by default; a browser on the host's page sends the host's origin. */
function browserLikeWebSocket(origin: string): BridgeSocketConstructor {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  } as unknown as BridgeSocketConstructor;
}

let ts: TrainingStation;
let host: RunningHost;
let statics: ReturnType<typeof makeStaticDir>;
let Impl: BridgeSocketConstructor;
let bridgeUrl: string;

beforeAll(async () => {
  ts = await openTrainingStation();
  await ts.login(); // creates the all-roles test officer
  statics = makeStaticDir();
  host = await startHost({ core: ts.station.core(), staticDir: statics.dir });
  Impl = browserLikeWebSocket(`http://127.0.0.1:${host.port}`);
  const page = new URL(host.url);
  bridgeUrl = bridgeUrlFromLocation({ host: page.host, search: page.search })!;
});
afterAll(async () => {
  await host?.close();
  await ts?.close();
  statics?.cleanup();
});

describe('bridgeUrlFromLocation', () => {
  test('builds ws://host:port/bridge?token=… from the page location', () => {
    expect(bridgeUrlFromLocation({ host: '127.0.0.1:5000', search: '?token=a-b_c' })).toBe('ws://127.0.0.1:5000/bridge?token=a-b_c');
    expect(bridgeUrlFromLocation({ host: '127.0.0.1:5000', search: '' })).toBeUndefined();
  });
});

describe('createBridgeClient', () => {
  test('has exactly the StationBridge keys', () => {
    const client = createBridgeClient(bridgeUrl, Impl);
    expect(Object.keys(client).sort()).toEqual([...BRIDGE_KEYS].sort());
  });

  test('invoke: calls made before the socket opens are answered; results and errors come back as Results', async () => {
    const client = createBridgeClient(bridgeUrl, Impl);
    const [info, login] = await Promise.all([client.invoke('station.info', {}), client.invoke('auth.login', { username: TEST_OFFICER.username, password: TEST_OFFICER.password })]);
    expect(login.ok).toBe(true);
    const added = await client.invoke('persons.add', { givenName: 'Grace', surname: 'Client', affiliation: 'contractor', email: 'grace@example.test' });
    expect(info).toEqual({ ok: true, value: { version: expect.any(String), organization: expect.any(String), training: true, separationOfDuties: { producerDiffersFromRequester: true } } });
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    expect(ts.station.store.persons.get(added.value.id)?.email).toBe('grace@example.test');

    const found = await client.invoke('persons.search', { query: 'Client' });
    expect(found.ok && found.value.persons.map((p) => p.id)).toContain(added.value.id);
    const bad = await client.invoke('persons.get', { id: 'no such id!' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('INVALID_INPUT');
    const missing = await client.invoke('persons.get', { id: 'nosuchperson' });
    expect(!missing.ok && missing.error.code).toBe('NOT_FOUND_RECORD');
  });

  test('many concurrent calls each get their own answer', async () => {
    const client = createBridgeClient(bridgeUrl, Impl);
    expect((await client.invoke('auth.login', { username: TEST_OFFICER.username, password: TEST_OFFICER.password })).ok).toBe(true);
    const people = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.invoke('persons.add', { givenName: `P${i}`, surname: `Many${i}`, affiliation: 'visitor' })),
    );
    people.forEach((r, i) => expect(r.ok && r.value.surname).toBe(`Many${i}`));
  });

  test('subscribe: events arrive until unsubscribed', async () => {
    const client = createBridgeClient(bridgeUrl, Impl);
    const seen: EventPayload<'reader.changed'>[] = [];
    const off = client.subscribe('reader.changed', (p) => seen.push(p));
    expect((await client.invoke('auth.login', { username: TEST_OFFICER.username, password: TEST_OFFICER.password })).ok).toBe(true);
    expect((await client.invoke('readers.list', {})).ok).toBe(true);
    await until(() => seen.length > 0);
    expect(seen[0]!.map((r) => r.name)).toContain(ts.readerName);
    off();
    const count = seen.length;
    expect((await client.invoke('readers.list', {})).ok).toBe(true);
    // a call made after the event was pushed is answered after it (one ordered socket)
    expect((await client.invoke('station.info', {})).ok).toBe(true);
    expect(seen.length).toBe(count);
  });

  test('a refused connection (wrong token) resolves calls with TRANSPORT', async () => {
    const client = createBridgeClient(bridgeUrl.replace(/token=[^&]+/, 'token=wrong'), Impl);
    const r = await client.invoke('station.info', {});
    expect(r).toEqual({ ok: false, error: { code: 'TRANSPORT', message: CONNECTION_LOST, details: {}, retryable: true } });
  });

  test('a socket closed with calls in flight resolves them, and later calls, with TRANSPORT', async () => {
    // A server that accepts and never answers: the calls are surely pending when it goes away.
    const silent = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => silent.on('listening', () => r()));
    const received: string[] = [];
    silent.on('connection', (ws) => ws.on('message', (d) => received.push(String(d))));
    const { port } = silent.address() as { port: number };
    const client = createBridgeClient(`ws://127.0.0.1:${port}/bridge?token=t`, WebSocket as unknown as BridgeSocketConstructor);
    const pending = [client.invoke('station.info', {}), client.invoke('readers.list', {})];
    await until(() => received.length === 2);
    expect(received.map((t) => JSON.parse(t))).toEqual([
      { id: 1, channel: 'station.info', input: {} },
      { id: 2, channel: 'readers.list', input: {} },
    ]);
    for (const ws of silent.clients) ws.terminate();
    await new Promise<void>((r) => silent.close(() => r()));
    for (const r of await Promise.all(pending)) expect(r).toEqual({ ok: false, error: { code: 'TRANSPORT', message: CONNECTION_LOST, details: {}, retryable: true } });
    expect(await client.invoke('station.info', {})).toMatchObject({ ok: false, error: { code: 'TRANSPORT', message: CONNECTION_LOST } });
  });

  test('the host closing disconnects the client: later calls get TRANSPORT', async () => {
    const other = await startHost({ core: ts.station.core(), staticDir: statics.dir });
    const client = createBridgeClient(`ws://127.0.0.1:${other.port}/bridge?token=${other.token}`, browserLikeWebSocket(`http://127.0.0.1:${other.port}`));
    expect((await client.invoke('station.info', {})).ok).toBe(true);
    await other.close();
    let later = await client.invoke('station.info', {});
    // the close frame may still be on its way: poll until the client has seen it
    for (let i = 0; i < 100 && later.ok; i++) later = await client.invoke('station.info', {});
    expect(later).toMatchObject({ ok: false, error: { code: 'TRANSPORT', message: CONNECTION_LOST } });
  });

  test('without any WebSocket implementation, calls resolve with TRANSPORT instead of throwing', async () => {
    const client = createBridgeClient(bridgeUrl);
    expect(await client.invoke('station.info', {})).toMatchObject({ ok: false, error: { code: 'TRANSPORT' } });
  });
});
