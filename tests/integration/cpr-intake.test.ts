/**
 * CPR intake end to end: `station cpr serve` (a child process over a training
 * data dir, the station's real RequestService) answering a real HTTP client
 * on 127.0.0.1, its drop folder, and `station cpr submit`. CPRs are signed in
 * the test by a certificate and key made here. Needs no reader.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../native/sqlite.js';
import { cprTokenHash } from '../../electron/servers/cpr-server.js';
import { cprDocument, makeIdprsIdentity, signCpr, type IdprsIdentity } from '../support/idprs.js';
import { callCpr } from '../support/idprs-client.js';
import { idprsDataDir, startServe, type ServeProcess } from '../support/idprs-station.js';
import { station } from '../support/station-cli.js';

const TOKEN = 'integration-idprs-token';

describe('CPR intake through station cpr serve', () => {
  let idprs: IdprsIdentity;
  let dataDir: string;
  let serve: ServeProcess;
  let db: Database.Database;
  const post = async (body: Uint8Array | string, token: string | null = TOKEN) => callCpr(serve.origin, { method: 'POST', path: '/cpr', body, token: token ?? undefined });

  beforeAll(async () => {
    idprs = await makeIdprsIdentity();
    // STATION_CPR_TOKEN takes the place of the configured token hash.
    dataDir = idprsDataDir(idprs, { dropDir: 'cpr-drop', http: { host: '127.0.0.1', port: 0, tokenSha256: cprTokenHash('config-token') } });
    serve = await startServe(dataDir, [], { STATION_CPR_TOKEN: TOKEN });
    db = openDatabase(join(dataDir, 'station.sqlite'));
  });
  afterAll(async () => {
    db?.close();
    if (serve) expect(await serve.stop()).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const request = (id: string) => db.prepare('SELECT * FROM card_requests WHERE id = ?').get(id) as Record<string, unknown>;
  const person = (externalId: string) => db.prepare('SELECT * FROM persons WHERE external_id = ?').get(externalId) as Record<string, unknown> | undefined;

  it('listens on 127.0.0.1 and refuses a missing or wrong token with 401', async () => {
    expect(serve.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const body = await signCpr(idprs, cprDocument({ idprsRequestId: 'I-NOAUTH' }));
    expect((await post(body, null)).status).toBe(401);
    expect((await post(body, 'wrong')).status).toBe(401);
    expect((await post(body, 'config-token')).status).toBe(401);
    expect((await post(body)).status).toBe(201);
  });

  it('valid CPR → an idprs request per the profile rule, audited with actor idprs', async () => {
    const employee = await post(await signCpr(idprs, cprDocument({ idprsRequestId: 'I-1', person: { externalId: 'IX-1', surname: 'Alpha' } })));
    expect(employee).toMatchObject({ status: 201, json: { status: 'accepted', code: 'CPR_ACCEPTED', requestState: 'requested' } });
    const r = request(employee.json.requestId as string);
    expect(r).toMatchObject({ source: 'idprs', state: 'requested', requested_by: null, cpr_id: employee.json.cprId, person_id: person('IX-1')!.id });
    const audit = db.prepare("SELECT action FROM audit_events WHERE actor = 'idprs' AND person_id = ? ORDER BY seq").all(r.person_id) as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['person.added', 'request.created', 'cpr.accepted']));

    // Visitors need no approval: the card object exists at once.
    const visitor = await post(await signCpr(idprs, cprDocument({ idprsRequestId: 'I-V', profile: 'visitor', person: { externalId: 'IX-V', affiliation: 'visitor' } })));
    expect(visitor.json).toMatchObject({ status: 'accepted', requestState: 'approved' });
    const card = db.prepare('SELECT c.status, c.card_number FROM cards c JOIN card_requests r ON r.card_id = c.id WHERE r.id = ?').get(visitor.json.requestId) as Record<string, unknown>;
    expect(card).toMatchObject({ status: 'approved' });
    expect(card.card_number).toMatch(/^\d{8}$/);
  });

  it('existing request → 409 CPR_REQUEST_EXISTS; delete-request; a new CPR reuses the person and replaces its attributes', async () => {
    const first = await post(await signCpr(idprs, cprDocument({ idprsRequestId: 'I-2', person: { externalId: 'IX-2', surname: 'Before' } })));
    expect(first.status).toBe(201);
    const again = await post(await signCpr(idprs, cprDocument({ idprsRequestId: 'I-3', person: { externalId: 'IX-2', surname: 'After' } })));
    expect(again).toMatchObject({ status: 409, json: { status: 'rejected', code: 'CPR_REQUEST_EXISTS', requestId: first.json.requestId } });
    expect(again.json.message).toMatch(/I-2.*delete it/);
    expect(person('IX-2')!.surname).toBe('Before');

    const del = await callCpr(serve.origin, { method: 'DELETE', path: '/cpr/I-2', token: TOKEN });
    expect(del).toMatchObject({ status: 200, json: { status: 'deleted', code: 'CPR_DELETED', requestState: 'cancelled' } });
    expect(request(first.json.requestId as string).state).toBe('cancelled');
    expect((await callCpr(serve.origin, { method: 'GET', path: '/cpr/I-2', token: TOKEN })).json).toMatchObject({ status: 'deleted' });

    const third = await post(await signCpr(idprs, cprDocument({ idprsRequestId: 'I-4', person: { externalId: 'IX-2', surname: 'After', email: 'after@example.test' } })));
    expect(third).toMatchObject({ status: 201, json: { status: 'accepted' } });
    expect(request(third.json.requestId as string).person_id).toBe(request(first.json.requestId as string).person_id);
    expect(person('IX-2')).toMatchObject({ surname: 'After', email: 'after@example.test' });
    expect((db.prepare("SELECT count(*) AS n FROM persons WHERE external_id = 'IX-2'").get() as { n: number }).n).toBe(1);
  });

  it('bad signature (another key, tampered content) → 422, recorded as rejected, nothing created', async () => {
    const forger = await makeIdprsIdentity({ name: 'Forger' });
    const forged = await post(await signCpr(forger, cprDocument({ idprsRequestId: 'I-F', person: { externalId: 'IX-F' } })));
    expect(forged).toMatchObject({ status: 422, json: { code: 'CPR_SIGNATURE_INVALID' } });
    const tampered = await post(await signCpr(idprs, cprDocument({ idprsRequestId: 'I-T', person: { externalId: 'IX-T' } }), { tamper: (j) => j.replace('IX-T', 'IX-1') }));
    expect(tampered).toMatchObject({ status: 422, json: { code: 'CPR_SIGNATURE_INVALID' } });
    expect(person('IX-F')).toBeUndefined();
    const rows = db.prepare("SELECT status, error_code FROM cprs WHERE idprs_request_id IN ('I-F', 'I-T')").all();
    expect(rows).toEqual([
      { status: 'rejected', error_code: 'CPR_SIGNATURE_INVALID' },
      { status: 'rejected', error_code: 'CPR_SIGNATURE_INVALID' },
    ]);
  });

  it('folder drop: a file written into the drop folder ends in processed/ with its result', async () => {
    const drop = join(dataDir, 'cpr-drop');
    await expect.poll(() => existsSync(join(drop, 'processed')), { timeout: 10_000 }).toBe(true);
    writeFileSync(join(drop, '.d1.tmp'), await signCpr(idprs, cprDocument({ idprsRequestId: 'I-D', person: { externalId: 'IX-D' } })));
    // Written under a temporary name, then renamed: the watcher takes it once settled.
    const { renameSync } = await import('node:fs');
    renameSync(join(drop, '.d1.tmp'), join(drop, 'd1.p7m'));
    const resultFile = join(drop, 'processed', 'd1.p7m.result.json');
    await expect.poll(() => existsSync(resultFile), { timeout: 20_000, interval: 200 }).toBe(true);
    const result = JSON.parse(readFileSync(resultFile, 'utf8'));
    expect(result).toMatchObject({ status: 'accepted', idprsRequestId: 'I-D' });
    expect(existsSync(join(drop, 'd1.p7m'))).toBe(false);
    expect(request(result.requestId)).toMatchObject({ source: 'idprs' });
  });

  it('station cpr submit FILE: the same checks and result JSON; exit 1 on rejection', async () => {
    const ok = join(dataDir, 'submit-ok.p7m');
    writeFileSync(ok, Buffer.from(await signCpr(idprs, cprDocument({ idprsRequestId: 'I-C', person: { externalId: 'IX-C' } }))).toString('base64'));
    const accepted = await station(dataDir, ['cpr', 'submit', ok]);
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.stdout)).toMatchObject({ status: 'accepted', code: 'CPR_ACCEPTED', idprsRequestId: 'I-C' });
    const dup = join(dataDir, 'submit-dup.p7m');
    writeFileSync(dup, await signCpr(idprs, cprDocument({ idprsRequestId: 'I-C2', person: { externalId: 'IX-C' } })));
    const refused = await station(dataDir, ['cpr', 'submit', dup]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ status: 'rejected', code: 'CPR_REQUEST_EXISTS' });
    expect(refused.stderr).toContain('CPR_REQUEST_EXISTS');
    const status = await station(dataDir, ['cpr', 'status', 'I-C']);
    expect(JSON.parse(status.stdout)).toMatchObject({ status: 'accepted', idprsRequestId: 'I-C' });
  });
});
