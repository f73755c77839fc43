/**
 * Card requests through the core: create → approve → card object → produce on
 * the training reader; separation of duties (own request, request for self,
 * producing for self), kiosk scope, profiles without approval, rejection,
 * card numbers never reused across a reopen, IDPRS delete-request.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { CardRequestView, EventPayload } from '../../../../electron/contract/station-api.js';
import { DEFAULT_CONFIG } from '../../../../electron/core/config/station-config.js';
import { escrowedPuk } from '../../../../electron/core/issuance/card-secrets.js';
import { openStationRoot } from '../../../../electron/boot/open-station.js';
import { decodeFascn } from '../../../../electron/core/piv/objects/fascn.js';
import { fromHex } from '../../../../electron/core/piv/tlv.js';
import type { Caller, Officer, Role } from '../../../../electron/core/workflow/types.js';
import { PivSession } from '../../../../electron/core/piv/session.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';
import { ok } from '../../../support/results.js';

const PASSWORD = 'a long enough passphrase';
const PIN = '481516';

let ts: TrainingStation | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!cond()) throw new Error('condition never became true');
}

/** A station with officers: admin, registrar, approver (registration+approver), producer, and one approver who is also a cardholder. */
async function workflowStation(cardNumberStart?: number) {
  const t = await openTrainingStation({}, cardNumberStart ? { config: { cardNumberStart } } : {});
  const { officers } = t.station;
  const admin = await officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, { kind: 'anonymous' });
  const asAdmin: Caller = { kind: 'officer', officer: admin, sessionId: 'setup' };
  const selfPerson = t.addPerson({ givenName: 'Sam', surname: 'Self' });
  const add = (username: string, roles: Role[], personId: string | null = null) =>
    officers.add({ username, displayName: username, password: PASSWORD, roles, personId }, asAdmin);
  const o = {
    registrar: await add('registrar', ['registration']),
    approver: await add('approver', ['registration', 'approver']),
    producer: await add('producer', ['production']),
    desk: await add('desk', ['registration', 'production']),
    self: await add('selfie', ['approver', 'production', 'registration'], selfPerson),
  };
  const core = t.station.core();
  for (const name of Object.keys(o)) ok(await core.dispatch('auth.login', { username: (o as Record<string, Officer>)[name]!.username, password: PASSWORD }, name));
  const call = (who: keyof typeof o, channel: string, input: unknown) => core.dispatch(channel, input, who);
  return { t, core, o, call, selfPerson };
}

describe('request → approval → card object', () => {
  test('desk request, approval by another officer creates the card object: card number, FASC-N credential, GUID, expiration, escrowed PUK', async () => {
    const w = await workflowStation();
    ts = w.t;
    const changes: EventPayload<'request.changed'>[] = [];
    w.core.on('request.changed', (c) => changes.push(c));
    const personId = w.t.addPerson({ employeeId: '4711' });
    const req = ok<CardRequestView>(await w.call('registrar', 'requests.create', { personId, profile: 'employee' }));
    expect(req).toMatchObject({ state: 'requested', source: 'desk', requestedBy: 'registrar', cardId: null, cardNumber: null });
    const pending = ok<CardRequestView[]>(await w.call('approver', 'requests.list', { state: ['requested'] }));
    expect(pending.map((r) => r.id)).toEqual([req.id]);
    // The approver checks identity against the person's record (issue 12, observation 4).
    const person = w.t.station.store.persons.get(personId)!;
    expect(pending[0]!.person).toEqual({ affiliation: person.affiliation, employeeId: '4711', email: person.email });

    const approved = ok<CardRequestView>(await w.call('approver', 'requests.approve', { requestId: req.id }));
    expect(approved).toMatchObject({ state: 'approved', decidedBy: 'approver', cardNumber: '00000001' });
    const card = w.t.station.store.cards.get(approved.cardId!)!;
    expect(card).toMatchObject({ status: 'approved', personId, cardProfile: 'employee', cardNumber: '00000001', credentialNumber: '000001', mgmtKeyState: 'transport' });
    const fascn = decodeFascn(fromHex(card.fascn));
    expect(fascn).toMatchObject({ agencyCode: DEFAULT_CONFIG.agencyCode, systemCode: DEFAULT_CONFIG.systemCode, credentialNumber: '000001', personIdentifier: '0000004711' });
    expect(card.guid).toMatch(/^[0-9A-F]{32}$/);
    expect(Number(card.expirationDate.slice(0, 4))).toBe(new Date().getUTCFullYear() + 5);
    // The PUK is escrowed sealed: the stored blob is not the PUK, the keyring opens it to 8 digits.
    const sealed = w.t.station.store.escrow.get(card.id, 'PUK')!;
    const puk = escrowedPuk({ store: w.t.station.store, keyring: w.t.station.keyring }, card.id)!;
    expect(puk).toMatch(/^\d{8}$/);
    expect(Buffer.from(sealed).toString('latin1')).not.toContain(puk);
    expect(changes).toEqual([
      { requestId: req.id, state: 'requested' },
      { requestId: req.id, state: 'approved' },
    ]);
    const audit = w.t.station.store.audit.list().filter((e) => e.action.startsWith('request.'));
    expect(audit.map((e) => [e.actor, e.action, e.outcome])).toEqual([
      ['registrar', 'request.created', 'ok'],
      ['approver', 'request.approved', 'ok'],
    ]);
    expect(JSON.stringify(w.t.station.store.audit.list())).not.toContain(puk);
  });

  test('separation of duties: no approving your own request, no approving a request for yourself', async () => {
    const w = await workflowStation();
    ts = w.t;
    const personId = w.t.addPerson();
    const own = ok<CardRequestView>(await w.call('approver', 'requests.create', { personId, profile: 'employee' }));
    expect(await w.call('approver', 'requests.approve', { requestId: own.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'You created this request: another approver must approve it.' },
    });
    const forSelf = ok<CardRequestView>(await w.call('registrar', 'requests.create', { personId: w.selfPerson, profile: 'employee' }));
    expect(await w.call('self', 'requests.approve', { requestId: forSelf.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'This request is for your own card: another approver must approve it.' },
    });
    // Refusals change nothing and are audited.
    expect(w.t.station.requests.get(own.id)?.state).toBe('requested');
    expect(w.t.station.store.audit.list().filter((e) => e.action === 'request.approve' && e.outcome === 'refused')).toHaveLength(2);
    // Another approver may.
    expect(ok<CardRequestView>(await w.call('self', 'requests.approve', { requestId: own.id })).state).toBe('approved');
    expect(ok<CardRequestView>(await w.call('approver', 'requests.approve', { requestId: forSelf.id })).state).toBe('approved');
    // …but the cardholder officer cannot produce their own card.
    expect(await w.call('self', 'requests.produce', { requestId: forSelf.id, readerName: w.t.readerName, pin: PIN })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { rule: 'produceForSelf' } },
    });
  });

  test('rejection with a reason; decided requests cannot be decided again; one open request per person', async () => {
    const w = await workflowStation();
    ts = w.t;
    const personId = w.t.addPerson();
    const req = ok<CardRequestView>(await w.call('registrar', 'requests.create', { personId, profile: 'contractor' }));
    expect(await w.call('registrar', 'requests.create', { personId, profile: 'contractor' })).toMatchObject({ ok: false, error: { code: 'REQUEST_STATE', details: { requestId: req.id } } });
    const rejected = ok<CardRequestView>(await w.call('approver', 'requests.reject', { requestId: req.id, reason: 'No sponsor on file' }));
    expect(rejected).toMatchObject({ state: 'rejected', decidedBy: 'approver', decisionReason: 'No sponsor on file', cardId: null });
    expect(await w.call('approver', 'requests.approve', { requestId: req.id })).toMatchObject({ ok: false, error: { code: 'REQUEST_STATE' } });
    expect(await w.call('producer', 'requests.produce', { requestId: req.id, readerName: w.t.readerName })).toMatchObject({ ok: false, error: { code: 'REQUEST_STATE' } });
    // After a rejection the person may ask again.
    expect(ok<CardRequestView>(await w.call('registrar', 'requests.create', { personId, profile: 'contractor' })).state).toBe('requested');
  });

  test('a profile without approval (visitor) is approved on creation with its card object', async () => {
    const w = await workflowStation();
    ts = w.t;
    const personId = w.t.addPerson({ affiliation: 'visitor' });
    const req = ok<CardRequestView>(await w.call('registrar', 'requests.create', { personId, profile: 'visitor' }));
    expect(req).toMatchObject({ state: 'approved', decidedBy: null, cardNumber: '00000001' });
    expect(w.t.station.store.cards.get(req.cardId!)?.status).toBe('approved');
  });

  test('a kiosk can only request a card for its own person; the IDPRS and kiosk sources are recorded', async () => {
    const w = await workflowStation();
    ts = w.t;
    const me = w.t.addPerson();
    const other = w.t.addPerson();
    const kiosk: Caller = { kind: 'kiosk', personId: me };
    expect(() => w.t.station.requests.create({ personId: other, profile: 'employee' }, kiosk)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => w.t.station.requests.create({ personId: me, profile: 'employee' }, { kind: 'kiosk' })).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(w.t.station.requests.create({ personId: me, profile: 'employee' }, kiosk)).toMatchObject({ source: 'kiosk', requestedBy: null, state: 'requested' });
    expect(w.t.station.requests.create({ personId: other, profile: 'employee' }, { kind: 'idprs' })).toMatchObject({ source: 'idprs' });
    expect(() => w.t.station.requests.create({ personId: other, profile: 'employee' }, { kind: 'anonymous' })).toThrow(expect.objectContaining({ code: 'NOT_AUTHENTICATED' }));
    const actors = w.t.station.store.audit.list().filter((e) => e.action === 'request.created').map((e) => e.actor);
    expect(actors).toEqual(['kiosk', 'idprs']);
  });

  test('direct production (issue 2) is refused for a profile that needs approval, with what to do instead', async () => {
    const w = await workflowStation();
    ts = w.t;
    const personId = w.t.addPerson();
    expect(await w.call('desk', 'production.start', { personId, readerName: w.t.readerName, pin: PIN })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringContaining('create a request and have an approver approve it') },
    });
    // Direct issue requests the card too: a production officer without the registration role cannot.
    expect(await w.call('producer', 'production.start', { personId, readerName: w.t.readerName, pin: PIN })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { rule: 'directIssueRoles' } },
    });
    // Nor may an officer issue directly for themselves, even where no approval is needed.
    const selfVisitor = w.t.station.store.persons.get(w.selfPerson)!;
    expect(selfVisitor.affiliation).toBe('employee');
    expect(await w.call('self', 'production.start', { personId: w.selfPerson, readerName: w.t.readerName, profile: 'visitor', pin: PIN })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { rule: 'requestForSelf' } },
    });
    expect(w.t.station.store.jobs.list()).toEqual([]);
    expect(w.t.station.store.requests.list({})).toEqual([]);
  });
});

describe('card numbers', () => {
  test('unique, from the configured start, never reused across a reopen of the data dir', async () => {
    const w = await workflowStation(50_000_000);
    ts = w.t;
    const numbers: string[] = [];
    for (let i = 0; i < 2; i++) {
      const req = ok<CardRequestView>(await w.call('registrar', 'requests.create', { personId: w.t.addPerson({ affiliation: 'visitor' }), profile: 'visitor' }));
      numbers.push(req.cardNumber!);
    }
    // A rejected request consumes no number; reopening continues after the last one.
    const rej = ok<CardRequestView>(await w.call('registrar', 'requests.create', { personId: w.t.addPerson(), profile: 'employee' }));
    ok(await w.call('approver', 'requests.reject', { requestId: rej.id, reason: 'duplicate person' }));
    const lastPerson = w.t.addPerson({ affiliation: 'visitor' });
    await w.t.station.close();
    const reopened = await openStationRoot({ dataDir: w.t.dataDir, training: true, readers: w.t.reader });
    try {
      const registrar = reopened.officers.get(w.o.registrar.id)!;
      const third = reopened.requests.create({ personId: lastPerson, profile: 'visitor' }, { kind: 'officer', officer: registrar, sessionId: 'x' });
      numbers.push(third.cardNumber!);
      expect(numbers).toEqual(['50000000', '50000001', '50000002']);
      const credentials = numbers.map((n) => reopened.store.db.prepare('SELECT credential_number FROM cards WHERE card_number = ?').pluck().get(n));
      expect(new Set(credentials).size).toBe(3);
    } finally {
      await reopened.close();
    }
  });
});

describe('requests.produce', () => {
  test('produces the approved card object on the training reader: same card record, escrowed PUK used, request produced', async () => {
    const w = await workflowStation();
    ts = w.t;
    const personId = w.t.addPerson();
    const req = ok<CardRequestView>(await w.call('registrar', 'requests.create', { personId, profile: 'employee' }));
    const approved = ok<CardRequestView>(await w.call('approver', 'requests.approve', { requestId: req.id }));
    const escrowed = escrowedPuk({ store: w.t.station.store, keyring: w.t.station.keyring }, approved.cardId!);
    const states: string[] = [];
    w.core.on('request.changed', (c) => states.push(c.state));
    // After the job, the core looks at the card again (a short probe): the reader is free once that list is out.
    let readersListed!: Promise<unknown>;
    const ended = new Promise<EventPayload<'job.event'>>((resolve) =>
      w.core.on('job.event', (e) => {
        if (e.type !== 'job.finished' && e.type !== 'job.failed') return;
        readersListed = new Promise((listed) => w.core.on('reader.changed', listed));
        resolve(e);
      }),
    );
    // Registration and approval roles cannot produce.
    expect(await w.call('approver', 'requests.produce', { requestId: req.id, readerName: w.t.readerName, pin: PIN })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const { jobId } = ok<{ jobId: string }>(await w.call('producer', 'requests.produce', { requestId: req.id, readerName: w.t.readerName, pin: PIN }));
    expect((await ended).type).toBe('job.finished');
    // The ending event is sent once the job has settled, and the request follows its job then.
    await waitFor(() => w.t.station.requests.get(req.id)?.state === 'produced');
    const job = w.t.station.store.jobs.get(jobId)!;
    expect(job.cardId).toBe(approved.cardId);
    expect(w.t.station.requests.get(req.id)).toMatchObject({ state: 'produced', cardNumber: approved.cardNumber });
    expect(w.t.station.store.cards.get(approved.cardId!)).toMatchObject({ status: 'produced', cardNumber: approved.cardNumber });
    expect(w.t.station.store.cards.listByPerson(personId)).toHaveLength(1);
    expect(states).toEqual(['in_production', 'produced']);
    // The PUK shown once is the one escrowed at approval, and it is the card's PUK.
    expect(ok<{ puk?: string }>(await w.call('producer', 'jobs.takeSecrets', { jobId })).puk).toBe(escrowed);
    await readersListed;
    const transport = await w.t.reader.connect(w.t.readerName);
    try {
      const session = new PivSession(transport);
      await session.select();
      await session.changePuk(escrowed!, escrowed!); // refused (WRONG_PUK) unless the card holds this PUK
    } finally {
      await transport.close('reset');
    }
    // A produced request cannot be produced again.
    expect(await w.call('producer', 'requests.produce', { requestId: req.id, readerName: w.t.readerName })).toMatchObject({ ok: false, error: { code: 'REQUEST_STATE' } });
  });
});

describe('IDPRS delete-request', () => {
  test('cancels the request made from the CPR and its card object, marks the CPR deleted; unknown ids are NOT_FOUND_RECORD', async () => {
    const w = await workflowStation();
    ts = w.t;
    const { store, requests } = w.t.station;
    const personId = w.t.addPerson({ affiliation: 'visitor' });
    const cprId = 'cpr-1';
    const req = requests.create({ personId, profile: 'visitor', cprId }, { kind: 'idprs' });
    store.db.prepare("INSERT INTO cprs (id, received_at, idprs_request_id, status, request_id) VALUES (?, ?, 'IDPRS-REQ-9', 'accepted', ?)").run(cprId, new Date().toISOString(), req.id);
    expect(req.state).toBe('approved');
    const deleted = await requests.deleteForIdprs('IDPRS-REQ-9');
    expect(deleted.state).toBe('cancelled');
    expect(store.cards.get(req.cardId!)?.status).toBe('cancelled');
    expect(store.db.prepare('SELECT status FROM cprs WHERE id = ?').pluck().get(cprId)).toBe('deleted');
    expect(store.audit.list().filter((e) => e.action === 'request.deleted').map((e) => e.actor)).toEqual(['idprs']);
    await expect(requests.deleteForIdprs('NO-SUCH')).rejects.toMatchObject({ code: 'NOT_FOUND_RECORD' });
    // The person may be requested for again.
    expect(requests.create({ personId, profile: 'visitor' }, { kind: 'idprs' }).state).toBe('approved');
  });
});
