/**
 * CPR intake through the core's dispatch (issue 10 "One door", finding 7):
 * the IDPRS reaches it on connections its doors open (only the CPR channels
 * answer there, audited as 'idprs' with the door); everybody else needs an
 * officer with a role the access table gives (cpr.* in CHANNEL_ROLES), and
 * that officer is the one the audit names. Nobody submits, cancels or replays
 * a CPR anonymously.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CprResultView } from '../../../electron/contract/station-api.js';
import type { Role } from '../../../electron/core/workflow/types.js';
import { openTrainingStation, type TrainingStation } from '../../support/training-station.js';
import { cprDocument, makeIdprsIdentity, signCpr, type IdprsIdentity } from '../../support/idprs.js';
import { ok } from '../../support/results.js';

const PASSWORD = 'a long enough passphrase';

let idprs: IdprsIdentity;
let t: TrainingStation;
beforeAll(async () => {
  idprs = await makeIdprsIdentity();
  t = await openTrainingStation({}, { config: { idprs: { signerCertificate: idprs.certPem, managesPersons: true, http: { host: '127.0.0.1', port: 0 } } } });
  const admin = await t.station.officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, { kind: 'anonymous' });
  const asAdmin = { kind: 'officer' as const, officer: admin, sessionId: 'setup' };
  for (const [username, roles] of [['registrar', ['registration']], ['auditor', ['auditor']]] as [string, Role[]][]) {
    await t.station.officers.add({ username, displayName: username, password: PASSWORD, roles }, asAdmin);
    ok(await t.station.core().dispatch('auth.login', { username, password: PASSWORD }, username));
  }
});
afterAll(() => t?.close());

/** A signed CPR as the cpr.submit input. */
async function envelope(idprsRequestId: string, externalId: string): Promise<{ envelope: string }> {
  return { envelope: Buffer.from(await signCpr(idprs, cprDocument({ idprsRequestId, person: { externalId } }))).toString('base64') };
}

const auditOf = (action: string) => t.station.store.audit.list().filter((e) => e.action === action);

describe('cpr channels', () => {
  test('without a login every CPR channel is NOT_AUTHENTICATED and nothing is recorded; an auditor is FORBIDDEN to submit or delete', async () => {
    const core = t.station.core();
    const before = t.station.store.audit.count();
    const input = await envelope('I-ANON', 'X-ANON');
    expect(await core.dispatch('cpr.submit', input, 'a-stranger')).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    expect(await core.dispatch('cpr.status', { idprsRequestId: 'I-ANON' }, 'a-stranger')).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    expect(await core.dispatch('cpr.delete', { idprsRequestId: 'I-ANON' }, 'a-stranger')).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    expect(await core.dispatch('cpr.submit', input, 'auditor')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await core.dispatch('cpr.delete', { idprsRequestId: 'I-ANON' }, 'auditor')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(t.station.store.audit.count()).toBe(before);
    expect(t.station.store.requests.list({})).toEqual([]);
  });

  test("a registration officer's submit and delete-request are audited with the officer's name and the door 'officer'", async () => {
    const core = t.station.core();
    const accepted = ok<CprResultView>(await core.dispatch('cpr.submit', await envelope('I-DESK', 'X-DESK'), 'registrar'));
    expect(accepted).toMatchObject({ status: 'accepted', code: 'CPR_ACCEPTED', idprsRequestId: 'I-DESK' });
    expect(auditOf('cpr.accepted').at(-1)).toMatchObject({ actor: 'registrar', details: expect.objectContaining({ channel: 'officer', idprsRequestId: 'I-DESK' }) });
    expect(ok<CprResultView>(await core.dispatch('cpr.status', { idprsRequestId: 'I-DESK' }, 'auditor'))).toMatchObject({ status: 'accepted' });
    expect(ok<CprResultView>(await core.dispatch('cpr.delete', { idprsRequestId: 'I-DESK' }, 'registrar'))).toMatchObject({ status: 'deleted', code: 'CPR_DELETED' });
    expect(auditOf('cpr.deleted').at(-1)).toMatchObject({ actor: 'registrar' });
    expect(t.station.store.requests.get(accepted.requestId!)?.state).toBe('cancelled');
  });

  test("on a connection of the IDPRS only the CPR channels answer; its calls are audited as 'idprs' with the door; once closed it is a stranger", async () => {
    const core = t.station.core();
    const folder = core.openIdprsConnection('folder');
    expect(await core.dispatch('persons.search', { query: 'X' }, folder.connectionId)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'idprsOnly' } } });
    expect(await core.dispatch('auth.status', {}, folder.connectionId)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const accepted = ok<CprResultView>(await core.dispatch('cpr.submit', await envelope('I-FOLDER', 'X-FOLDER'), folder.connectionId));
    expect(accepted.status).toBe('accepted');
    expect(auditOf('cpr.accepted').at(-1)).toMatchObject({ actor: 'idprs', details: expect.objectContaining({ channel: 'folder', idprsRequestId: 'I-FOLDER' }) });
    expect(t.station.store.requests.get(accepted.requestId!)).toMatchObject({ source: 'idprs' });
    folder.close();
    expect(await core.dispatch('cpr.delete', { idprsRequestId: 'I-FOLDER' }, folder.connectionId)).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    expect(t.station.store.requests.get(accepted.requestId!)?.state).not.toBe('cancelled');
  });
});
