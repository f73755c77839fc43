/**
 * The CPR endpoint with a real HTTP(S) client on 127.0.0.1, over the real
 * intake and an in-memory station store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerMatches, cprTokenHash, startCprServer, type RunningCprServer } from '../../../electron/servers/cpr-server.js';
import { openStore, type StationStore } from '../../../electron/core/store/store.js';
import { openDatabase } from '../../../native/sqlite.js';
import { createStationCprIntake } from '../../../electron/core/workflow/cpr-station.js';
import { MAX_CPR_ENVELOPE_BYTES } from '../../../electron/core/workflow/cpr-envelope.js';
import { cprDocument, makeIdprsIdentity, signCpr, type IdprsIdentity } from '../../support/idprs.js';
import { callCpr, makeTlsPki, type TestTlsPki } from '../../support/idprs-client.js';

const TOKEN = 'test-idprs-token-0123456789';

function memoryIntake(idprs: IdprsIdentity): { store: StationStore; intake: ReturnType<typeof createStationCprIntake> } {
  const store = openStore(openDatabase(':memory:'));
  const intake = createStationCprIntake({
    dataDir: '/nonexistent',
    store,
    idprs: { signerCertificate: idprs.certPem, managesPersons: true, http: { host: '127.0.0.1', port: 0 } },
    requests: {
      create: (personId, profile, cprId) => store.requests.create({ personId, profile, source: 'idprs', cprId }),
      deleteForIdprs: async (idprsId) => store.requests.update(store.requests.findByIdprsRequestId(idprsId)!.id, { state: 'cancelled' }),
    },
  });
  return { store, intake };
}

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

describe('startCprServer', () => {
  it('refuses to start without client authentication', async () => {
    const idprs = await makeIdprsIdentity();
    await expect(startCprServer({ intake: memoryIntake(idprs).intake })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(startCprServer({ intake: memoryIntake(idprs).intake, tokenSha256: 'abc' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
