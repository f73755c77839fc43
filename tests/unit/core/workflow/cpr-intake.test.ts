/**
 * CPR intake rules over a real (in-memory) station store. The request
 * operations here are the narrow IDPRS ops (create per the profile's approval
 * rule, cancel); the station binds them to the RequestService.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore, type StationStore } from '../../../../electron/core/store/store.js';
import { openDatabase } from '../../../../native/sqlite.js';
import { createStationCprIntake, type IdprsRequestOps } from '../../../../electron/core/workflow/cpr-station.js';
import type { CprIntake } from '../../../../electron/core/workflow/cpr-intake.js';
import { cprRecords } from '../../../../electron/core/workflow/cpr-records.js';
import { StationError } from '../../../../electron/core/errors.js';
import { cprDocument, makeIdprsIdentity, signCpr, type IdprsIdentity } from '../../../support/idprs.js';
import { sharpImageCodec } from '../../../../native/image/sharp-codec.js';
import { syntheticPhoto } from '../../../support/portrait-images.js';

let idprs: IdprsIdentity;
let stranger: IdprsIdentity;
beforeAll(async () => {
  idprs = await makeIdprsIdentity();
  stranger = await makeIdprsIdentity({ name: 'Not the IDPRS' });
});

/** IDPRS request ops over the store: visitor needs no approval, the others do. */
function ops(store: StationStore): IdprsRequestOps {
  return {
    create: (personId, profile, cprId) =>
      store.requests.create({ personId, profile, source: 'idprs', cprId, state: profile === 'visitor' ? 'approved' : 'requested' }),
    deleteForIdprs: async (idprsRequestId) => {
      const r = store.requests.findByIdprsRequestId(idprsRequestId)!;
      if (r.state === 'in_production' || r.state === 'produced') throw new StationError('REQUEST_STATE', 'Too late.');
      return store.requests.update(r.id, { state: 'cancelled' });
    },
  };
}

function setup(managesPersons = true): { store: StationStore; intake: CprIntake } {
  const store = openStore(openDatabase(':memory:'));
  const intake = createStationCprIntake({
    dataDir: '/nonexistent',
    store,
    idprs: { signerCertificate: idprs.certPem, managesPersons, http: { host: '127.0.0.1', port: 0 } },
    requests: ops(store),
    codec: sharpImageCodec(),
  });
  return { store, intake };
}

const submit = async (intake: CprIntake, doc: ReturnType<typeof cprDocument>, who = idprs) => intake.submit(await signCpr(who, doc), 'officer');

describe('CprIntake', () => {
  it('valid CPR: creates the person (IDPRS manages persons) and an idprs request, audited as idprs', async () => {
    const { store, intake } = setup();
    const doc = cprDocument({ idprsRequestId: 'REQ-A', person: { externalId: 'EXT-1', email: 'a@example.test' } });
    const r = await submit(intake, doc);
    expect(r).toMatchObject({ status: 'accepted', code: 'CPR_ACCEPTED', idprsRequestId: 'REQ-A', requestState: 'requested' });
    const person = store.persons.findByExternalId('EXT-1')!;
    expect(person).toMatchObject({ givenName: 'Dana', surname: 'Tester', email: 'a@example.test' });
    const request = store.requests.get(r.requestId!)!;
    expect(request).toMatchObject({ personId: person.id, source: 'idprs', cprId: r.cprId, profile: 'employee' });
    expect(cprRecords(store.db).get(r.cprId!)).toMatchObject({ status: 'accepted', requestId: request.id, idprsRequestId: 'REQ-A' });
    const actions = store.audit.list().filter((e) => e.actor === 'idprs').map((e) => e.action);
    expect(actions).toEqual(['person.added', 'cpr.accepted']);
  });

  it('a CPR with a photo stores it as the person’s portrait (source idprs) before the request; a photo the desk would refuse rejects the CPR', async () => {
    const { store, intake } = setup();
    const photo = Buffer.from(await syntheticPhoto({ width: 450, height: 600 })).toString('base64');
    const r = await submit(intake, cprDocument({ idprsRequestId: 'REQ-P', person: { externalId: 'EXT-P', photo } }));
    expect(r.status).toBe('accepted');
    const person = store.persons.findByExternalId('EXT-P')!;
    expect(store.photos.current(person.id)).toMatchObject({ version: 1, source: 'idprs', capturedBy: 'idprs', width: 450, height: 600 });
    const actions = store.audit.list({ personId: person.id }).map((e) => e.action);
    expect(actions.indexOf('person.photo.added')).toBeLessThan(actions.indexOf('cpr.accepted'));
    const dark = Buffer.from(await syntheticPhoto({ width: 450, height: 600, exposure: 0.2 })).toString('base64');
    const refused = await submit(intake, cprDocument({ idprsRequestId: 'REQ-D', person: { externalId: 'EXT-DARK', photo: dark } }));
    expect(refused).toMatchObject({ status: 'rejected', code: 'CPR_MALFORMED', message: expect.stringContaining('too dark') });
    expect(store.persons.findByExternalId('EXT-DARK')).toBeUndefined();
  });

  it('a profile without approval yields an approved request', async () => {
    const { intake } = setup();
    const r = await submit(intake, cprDocument({ profile: 'visitor', person: { externalId: 'V-1', affiliation: 'visitor' } }));
    expect(r.requestState).toBe('approved');
  });

  it('existing person without an earlier CPR: used as is (attributes untouched)', async () => {
    const { store, intake } = setup(false);
    const desk = store.persons.add({ givenName: 'Desk', surname: 'Registered', affiliation: 'employee', externalId: 'EXT-D' });
    const r = await submit(intake, cprDocument({ person: { externalId: 'EXT-D', givenName: 'Other', surname: 'Name' } }));
    expect(r.status).toBe('accepted');
    expect(store.persons.get(desk.id)).toMatchObject({ givenName: 'Desk', surname: 'Registered' });
    expect(store.requests.get(r.requestId!)!.personId).toBe(desk.id);
  });

  it('unknown person when the IDPRS does not manage persons: CPR_PERSON_UNKNOWN, recorded, nothing created', async () => {
    const { store, intake } = setup(false);
    const r = await submit(intake, cprDocument({ idprsRequestId: 'REQ-U', person: { externalId: 'NOBODY' } }));
    expect(r).toMatchObject({ status: 'rejected', code: 'CPR_PERSON_UNKNOWN', idprsRequestId: 'REQ-U' });
    expect(store.persons.findByExternalId('NOBODY')).toBeUndefined();
    expect(store.requests.list()).toHaveLength(0);
    expect(cprRecords(store.db).get(r.cprId!)).toMatchObject({ status: 'rejected', errorCode: 'CPR_PERSON_UNKNOWN' });
    expect(store.audit.list().at(-1)).toMatchObject({ actor: 'idprs', action: 'cpr.rejected', outcome: 'refused' });
  });

  it('an open request for the person: CPR_REQUEST_EXISTS telling to delete it; then delete-request and a new CPR succeed, person reused and attributes replaced', async () => {
    const { store, intake } = setup();
    const first = await submit(intake, cprDocument({ idprsRequestId: 'REQ-1', person: { externalId: 'EXT-2', surname: 'Before' } }));
    const second = await submit(intake, cprDocument({ idprsRequestId: 'REQ-2', person: { externalId: 'EXT-2', surname: 'After' } }));
    expect(second).toMatchObject({ status: 'rejected', code: 'CPR_REQUEST_EXISTS', requestId: first.requestId });
    expect(second.message).toMatch(/REQ-1.*delete it.*submit a new CPR/);
    const personId = store.persons.findByExternalId('EXT-2')!.id;
    expect(store.persons.get(personId)!.surname).toBe('Before');

    const del = await intake.deleteRequest('REQ-1');
    expect(del).toMatchObject({ status: 'deleted', code: 'CPR_DELETED', requestId: first.requestId, requestState: 'cancelled' });
    expect((await intake.deleteRequest('REQ-1')).code).toBe('CPR_DELETED');
    expect(intake.status('REQ-1')).toMatchObject({ status: 'deleted', requestState: 'cancelled' });

    const third = await submit(intake, cprDocument({ idprsRequestId: 'REQ-3', person: { externalId: 'EXT-2', surname: 'After', email: 'new@example.test' } }));
    expect(third.status).toBe('accepted');
    expect(store.requests.get(third.requestId!)!.personId).toBe(personId);
    expect(store.persons.get(personId)).toMatchObject({ surname: 'After', email: 'new@example.test' });
    expect(store.audit.list().some((e) => e.action === 'person.updated' && e.personId === personId && e.actor === 'idprs')).toBe(true);
  });

  it('a completed request does not block: the person is reused for a new CPR', async () => {
    const { store, intake } = setup();
    const first = await submit(intake, cprDocument({ idprsRequestId: 'R-1', person: { externalId: 'EXT-3' } }));
    store.requests.update(first.requestId!, { state: 'produced' });
    const again = await submit(intake, cprDocument({ idprsRequestId: 'R-2', person: { externalId: 'EXT-3' } }));
    expect(again.status).toBe('accepted');
    expect(store.persons.search('Tester')).toHaveLength(1);
    expect(await intake.deleteRequest('R-1')).toMatchObject({ code: 'CPR_DELETE_REFUSED', requestState: 'produced' });
  });

  it('bad signature and tampering: CPR_SIGNATURE_INVALID, recorded under the claimed id, deletable', async () => {
    const { store, intake } = setup();
    const wrongKey = await submit(intake, cprDocument({ idprsRequestId: 'REQ-BAD' }), stranger);
    expect(wrongKey).toMatchObject({ status: 'rejected', code: 'CPR_SIGNATURE_INVALID', idprsRequestId: 'REQ-BAD' });
    expect(wrongKey.message).toMatch(/Delete the CPR and submit it again/);
    const tampered = await intake.submit(await signCpr(idprs, cprDocument({ idprsRequestId: 'REQ-T' }), { tamper: (j) => j.replace('employee', 'visitor') }), 'http');
    expect(tampered.code).toBe('CPR_SIGNATURE_INVALID');
    expect(store.persons.search('')).toHaveLength(0);
    expect(store.requests.list()).toHaveLength(0);
    expect(intake.status('REQ-BAD')).toMatchObject({ status: 'rejected', code: 'CPR_SIGNATURE_INVALID' });
    expect(await intake.deleteRequest('REQ-BAD')).toMatchObject({ status: 'deleted', code: 'CPR_DELETED' });
  });

  it('malformed: not CMS, and signed JSON that is not a CPR', async () => {
    const { store, intake } = setup();
    expect((await intake.submit(new TextEncoder().encode('hello'), 'folder')).code).toBe('CPR_MALFORMED');
    const notCpr = await intake.submit(await signCpr(idprs, new TextEncoder().encode('{"idprsRequestId":"X-1"}')), 'folder');
    expect(notCpr).toMatchObject({ code: 'CPR_MALFORMED', idprsRequestId: 'X-1' });
    expect(cprRecords(store.db).byIdprsRequestId('X-1')).toHaveLength(1);
  });

  it('resending the same signed CPR answers the first acceptance; other content under the same id is CPR_ID_CONFLICT', async () => {
    const { store, intake } = setup();
    const der = await signCpr(idprs, cprDocument({ idprsRequestId: 'REQ-R', person: { externalId: 'EXT-R' } }));
    const a = await intake.submit(der, 'http');
    const b = await intake.submit(Buffer.from(Buffer.from(der).toString('base64')), 'http');
    expect(b).toMatchObject({ status: 'accepted', replay: true, requestId: a.requestId, cprId: a.cprId });
    expect(store.requests.list()).toHaveLength(1);
    const c = await submit(intake, cprDocument({ idprsRequestId: 'REQ-R', person: { externalId: 'EXT-R2' } }));
    expect(c.code).toBe('CPR_ID_CONFLICT');
  });

  it('after a delete-request the same CPR may be submitted again and makes a new request', async () => {
    const { store, intake } = setup();
    const der = await signCpr(idprs, cprDocument({ idprsRequestId: 'REQ-AGAIN', person: { externalId: 'EXT-AG' } }));
    const a = await intake.submit(der, 'http');
    expect((await intake.deleteRequest('REQ-AGAIN')).code).toBe('CPR_DELETED');
    const b = await intake.submit(der, 'http');
    expect(b.status).toBe('accepted');
    expect(b.replay).toBeUndefined();
    expect(b.requestId).not.toBe(a.requestId);
    expect(store.requests.get(a.requestId!)!.state).toBe('cancelled');
    expect(intake.status('REQ-AGAIN')).toMatchObject({ status: 'accepted', requestId: b.requestId, message: 'CPR REQ-AGAIN is accepted.' });
    // The delete-request now concerns the newer request.
    expect(await intake.deleteRequest('REQ-AGAIN')).toMatchObject({ code: 'CPR_DELETED', requestId: b.requestId, requestState: 'cancelled' });
  });

  it('cannot be stored: CPR_STORE_FAILED, nothing half-created', async () => {
    const { store, intake } = setup();
    store.persons.add({ givenName: 'Has', surname: 'Number', affiliation: 'employee', employeeId: 'E-77' });
    const r = await submit(intake, cprDocument({ person: { externalId: 'EXT-S', employeeId: 'E-77' } }));
    expect(r).toMatchObject({ status: 'rejected', code: 'CPR_STORE_FAILED' });
    expect(r.message).toMatch(/delete it and submit it again/);
    expect(store.persons.findByExternalId('EXT-S')).toBeUndefined();
    expect(store.requests.list()).toHaveLength(0);
  });

  it('unknown ids: CPR_NOT_FOUND for status and delete', async () => {
    const { intake } = setup();
    expect(intake.status('NOPE').code).toBe('CPR_NOT_FOUND');
    expect((await intake.deleteRequest('NOPE')).code).toBe('CPR_NOT_FOUND');
    expect((await intake.deleteRequest('../etc')).code).toBe('CPR_NOT_FOUND');
  });
});
