/**
 * The IDPRS's doors of a running station (`station cpr serve`): the CPR
 * endpoint and the drop folder reach the core through its dispatch, on
 * connections of the IDPRS: every CPR they take is audited as 'idprs' with
 * its door, and a file the contract refuses is still answered as a CprResult.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCprService, type RunningCprService } from '../../../electron/boot/cpr-service.js';
import { RESULT_SUFFIX } from '../../../electron/servers/cpr-folder.js';
import { openTrainingStation, type TrainingStation } from '../../support/training-station.js';
import { cprDocument, makeIdprsIdentity, signCpr, type IdprsIdentity } from '../../support/idprs.js';
import { callCpr } from '../../support/idprs-client.js';

const TOKEN = 'test-idprs-bearer-token-0123456789';

let idprs: IdprsIdentity;
let t: TrainingStation;
let service: RunningCprService;
beforeAll(async () => {
  idprs = await makeIdprsIdentity();
  t = await openTrainingStation({}, { config: { idprs: { signerCertificate: idprs.certPem, managesPersons: true, http: { host: '127.0.0.1', port: 0 } } } });
  service = await startCprService(t.station, { port: 0, dropDir: join(t.dataDir, 'cpr-drop'), token: TOKEN });
});
afterAll(async () => {
  await service?.close();
  await t?.close();
});

const lastAudit = (action: string) => t.station.store.audit.list().filter((e) => e.action === action).at(-1);

describe('the CPR endpoint and drop folder of a station', () => {
  it("HTTP: a signed CPR is accepted through dispatch and audited as 'idprs' over 'http'; status and delete answer on the same door", async () => {
    const body = await signCpr(idprs, cprDocument({ idprsRequestId: 'I-HTTP', person: { externalId: 'X-HTTP' } }));
    const posted = await callCpr(service.origin, { method: 'POST', path: '/cpr', body, token: TOKEN });
    expect(posted).toMatchObject({ status: 201, json: { status: 'accepted', code: 'CPR_ACCEPTED', idprsRequestId: 'I-HTTP' } });
    expect(lastAudit('cpr.accepted')).toMatchObject({ actor: 'idprs', details: expect.objectContaining({ channel: 'http', idprsRequestId: 'I-HTTP' }) });
    expect(await callCpr(service.origin, { method: 'GET', path: '/cpr/I-HTTP', token: TOKEN })).toMatchObject({ status: 200, json: { status: 'accepted' } });
    // An id no CPR can have (the contract refuses it) is simply not found.
    expect(await callCpr(service.origin, { method: 'GET', path: `/cpr/${'I'.repeat(200)}`, token: TOKEN })).toMatchObject({ status: 404, json: { code: 'CPR_NOT_FOUND' } });
    expect(await callCpr(service.origin, { method: 'DELETE', path: '/cpr/I-HTTP', token: TOKEN })).toMatchObject({ status: 200, json: { status: 'deleted' } });
    expect(lastAudit('cpr.deleted')).toMatchObject({ actor: 'idprs' });
  });

  it("folder: a dropped CPR is taken through dispatch and audited as 'idprs' over 'folder'; a file too large for a CPR is answered, not lost", async () => {
    const drop = join(t.dataDir, 'cpr-drop');
    writeFileSync(join(drop, 'one.p7m'), await signCpr(idprs, cprDocument({ idprsRequestId: 'I-DROP', person: { externalId: 'X-DROP' } })));
    writeFileSync(join(drop, 'huge.p7m'), Buffer.alloc(300 * 1024, 0x30));
    const processed = join(drop, 'processed', `one.p7m${RESULT_SUFFIX}`);
    const rejected = join(drop, 'rejected', `huge.p7m${RESULT_SUFFIX}`);
    await expect.poll(() => existsSync(processed) && existsSync(rejected), { timeout: 20_000, interval: 100 }).toBe(true);
    await expect.poll(() => { try { return JSON.parse(readFileSync(rejected, 'utf8')).code; } catch { return undefined; } }, { timeout: 5_000 }).toBe('CPR_MALFORMED');
    await expect.poll(() => { try { return JSON.parse(readFileSync(processed, 'utf8')).status; } catch { return undefined; } }, { timeout: 5_000 }).toBe('accepted');
    expect(lastAudit('cpr.accepted')).toMatchObject({ actor: 'idprs', details: expect.objectContaining({ channel: 'folder', idprsRequestId: 'I-DROP' }) });
  });
});
