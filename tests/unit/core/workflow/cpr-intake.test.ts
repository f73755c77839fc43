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
import { storeRuleBook } from '../../../support/store-rule-book.js';

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
    rules: storeRuleBook(store),
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

  it('a CPR whose photo breaks the photo rules is refused with the rule’s own words and loses nothing: the person, their photo and requests stay as they were', async () => {
    const { store, intake } = setup();
    const good = Buffer.from(await syntheticPhoto({ width: 450, height: 600 })).toString('base64');
    const first = await submit(intake, cprDocument({ idprsRequestId: 'REQ-K1', person: { externalId: 'EXT-K', surname: 'Kept', photo: good } }));
    expect(first.status).toBe('accepted');
    expect((await intake.deleteRequest('REQ-K1')).code).toBe('CPR_DELETED');
    const person = store.persons.findByExternalId('EXT-K')!;
    /** The person's own audit events (added, updated, photo): a refused CPR adds none. */
    const personEvents = () => store.audit.list({ personId: person.id }).filter((e) => e.action.startsWith('person.'));
    const before = { person: store.persons.get(person.id), photo: store.photos.current(person.id), requests: store.requests.list({ personId: person.id }), events: personEvents() };
    expect(before.photo?.version).toBe(1);

    const bad: [string, string, RegExp][] = [
      ['landscape and too small', Buffer.from(await syntheticPhoto({ width: 300, height: 200 })).toString('base64'), /not in portrait orientation.*too small: the portrait needs at least 328 × 438 pixels/],
      ['too bright', Buffer.from(await syntheticPhoto({ width: 450, height: 600, exposure: 3 })).toString('base64'), /too bright/],
      ['a PNG signature over bytes no decoder reads', Buffer.concat([Buffer.from('iVBORw0KGgo', 'base64'), Buffer.alloc(64, 7)]).toString('base64'), /not a JPEG or PNG image the station can read/],
      ['a GIF', 'R0lGODlhAQABAAAAACw=', /The CPR field "person.photo": it must be a JPEG or PNG image/],
      ['not base64', '/9j/ not base64!', /"person.photo": it is not base64 text/],
    ];
    for (const [i, [what, photo, words]] of bad.entries()) {
      const r = await submit(intake, cprDocument({ idprsRequestId: `REQ-KB${i}`, person: { externalId: 'EXT-K', surname: 'Changed', photo } }));
      expect(r, what).toMatchObject({ status: 'rejected', code: 'CPR_MALFORMED', idprsRequestId: `REQ-KB${i}` });
      expect(r.message, what).toMatch(words);
      expect(cprRecords(store.db).get(r.cprId!), what).toMatchObject({ status: 'rejected', errorCode: 'CPR_MALFORMED' });
      // Nothing of the CPR was kept: not the attributes it carried, not a photo version, not a request.
      expect(store.persons.get(person.id), what).toEqual(before.person);
      expect(store.photos.current(person.id), what).toEqual(before.photo);
      expect(store.requests.list({ personId: person.id }), what).toEqual(before.requests);
      expect(personEvents(), what).toEqual(before.events);
    }
    // Corrected, under a new request id: taken, the photo replaced as version 2.
    const mended = await submit(intake, cprDocument({ idprsRequestId: 'REQ-K2', person: { externalId: 'EXT-K', surname: 'Changed', photo: good } }));
    expect(mended.status).toBe('accepted');
    expect(store.photos.current(person.id)).toMatchObject({ version: 2, source: 'idprs' });
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
    expect(store.persons.search('Tester').persons).toHaveLength(1);
    expect(await intake.deleteRequest('R-1')).toMatchObject({ code: 'CPR_DELETE_REFUSED', requestState: 'produced' });
  });

  it('bad signature and tampering: CPR_SIGNATURE_INVALID, recorded under the claimed id, deletable', async () => {
    const { store, intake } = setup();
    const wrongKey = await submit(intake, cprDocument({ idprsRequestId: 'REQ-BAD' }), stranger);
    expect(wrongKey).toMatchObject({ status: 'rejected', code: 'CPR_SIGNATURE_INVALID', idprsRequestId: 'REQ-BAD' });
    expect(wrongKey.message).toMatch(/Delete the CPR and submit it again/);
    const tampered = await intake.submit(await signCpr(idprs, cprDocument({ idprsRequestId: 'REQ-T' }), { tamper: (j) => j.replace('employee', 'visitor') }), 'http');
    expect(tampered.code).toBe('CPR_SIGNATURE_INVALID');
    expect(store.persons.search('').persons).toHaveLength(0);
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

  it('unknown person, then registered: the same CPR gets its first answer again; a new CPR is accepted', async () => {
    const { store, intake } = setup(false);
    const der = await signCpr(idprs, cprDocument({ idprsRequestId: 'REQ-UP', person: { externalId: 'EXT-UP' } }));
    const first = await intake.submit(der, 'http');
    expect(first.code).toBe('CPR_PERSON_UNKNOWN');
    expect(first.message).toMatch(/submit a new CPR under a new request id/);
    store.persons.add({ givenName: 'Dana', surname: 'Tester', affiliation: 'employee', externalId: 'EXT-UP' });
    expect(await intake.submit(der, 'http')).toMatchObject({ code: 'CPR_PERSON_UNKNOWN', cprId: first.cprId, replay: true });
    expect(cprRecords(store.db).byIdprsRequestId('REQ-UP')).toHaveLength(1);
    expect((await submit(intake, cprDocument({ idprsRequestId: 'REQ-UP2', person: { externalId: 'EXT-UP' } }))).status).toBe('accepted');
  });

  it('cannot be stored: CPR_STORE_FAILED, nothing half-created', async () => {
    const { store, intake } = setup();
    store.persons.add({ givenName: 'Has', surname: 'Number', affiliation: 'employee', employeeId: 'E-77' });
    const der = await signCpr(idprs, cprDocument({ person: { externalId: 'EXT-S', employeeId: 'E-77' } }));
    const r = await intake.submit(der, 'http');
    expect(r).toMatchObject({ status: 'rejected', code: 'CPR_STORE_FAILED' });
    expect(r.message).toMatch(/delete it and submit it again/);
    expect(store.persons.findByExternalId('EXT-S')).toBeUndefined();
    expect(store.requests.list()).toHaveLength(0);
    // The station's failure spends nothing: once the cause is gone, the same CPR is taken.
    const other = store.persons.findByEmployeeId('E-77')!;
    store.persons.update(other.id, { employeeId: null });
    expect((await intake.submit(der, 'http')).status).toBe('accepted');
  });

  it('unknown ids: CPR_NOT_FOUND for status and delete', async () => {
    const { intake } = setup();
    expect(intake.status('NOPE').code).toBe('CPR_NOT_FOUND');
    expect((await intake.deleteRequest('NOPE')).code).toBe('CPR_NOT_FOUND');
    expect((await intake.deleteRequest('../etc')).code).toBe('CPR_NOT_FOUND');
  });
});

describe('CPR freshness (issue 10, finding 4)', () => {
  it('a deleted CPR sent again is CPR_REPLAYED: no new request, recorded and audited, the status stays deleted', async () => {
    const { store, intake } = setup();
    const der = await signCpr(idprs, cprDocument({ idprsRequestId: 'REQ-AGAIN', person: { externalId: 'EXT-AG' } }));
    const a = await intake.submit(der, 'http');
    expect((await intake.deleteRequest('REQ-AGAIN')).code).toBe('CPR_DELETED');
    const b = await intake.submit(der, 'folder');
    expect(b).toMatchObject({ status: 'rejected', code: 'CPR_REPLAYED', idprsRequestId: 'REQ-AGAIN', requestId: null });
    expect(b.message).toMatch(/never taken twice.*new request id/);
    expect(store.requests.list().map((r) => [r.id, r.state])).toEqual([[a.requestId, 'cancelled']]);
    expect(store.audit.list().some((e) => e.action === 'cpr.rejected' && e.details?.code === 'CPR_REPLAYED' && e.actor === 'idprs')).toBe(true);
    expect(intake.status('REQ-AGAIN')).toMatchObject({ status: 'deleted', code: 'CPR_DELETED', requestId: a.requestId });
    // Again and again: the same answer, and still nothing created.
    expect((await intake.submit(der, 'http')).code).toBe('CPR_REPLAYED');
    expect(store.requests.list()).toHaveLength(1);
  });

  it('a deleted request id under a new document (re-signed or changed) is CPR_ID_CONFLICT', async () => {
    const { store, intake } = setup();
    const doc = cprDocument({ idprsRequestId: 'REQ-DEL', person: { externalId: 'EXT-DEL' } });
    expect((await submit(intake, doc)).status).toBe('accepted');
    await intake.deleteRequest('REQ-DEL');
    // The same JSON signed again (a new signature, so new DER bytes), and a newer document under the same id.
    const resigned = await submit(intake, doc);
    expect(resigned).toMatchObject({ code: 'CPR_ID_CONFLICT' });
    expect(resigned.message).toMatch(/used before.*new request id/);
    expect((await submit(intake, cprDocument({ idprsRequestId: 'REQ-DEL', person: { externalId: 'EXT-DEL' } }))).code).toBe('CPR_ID_CONFLICT');
    expect(store.requests.list()).toHaveLength(1);
    // Refused on its merits, a request id is spent as well.
    const refused = await submit(intake, cprDocument({ idprsRequestId: 'REQ-DEL2', submittedAt: doc.submittedAt, person: { externalId: 'EXT-DEL' } }));
    expect(refused.code).toBe('CPR_STALE');
    expect((await submit(intake, cprDocument({ idprsRequestId: 'REQ-DEL2', person: { externalId: 'EXT-OTHER' } }))).code).toBe('CPR_ID_CONFLICT');
  });

  it('an older CPR arriving after a newer one is CPR_STALE and leaves the person as the newer one made them, even after a delete', async () => {
    const { store, intake } = setup();
    const t0 = Date.now() - 60_000;
    const older = await signCpr(idprs, cprDocument({ idprsRequestId: 'REQ-OLD', submittedAt: new Date(t0).toISOString(), person: { externalId: 'EXT-T', surname: 'Maiden' } }));
    const newer = cprDocument({ idprsRequestId: 'REQ-NEW', submittedAt: new Date(t0 + 1_000).toISOString(), person: { externalId: 'EXT-T', surname: 'Married' } });
    const accepted = await submit(intake, newer);
    expect(accepted.status).toBe('accepted');
    store.requests.update(accepted.requestId!, { state: 'produced' });
    const personId = store.persons.findByExternalId('EXT-T')!.id;

    const stale = await intake.submit(older, 'http');
    expect(stale).toMatchObject({ status: 'rejected', code: 'CPR_STALE', idprsRequestId: 'REQ-OLD' });
    expect(stale.message).toMatch(/not after the last CPR accepted for this person/);
    expect(store.persons.get(personId)!.surname).toBe('Married');
    expect(store.requests.list()).toHaveLength(1);
    // The same instant is not newer either.
    expect((await submit(intake, cprDocument({ idprsRequestId: 'REQ-SAME', submittedAt: newer.submittedAt, person: { externalId: 'EXT-T' } }))).code).toBe('CPR_STALE');
    // A later CPR is taken and replaces the attributes.
    const later = await submit(intake, cprDocument({ idprsRequestId: 'REQ-LATER', person: { externalId: 'EXT-T', surname: 'Later' } }));
    expect(later.status).toBe('accepted');
    expect(store.persons.get(personId)!.surname).toBe('Later');
    // Deleting the newest does not make an older CPR fresh again.
    await intake.deleteRequest('REQ-LATER');
    const olderStill = await submit(intake, cprDocument({ idprsRequestId: 'REQ-OLD2', submittedAt: new Date(t0 + 2_000).toISOString(), person: { externalId: 'EXT-T', surname: 'Rollback' } }));
    expect(olderStill.code).toBe('CPR_STALE');
    expect(store.persons.get(personId)!.surname).toBe('Later');
  });

  it("a CPR dated ahead of the station's clock is CPR_FUTURE_DATED, and does not block the person", async () => {
    const { intake } = setup();
    const future = await submit(intake, cprDocument({ idprsRequestId: 'REQ-FUT', submittedAt: new Date(Date.now() + 3_600_000).toISOString(), person: { externalId: 'EXT-F' } }));
    expect(future.code).toBe('CPR_FUTURE_DATED');
    expect((await submit(intake, cprDocument({ idprsRequestId: 'REQ-NOW', person: { externalId: 'EXT-F' } }))).status).toBe('accepted');
  });

  it('a forged CPR does not spend the request id it claims: the genuine CPR under that id is accepted', async () => {
    const { intake } = setup();
    const doc = cprDocument({ idprsRequestId: 'REQ-CLAIMED', person: { externalId: 'EXT-C' } });
    expect((await submit(intake, doc, stranger)).code).toBe('CPR_SIGNATURE_INVALID');
    expect((await intake.submit(new TextEncoder().encode('garbage'), 'folder')).code).toBe('CPR_MALFORMED');
    expect((await submit(intake, doc)).status).toBe('accepted');
  });
});
