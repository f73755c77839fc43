/**
 * The core's dispatch (the only door into the core) on a training station:
 * unknown channels and garbage inputs are INVALID_INPUT and change nothing;
 * persons; a whole production through `production.start` with its events,
 * job detail and one-time secrets; cancel of a failed job; no PIN in any
 * error or event.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { CHANNEL_ROLES, CHANNELS, type Channel, type EventPayload, type PersonMatchesView, type Result } from '../../../electron/contract/station-api.js';
import type { StationCore } from '../../../electron/core/dispatch.js';
import { openTrainingStation, type TrainingStation } from '../../support/training-station.js';
import { ok } from '../../support/results.js';

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const PIN = '592716';

/** Row count of every table: a store that did not change keeps these equal. */
function storeSnapshot(ts: TrainingStation): Record<string, number> {
  const db = ts.station.store.db;
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

/** Collects every job.event of the core. */
function recordJobEvents(core: StationCore): EventPayload<'job.event'>[] {
  const seen: EventPayload<'job.event'>[] = [];
  core.on('job.event', (e) => seen.push(e));
  return seen;
}

/** Waits until the job's last event ends it (finished, failed or cancelled). */
async function jobEnded(seen: EventPayload<'job.event'>[], jobId: string): Promise<EventPayload<'job.event'>> {
  const endings = new Set(['job.finished', 'job.failed', 'job.cancelled']);
  for (let i = 0; i < 2400; i++) {
    const end = seen.find((e) => e.jobId === jobId && endings.has(e.type));
    if (end) return end;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${jobId} never ended`);
}

/** A valid input of every channel, to be spoiled field by field. */
function validInputs(ts: TrainingStation, personId: string): Record<Channel, Record<string, unknown>> {
  return {
    'station.info': {},
    'readers.list': {},
    'station.counts': {},
    'station.changePassphrase': { newPassphrase: 'violet tractor mango whistle' },
    'persons.search': { query: 'Dana', limit: 5 },
    'persons.get': { id: personId },
    'persons.add': { givenName: 'Eve', surname: 'Valid', email: 'eve@example.test', employeeId: 'E-1', affiliation: 'visitor' },
    'profiles.list': {},
    'profiles.get': { id: 'visitor' },
    'profiles.update': { id: 'visitor', patch: { label: 'Guest', cardValidityMonths: 3 } },
    'production.start': { personId, readerName: ts.readerName, profile: 'employee', algorithm: 'P256', pin: PIN },
    'jobs.list': { status: ['failed'] },
    'jobs.get': { jobId: 'job-1' },
    'jobs.retry': { jobId: 'job-1', readerName: ts.readerName, pin: PIN },
    'jobs.cancel': { jobId: 'job-1', reason: 'a valid reason' },
    'jobs.takeSecrets': { jobId: 'job-1' },
    'card.verify': { readerName: ts.readerName, pin: PIN },
    'auth.status': {},
    'auth.firstRunAdmin': { username: 'admin', displayName: 'Admin', password: 'a long enough password' },
    'auth.login': { username: 'admin', password: 'a long enough password' },
    'auth.resume': { token: 'a stale resume token' },
    'auth.logout': {},
    'officers.list': {},
    'officers.add': { username: 'alice', displayName: 'Alice', password: 'a long enough password', roles: ['registration'] },
    'officers.unlock': { officerId: 'officer-1' },
    'officers.link': { officerId: 'officer-1', personId },
    'officers.update': { officerId: 'officer-1', roles: ['auditor'] },
    'officers.setStatus': { officerId: 'officer-1', status: 'disabled' },
    'officers.resetPassword': { officerId: 'officer-1' },
    'requests.create': { personId, profile: 'employee' },
    'requests.list': { state: ['requested'], personId },
    'requests.get': { requestId: 'req-1' },
    'requests.approve': { requestId: 'req-1' },
    'requests.reject': { requestId: 'req-1', reason: 'a valid reason' },
    'requests.produce': { requestId: 'req-1', readerName: ts.readerName, pin: PIN },
    'batches.start': { requestIds: ['req-1'], readers: 'all' },
    'batches.list': {},
    'batches.get': { batchId: 'b-1' },
    'batches.cancelItem': { batchId: 'b-1', requestId: 'req-1', reason: 'a valid reason' },
    'batches.parseCsv': { csv: 'request\nreq-1\n' },
    'audit.list': { from: '2025-03-01', to: '2025-03-02T10:00:00Z', officer: 'alice', personId, cardId: 'card-1', afterSeq: 0, limit: 10 },
    'audit.export': { format: 'csv', from: '2025-03-01', to: '2025-03-02', officer: 'alice', personId, cardId: 'card-1' },
    'audit.verify': {},
    'audit.rotateKey': {},
    'cards.list': { status: ['active'], personId },
    'cards.get': { card: '00000001' },
    'cards.revoke': { card: 'card-1', reason: 'lost' },
    'cards.suspend': { card: 'card-1' },
    'cards.resume': { card: 'card-1' },
    'cards.activate': { readerName: ts.readerName, pin: PIN },
    'cards.unlock': { readerName: ts.readerName, newPin: PIN },
    'cards.reissue': { card: 'card-1', reason: 'damaged', readerName: ts.readerName, pin: PIN },
    'cards.recycle': { readerName: ts.readerName },
    'crl.get': {},
    'persons.update': { id: personId, givenName: 'Eve', surname: 'Valid', email: 'eve@example.test', employeeId: 'E-2', affiliation: 'visitor' },
    'kiosk.start': {},
    'kiosk.status': {},
    'kiosk.identify': { employeeId: 'E-1', email: 'eve@example.test' },
    'kiosk.request': { profile: 'employee' },
    'kiosk.reset': {},
    'outbox.list': { status: 'pending', personId, cardId: 'card-1', offset: 0, limit: 10 },
    'outbox.redeliver': { eventId: 'event-1' },
    'persons.list': { limit: 10, affiliation: 'visitor' },
    // Without dryRun: `true` (a bad value for every other field) is a good dryRun.
    'persons.import': { csv: 'given_name,surname,email,employee_id,affiliation\nEve,Valid,,,visitor\n' },
    // Without dryRun (`true` is a good one): a 1 × 1 PNG, which the core would refuse as too small.
    'persons.setPhoto': { personId, image: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', source: 'camera', crop: { x: 0.2, y: 0, width: 0.5, height: 1 } },
    'persons.getPhoto': { personId },
    'layouts.list': {},
    'layouts.get': { profile: 'visitor' },
    'layouts.update': { profile: 'visitor', patch: { affiliationColor: 'green', header: 'United States Government' } },
    // Without `layout` (every field of it is optional: `{}` is a good one).
    'layouts.preview': { profile: 'visitor', personId },
    'cards.preview': { card: '00000001' },
    'cards.reprint': { card: 'card-1', reason: 'a valid reason' },
    'printers.list': {},
    'jobs.pinMailer': { jobId: 'job-1', queue: 'PIV-Test-Printer' },
    'batches.retryItem': { batchId: 'b-1', requestId: 'req-1' },
    'batches.setPaused': { batchId: 'b-1', action: 'pause' },
    'ca.chain': {},
    'outbox.setSecret': { secret: 'a secret shared with the IDPRS' },
    'cpr.submit': { envelope: Buffer.from('a CPR').toString('base64') },
    'cpr.status': { idprsRequestId: 'I-1' },
    'cpr.delete': { idprsRequestId: 'I-1' },
  };
}

/** Values no field of the contract accepts. */
const BAD_FIELD_VALUES: unknown[] = [true, -1.5, {}, [{}], 'x'.repeat(100_000), { toString: 'x' }];

/** Whole inputs no channel accepts. */
const BAD_INPUTS: unknown[] = [null, [], [{}], 42, 'station.info', true, { extra: 1 }, { constructor: {} }];

describe('dispatch: refuses what the contract does not allow', () => {
  test('an unknown channel is INVALID_INPUT', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    await t.login();
    const core = t.station.core();
    for (const channel of ['nope', '', 'persons.add ', 'PERSONS.ADD', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'x'.repeat(10_000)]) {
      const r = await core.dispatch(channel, {});
      expect(r.ok, channel).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('INVALID_INPUT');
        expect(JSON.stringify(r.error).length).toBeLessThan(1000); // a huge name is not echoed whole
      }
    }
    expect(await core.dispatch(123 as unknown as string, {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  test('garbage inputs for every channel are INVALID_INPUT and nothing changes in the store', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    await t.login();
    const ts = t;
    const core = ts.station.core();
    const personId = ts.addPerson();
    // Kiosk channels answer only on a kiosk connection (before reading their input anywhere else).
    await ts.login(core, 'kiosk');
    expect((await core.dispatch('kiosk.start', {}, 'kiosk')).ok).toBe(true);
    const connectionOf = (channel: Channel) => (CHANNEL_ROLES[channel] === 'kiosk' ? 'kiosk' : undefined);
    const before = storeSnapshot(ts);
    const valid = validInputs(ts, personId);
    const events = recordJobEvents(core);
    let tried = 0;
    const expectInvalid = async (channel: Channel, input: unknown, what: string) => {
      tried++;
      const r = await core.dispatch(channel, input, connectionOf(channel));
      expect(r.ok, `${channel} ${what}`).toBe(false);
      if (!r.ok) {
        expect(r.error.code, `${channel} ${what}: ${r.error.message}`).toBe('INVALID_INPUT');
        expect(JSON.stringify(r.error)).not.toContain(PIN);
        expect(JSON.stringify(r.error)).not.toContain('x'.repeat(100));
      }
    };
    for (const channel of CHANNELS) {
      for (const input of BAD_INPUTS) await expectInvalid(channel, input, JSON.stringify(input));
      // prototype-pollution keys, as JSON.parse creates them from a frame
      await expectInvalid(channel, JSON.parse(`{"__proto__":{"polluted":true},${JSON.stringify(valid[channel]).slice(1)}`.replace(/,}$/, '}')), '__proto__');
      await expectInvalid(channel, { ...valid[channel], constructor: { prototype: { polluted: true } } }, 'constructor');
      await expectInvalid(channel, { ...valid[channel], unexpected: 'key' }, 'extra key');
      for (const key of Object.keys(valid[channel])) {
        for (const bad of BAD_FIELD_VALUES) await expectInvalid(channel, { ...valid[channel], [key]: bad }, `${key}=${(JSON.stringify(bad) ?? '').slice(0, 20)}`);
      }
    }
    expect(tried).toBeGreaterThan(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(storeSnapshot(ts)).toEqual(before);
    expect(events).toEqual([]); // no job was started
  });

  test('specific bad values: PINs of the wrong length or with letters, bad ids, a blank cancel reason', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    await t.login();
    const core = t.station.core();
    const personId = t.addPerson();
    const before = storeSnapshot(t);
    const bad: [Channel, Record<string, unknown>][] = [
      ['production.start', { personId, readerName: t.readerName, pin: '12345' }],
      ['production.start', { personId, readerName: t.readerName, pin: '123456789' }],
      ['production.start', { personId, readerName: t.readerName, pin: '12345a' }],
      ['production.start', { personId, readerName: t.readerName, pin: 123456 }],
      ['production.start', { personId: '../etc', readerName: t.readerName }],
      ['production.start', { personId, readerName: '' }],
      ['production.start', { personId, readerName: t.readerName, algorithm: 'RSA1024' }],
      ['persons.add', { givenName: '   ', surname: 'S', affiliation: 'employee' }],
      ['persons.add', { givenName: 'G', surname: 'S', affiliation: 'admin' }],
      ['persons.add', { givenName: 'G', surname: 'S', affiliation: 'employee', email: 'not an email' }],
      ['persons.add', { givenName: 'G', surname: 'S', affiliation: 'employee', employeeId: 'id with spaces' }],
      ['persons.search', { query: 'q', limit: 0 }],
      ['persons.search', { query: 'q', limit: 201 }],
      ['jobs.cancel', { jobId: 'job-1', reason: '  ' }],
      ['jobs.list', { status: ['weird'] }],
    ];
    for (const [channel, input] of bad) {
      const r = await core.dispatch(channel, input);
      expect(r, `${channel} ${JSON.stringify(input)}`).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      expect(JSON.stringify(r)).not.toMatch(/12345/);
    }
    expect(storeSnapshot(t)).toEqual(before);
  });

  test('an absent input means {} for channels without parameters', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    await t.login();
    expect(ok<{ training: boolean }>(await t.station.core().dispatch('station.info', undefined)).training).toBe(true);
    expect(await t.station.core().dispatch('persons.search', undefined)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('dispatch: persons', () => {
  test('add, search, get', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    await t.login();
    const core = t.station.core();
    const added = ok<{ id: string; givenName: string; email: string | null; employeeId: string | null; affiliation: string }>(
      await core.dispatch('persons.add', { givenName: '  Marie ', surname: 'Curie', email: 'marie@example.test', employeeId: 'MC-1867', affiliation: 'contractor' }),
    );
    expect(added).toMatchObject({ givenName: 'Marie', email: 'marie@example.test', employeeId: 'MC-1867', affiliation: 'contractor' });
    ok(await core.dispatch('persons.add', { givenName: 'Pierre', surname: 'Curie', affiliation: 'employee' }));
    ok(await core.dispatch('persons.add', { givenName: 'Albert', surname: 'Einstein', affiliation: 'visitor', email: null }));

    const curies = ok<PersonMatchesView>(await core.dispatch('persons.search', { query: 'Curie' }));
    expect(curies.persons.map((p) => p.surname)).toEqual(['Curie', 'Curie']);
    expect(curies).toMatchObject({ total: 2, more: false });
    expect(ok<PersonMatchesView>(await core.dispatch('persons.search', { query: 'Curie', limit: 1 }))).toMatchObject({ persons: [{ surname: 'Curie' }], total: 2, more: false });
    expect(ok<PersonMatchesView>(await core.dispatch('persons.search', { query: 'Nobody' }))).toEqual({ persons: [], total: 0, more: false });

    expect(ok(await core.dispatch('persons.get', { id: added.id }))).toEqual(added);
    expect(await core.dispatch('persons.get', { id: 'nosuchperson' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND_RECORD' } });
    // the audit trail records the addition
    expect(t.station.store.db.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'person.added'").get()).toEqual({ n: 3 });
  });
});

describe('dispatch: production', () => {
  test('production.start on the training reader: events until job.finished, all steps done, a verification report, the PUK once', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    await t.login();
    const core = t.station.core();
    const events = recordJobEvents(core);
    const personId = t.addPerson();
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('production.start', { personId, readerName: t.readerName, pin: PIN }));

    // the reader is busy while the job runs
    expect(await core.dispatch('production.start', { personId, readerName: t.readerName, pin: PIN })).toMatchObject({ ok: false, error: { code: 'READER_BUSY' } });

    const end = await jobEnded(events, jobId);
    expect(end.type, end.sentence).toBe('job.finished');
    const mine = events.filter((e) => e.jobId === jobId);
    expect(mine[0]!.type).toBe('job.started');
    const stepsFinished = mine.filter((e) => e.type === 'job.step.finished' || e.type === 'job.step.skipped').map((e) => e.step);

    const job = ok<{
      status: string;
      steps: { name: string; status: string }[];
      verification: { ok: boolean; checks: unknown[]; certificates: { slot: string }[] } | null;
      card: { guid: string; fascn: string; status: string } | null;
      certificates: { slot: string; status: string }[];
      needsPinForRetry: boolean;
    }>(await core.dispatch('jobs.get', { jobId }));
    expect(job.status).toBe('done');
    expect(job.steps.length).toBeGreaterThan(10);
    expect(job.steps.every((s) => s.status === 'done')).toBe(true);
    expect(stepsFinished).toEqual(job.steps.map((s) => s.name));
    expect(job.verification?.ok).toBe(true);
    expect(job.verification!.checks.length).toBeGreaterThan(10);
    expect(job.verification!.certificates.map((c) => c.slot).sort()).toEqual(['9A', '9C', '9D', '9E']);
    expect(job.card?.status).toBe('produced');
    expect(job.card?.guid).toMatch(/^[0-9a-f-]{36}$/);
    expect(job.certificates.filter((c) => c.status === 'valid')).toHaveLength(4);
    expect(job.needsPinForRetry).toBe(true);

    const list = ok<{ id: string; status: string }[]>(await core.dispatch('jobs.list', { status: ['done'] }));
    expect(list.map((j) => j.id)).toEqual([jobId]);
    expect(ok<unknown[]>(await core.dispatch('jobs.list', { status: ['failed'] }))).toEqual([]);

    // The PUK once (the cardholder typed the PIN, so no PIN), then nothing.
    const secrets = ok<{ puk?: string; pin?: string }>(await core.dispatch('jobs.takeSecrets', { jobId }));
    expect(secrets.puk).toMatch(/^\d{8}$/);
    expect(secrets.pin).toBeUndefined();
    expect(ok(await core.dispatch('jobs.takeSecrets', { jobId }))).toEqual({});

    // a done job cannot be retried or cancelled
    expect(await core.dispatch('jobs.retry', { jobId, readerName: t.readerName, pin: PIN })).toMatchObject({ ok: false, error: { code: 'JOB_STATE' } });

    // card.verify on the produced card with the right PIN passes; with a wrong PIN the error carries no PIN
    const report = ok<{ ok: boolean }>(await core.dispatch('card.verify', { readerName: t.readerName, pin: PIN }));
    expect(report.ok).toBe(true);
    const wrong = await core.dispatch('card.verify', { readerName: t.readerName, pin: '111111' });
    expect(JSON.stringify(wrong)).not.toContain('111111');

    // nothing the core said contains the PIN
    expect(JSON.stringify(events)).not.toContain(PIN);
    expect(JSON.stringify(job)).not.toContain(PIN);
    expect(JSON.stringify(t.station.store.jobs.get(jobId))).not.toContain(PIN);
  });

  test("another officer cannot take (and so destroy) the one-time PIN and PUK of a production", async () => {
    t = await openTrainingStation({}, { directProduction: true });
    await t.login();
    const core = t.station.core();
    ok(await core.dispatch('officers.add', { username: 'prod2', displayName: 'Second Producer', password: 'a long enough password', roles: ['production'] }));
    expect((await core.dispatch('auth.login', { username: 'prod2', password: 'a long enough password' }, 'other')).ok).toBe(true);
    const events = recordJobEvents(core);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('production.start', { personId: t.addPerson(), readerName: t.readerName }));
    expect((await jobEnded(events, jobId)).type).toBe('job.finished');
    const stolen = await core.dispatch('jobs.takeSecrets', { jobId }, 'other');
    expect(stolen).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'secretsOwner' } } });
    const secrets = ok<{ puk?: string; pin?: string }>(await core.dispatch('jobs.takeSecrets', { jobId }));
    expect(secrets.pin).toMatch(/^\d{6,8}$/);
    expect(secrets.puk).toMatch(/^\d{8}$/);
  });

  test('a generated PIN is returned once with the PUK', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    await t.login();
    const core = t.station.core();
    const events = recordJobEvents(core);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('production.start', { personId: t.addPerson(), readerName: t.readerName }));
    expect((await jobEnded(events, jobId)).type).toBe('job.finished');
    const secrets = ok<{ puk?: string; pin?: string }>(await core.dispatch('jobs.takeSecrets', { jobId }));
    expect(secrets.pin).toMatch(/^\d{6,8}$/);
    expect(secrets.puk).toMatch(/^\d{8}$/);
    expect(ok(await core.dispatch('jobs.takeSecrets', { jobId }))).toEqual({});
    expect(ok<{ needsPinForRetry: boolean }>(await core.dispatch('jobs.get', { jobId })).needsPinForRetry).toBe(false);
  });

  test('a card pulled mid-job: job.failed with a sentence, retry needs the PIN again, cancel → cancelled and certificates revoked', async () => {
    t = await openTrainingStation({ faults: { removeAfterApdus: 30 } }, { directProduction: true });
    await t.login();
    const core = t.station.core();
    const events = recordJobEvents(core);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('production.start', { personId: t.addPerson(), readerName: t.readerName, pin: PIN }));
    const end = await jobEnded(events, jobId);
    expect(end.type).toBe('job.failed');
    expect(end.sentence).toMatch(/^The card was removed while /);

    const failed = ok<{ status: string; failedStep: string | null; failure: string | null; errorCode: string | null; retryable: boolean | null; needsPinForRetry: boolean }>(
      await core.dispatch('jobs.get', { jobId }),
    );
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'CARD_REMOVED', retryable: true, needsPinForRetry: true });
    expect(failed.failedStep).toBeTruthy();
    expect(failed.failure).toBe(end.sentence);
    expect(ok<{ id: string }[]>(await core.dispatch('jobs.list', { status: ['failed'] })).map((j) => j.id)).toEqual([jobId]);

    // a typed PIN is not kept: the retry must ask for it again
    const noPin = await core.dispatch('jobs.retry', { jobId, readerName: t.readerName });
    expect(noPin).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { field: 'pin' } } });
    // nothing secret to take from a failed job
    expect(ok(await core.dispatch('jobs.takeSecrets', { jobId }))).toEqual({});

    const issued = t.station.store.certificates.listByJob(jobId);
    expect(issued.length).toBeGreaterThan(0);
    const cancelled = ok<{ status: string; cancelReason: string | null }>(await core.dispatch('jobs.cancel', { jobId, reason: 'cardholder left' }));
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'cardholder left' });
    expect(events.at(-1)).toMatchObject({ type: 'job.cancelled', jobId, sentence: 'cardholder left' });
    for (const c of t.station.store.certificates.listByJob(jobId)) expect(c.status).toBe('revoked');
    expect(ok<{ status: string }>(await core.dispatch('jobs.get', { jobId })).status).toBe('cancelled');
    expect(await core.dispatch('jobs.retry', { jobId, readerName: t.readerName, pin: PIN })).toMatchObject({ ok: false, error: { code: 'JOB_STATE' } });
    // cancelling again changes nothing: the first reason stays, no second event
    const eventsBefore = events.length;
    expect(await core.dispatch('jobs.cancel', { jobId, reason: 'again' })).toMatchObject({ ok: true, value: { status: 'cancelled', cancelReason: 'cardholder left' } });
    expect(events.length).toBe(eventsBefore);

    expect(JSON.stringify(events)).not.toContain(PIN);
  });

  test('retry of a failed job through dispatch completes it', async () => {
    t = await openTrainingStation({ faults: { removeAfterApdus: 30 } }, { directProduction: true }); // pulled mid-production (a production sends about 47 C-APDUs)
    await t.login();
    const core = t.station.core();
    const events = recordJobEvents(core);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('production.start', { personId: t.addPerson(), readerName: t.readerName, pin: PIN }));
    expect((await jobEnded(events, jobId)).type).toBe('job.failed');
    t.card.faults.removeAfterApdus = undefined;
    t.reader.insert(t.card);
    events.length = 0;
    expect(ok<{ jobId: string }>(await core.dispatch('jobs.retry', { jobId, readerName: t.readerName, pin: PIN })).jobId).toBe(jobId);
    const end = await jobEnded(events, jobId);
    expect(end.type, end.sentence).toBe('job.finished');
    expect(ok<{ status: string }>(await core.dispatch('jobs.get', { jobId })).status).toBe('done');
    expect(ok<{ puk?: string }>(await core.dispatch('jobs.takeSecrets', { jobId })).puk).toMatch(/^\d{8}$/);
  });

  test('errors never contain the PIN: unknown person, unknown reader, unknown job', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    await t.login();
    const core = t.station.core();
    const events = recordJobEvents(core);
    const results: Result<unknown>[] = [
      await core.dispatch('production.start', { personId: 'nosuchperson', readerName: t.readerName, pin: PIN }),
      await core.dispatch('jobs.retry', { jobId: 'nosuchjob', readerName: t.readerName, pin: PIN }),
      await core.dispatch('card.verify', { readerName: 'No Such Reader', pin: PIN }),
    ];
    for (const r of results) expect(r.ok).toBe(false);
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'NOT_FOUND_RECORD' } });
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'NOT_FOUND_RECORD' } });
    // a job on a reader that does not exist fails as a job, with a sentence and no PIN
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('production.start', { personId: t.addPerson(), readerName: 'No Such Reader', pin: PIN }));
    expect((await jobEnded(events, jobId)).type).toBe('job.failed');
    const job = await core.dispatch('jobs.get', { jobId });
    expect(JSON.stringify([results, events, job])).not.toContain(PIN);
  });
});
