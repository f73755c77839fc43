/**
 * The CPR endpoint with a real HTTP(S) client on 127.0.0.1, over the real
 * intake and an in-memory station store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerMatches, CPR_SERVER_LIMITS, cprTokenHash, startCprServer, type RunningCprServer } from '../../../electron/servers/cpr-server.js';
import type { StationStore } from '../../../electron/core/store/store.js';
import { cprDocument, makeIdprsIdentity, signCpr, type IdprsIdentity } from '../../support/idprs.js';
import { callCpr, makeTlsPki, type TestTlsPki } from '../../support/idprs-client.js';
import { memoryCprIntake } from '../../support/memory-cpr-intake.js';
import { MAX_CPR_ENVELOPE_BYTES } from '../../../electron/core/workflow/cpr-envelope.js';

const TOKEN = 'test-idprs-token-0123456789';

const memoryIntake = memoryCprIntake;

describe('bearerMatches', () => {
  it('accepts exactly the token whose hash is configured', () => {
    const h = cprTokenHash(TOKEN);
    expect(bearerMatches(`Bearer ${TOKEN}`, h)).toBe(true);
    expect(bearerMatches(`Bearer ${TOKEN}x`, h)).toBe(false);
    expect(bearerMatches(`bearer ${TOKEN}`, h)).toBe(false);
    expect(bearerMatches(TOKEN, h)).toBe(false);
    expect(bearerMatches(undefined, h)).toBe(false);
    expect(bearerMatches('Bearer ', cprTokenHash(''))).toBe(false);
  });
});

describe('CPR endpoint over HTTP with a bearer token', () => {
  let idprs: IdprsIdentity;
  let server: RunningCprServer;
  let store: StationStore;
  beforeAll(async () => {
    idprs = await makeIdprsIdentity();
    const m = memoryIntake(idprs);
    store = m.store;
    server = await startCprServer({ intake: m.intake, port: 0, tokenSha256: cprTokenHash(TOKEN) });
  });
  afterAll(() => server.close());

  it('listens on 127.0.0.1 by default', () => {
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('401 without a token or with a wrong one; nothing is recorded', async () => {
    const body = await signCpr(idprs, cprDocument({ idprsRequestId: 'NOAUTH' }));
    const none = await callCpr(server.origin, { method: 'POST', path: '/cpr', body });
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ status: 'rejected', code: 'UNAUTHORIZED' });
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect((await callCpr(server.origin, { method: 'POST', path: '/cpr', body, token: 'wrong' })).status).toBe(401);
    expect((await callCpr(server.origin, { method: 'GET', path: '/cpr/NOAUTH', authorization: `Basic ${TOKEN}` })).status).toBe(401);
    expect((await callCpr(server.origin, { method: 'DELETE', path: '/cpr/NOAUTH' })).status).toBe(401);
    expect(store.requests.list()).toHaveLength(0);
  });

  it('POST a valid CPR (DER) → 201 accepted; resend (base64) → 200 same request; GET status; DELETE → 200 deleted', async () => {
    const der = await signCpr(idprs, cprDocument({ idprsRequestId: 'H-1', person: { externalId: 'HX-1' } }));
    const a = await callCpr(server.origin, { method: 'POST', path: '/cpr', body: der, token: TOKEN });
    expect(a.status).toBe(201);
    expect(a.json).toMatchObject({ status: 'accepted', code: 'CPR_ACCEPTED', idprsRequestId: 'H-1', requestState: 'requested' });
    expect(store.requests.get(a.json.requestId as string)).toMatchObject({ source: 'idprs' });
    const b = await callCpr(server.origin, { method: 'POST', path: '/cpr', body: Buffer.from(der).toString('base64'), token: TOKEN });
    expect(b.status).toBe(200);
    expect(b.json).toMatchObject({ requestId: a.json.requestId, replay: true });
    const s = await callCpr(server.origin, { method: 'GET', path: '/cpr/H-1', token: TOKEN });
    expect(s).toMatchObject({ status: 200, json: { status: 'accepted', requestId: a.json.requestId } });
    const d = await callCpr(server.origin, { method: 'DELETE', path: '/cpr/H-1', token: TOKEN });
    expect(d).toMatchObject({ status: 200, json: { status: 'deleted', code: 'CPR_DELETED', requestState: 'cancelled' } });
  });

  it('existing request → 409 CPR_REQUEST_EXISTS; bad signature → 422; garbage → 400; unknown → 404', async () => {
    await callCpr(server.origin, { method: 'POST', path: '/cpr', body: await signCpr(idprs, cprDocument({ idprsRequestId: 'H-2', person: { externalId: 'HX-2' } })), token: TOKEN });
    const dup = await callCpr(server.origin, { method: 'POST', path: '/cpr', body: await signCpr(idprs, cprDocument({ idprsRequestId: 'H-3', person: { externalId: 'HX-2' } })), token: TOKEN });
    expect(dup).toMatchObject({ status: 409, json: { code: 'CPR_REQUEST_EXISTS' } });
    const other = await makeIdprsIdentity({ name: 'Forger' });
    const forged = await callCpr(server.origin, { method: 'POST', path: '/cpr', body: await signCpr(other, cprDocument({ idprsRequestId: 'H-4' })), token: TOKEN });
    expect(forged).toMatchObject({ status: 422, json: { status: 'rejected', code: 'CPR_SIGNATURE_INVALID', idprsRequestId: 'H-4' } });
    expect((await callCpr(server.origin, { method: 'POST', path: '/cpr', body: '{"not":"cms"}', token: TOKEN })).json.code).toBe('CPR_MALFORMED');
    expect((await callCpr(server.origin, { method: 'GET', path: '/cpr/NOPE', token: TOKEN })).status).toBe(404);
    expect((await callCpr(server.origin, { method: 'GET', path: '/other', token: TOKEN })).status).toBe(404);
    expect((await callCpr(server.origin, { method: 'PUT', path: '/cpr', token: TOKEN })).status).toBe(405);
  });

  it('413 for a body over the limit', async () => {
    const r = await callCpr(server.origin, { method: 'POST', path: '/cpr', body: new Uint8Array(MAX_CPR_ENVELOPE_BYTES + 1).fill(0x30), token: TOKEN });
    expect(r).toMatchObject({ status: 413, json: { code: 'TOO_LARGE' } });
  });
});

describe('CPR endpoint over TLS with client certificates', () => {
  let dir: string;
  let pki: TestTlsPki;
  let idprs: IdprsIdentity;
  let server: RunningCprServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cpr-tls-'));
    pki = makeTlsPki(dir);
    idprs = await makeIdprsIdentity();
    server = await startCprServer({ intake: memoryIntake(idprs).intake, port: 0, tls: { key: pki.serverKey, cert: pki.serverCert, clientCa: pki.ca } });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a client certificate from the configured CA, refuses none or a stranger with 401', async () => {
    expect(server.origin).toMatch(/^https:\/\/127\.0\.0\.1:/);
    const body = await signCpr(idprs, cprDocument({ idprsRequestId: 'T-1' }));
    const ok = await callCpr(server.origin, { method: 'POST', path: '/cpr', body, tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } });
    expect(ok).toMatchObject({ status: 201, json: { code: 'CPR_ACCEPTED' } });
    expect((await callCpr(server.origin, { method: 'GET', path: '/cpr/T-1', tls: { ca: pki.ca } })).status).toBe(401);
    expect((await callCpr(server.origin, { method: 'GET', path: '/cpr/T-1', tls: { ca: pki.ca, cert: pki.strangerCert, key: pki.strangerKey } })).status).toBe(401);
  });
});

/** A raw TCP client: sends what it is told and collects everything the server sends until it closes. */
function rawClient(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve({ socket, received: () => Buffer.concat(chunks).toString('latin1'), closed }));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('error', reject);
  });
}

describe('CPR endpoint against slow and oversized clients (slowloris)', () => {
  let idprs: IdprsIdentity;
  let server: RunningCprServer;
  let store: StationStore;
  const post = async (id: string) => callCpr(server.origin, { method: 'POST', path: '/cpr', body: await signCpr(idprs, cprDocument({ idprsRequestId: id, person: { externalId: `X-${id}` } })), token: TOKEN });
  beforeAll(async () => {
    idprs = await makeIdprsIdentity();
    const m = memoryIntake(idprs);
    store = m.store;
    // Short timeouts so the test waits little; the station's defaults are CPR_SERVER_LIMITS.
    server = await startCprServer({ intake: m.intake, port: 0, tokenSha256: cprTokenHash(TOKEN), limits: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, checkIntervalMs: 50 } });
  });
  afterAll(() => server.close());

  it('the station’s own limits are bounded', () => {
    expect(CPR_SERVER_LIMITS.headersTimeoutMs).toBeLessThanOrEqual(10_000);
    expect(CPR_SERVER_LIMITS.requestTimeoutMs).toBeLessThanOrEqual(30_000);
    expect(CPR_SERVER_LIMITS.maxConnections).toBeGreaterThan(1);
  });

  it('a client that never finishes its headers is answered 408 and disconnected, while others are served', async () => {
    const slow = await rawClient(server.port);
    slow.socket.write(`POST /cpr HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nX-Slow: `);
    expect(await post('SLOW-H-OTHER')).toMatchObject({ status: 201, json: { code: 'CPR_ACCEPTED' } });
    await slow.closed;
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('a client that sends its body slowly is cut off and nothing is stored for it, while others are served', async () => {
    const before = store.requests.list().length;
    const slow = await rawClient(server.port);
    slow.socket.write(`POST /cpr HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 4000\r\n\r\n0123456789`);
    expect(await post('SLOW-B-OTHER')).toMatchObject({ status: 201 });
    await slow.closed;
    expect(slow.received()).not.toMatch(/CPR_ACCEPTED/);
    expect(store.requests.list().length).toBe(before + 1);
  });

  it('a body declared larger than a CPR is refused at once (413) without reading it; so is one that grows too large', async () => {
    const declared = await rawClient(server.port);
    declared.socket.write(`POST /cpr HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 104857600\r\n\r\n`);
    await declared.closed;
    expect(declared.received()).toMatch(/^HTTP\/1\.1 413[\s\S]*TOO_LARGE/);
    const chunked = await rawClient(server.port);
    chunked.socket.write(`POST /cpr HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const block = Buffer.alloc(64 * 1024, 0x30);
    // One block more than the limit holds.
    const blocks = Math.ceil(MAX_CPR_ENVELOPE_BYTES / block.length) + 1;
    for (let i = 0; i < blocks && !chunked.socket.destroyed; i++) chunked.socket.write(`${block.length.toString(16)}\r\n${block.toString('latin1')}\r\n`);
    await chunked.closed;
    expect(chunked.received()).toMatch(/^HTTP\/1\.1 413[\s\S]*TOO_LARGE/);
  });

  it('headers larger than the limit are refused (431)', async () => {
    const big = await rawClient(server.port);
    big.socket.write(`GET /cpr/X HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(CPR_SERVER_LIMITS.maxHeaderBytes + 1)}\r\n\r\n`);
    await big.closed;
    expect(big.received()).toMatch(/^HTTP\/1\.1 431/);
  });

  it('connections beyond the limit are dropped; the endpoint serves again once the slow ones are cut off', async () => {
    // Its own endpoint: no keep-alive connection of another test counts against the limit.
    const m = memoryIntake(idprs);
    const small = await startCprServer({ intake: m.intake, port: 0, tokenSha256: cprTokenHash(TOKEN), limits: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, checkIntervalMs: 50, maxConnections: 4 } });
    try {
      const hogs = await Promise.all(Array.from({ length: 4 }, () => rawClient(small.port)));
      for (const h of hogs) h.socket.write('GET /cpr/X HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const extra = await rawClient(small.port);
      await extra.closed;
      expect(extra.received()).toBe('');
      await Promise.all(hogs.map((h) => h.closed));
      const body = await signCpr(idprs, cprDocument({ idprsRequestId: 'AFTER-HOGS', person: { externalId: 'X-AFTER-HOGS' } }));
      expect(await callCpr(small.origin, { method: 'POST', path: '/cpr', body, token: TOKEN })).toMatchObject({ status: 201 });
    } finally {
      await small.close();
    }
  });
});

describe('startCprServer', () => {
  it('refuses to start without client authentication', async () => {
    const idprs = await makeIdprsIdentity();
    await expect(startCprServer({ intake: memoryIntake(idprs).intake })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(startCprServer({ intake: memoryIntake(idprs).intake, tokenSha256: 'abc' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
