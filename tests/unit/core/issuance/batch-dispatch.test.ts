/**
 * The batches.* channels through the core's dispatch, on two training
 * readers: role checks, separation of duties, a batch produced with its
 * events (batch.changed, job.event, request.changed), the one-time secrets
 * of a batch card, cancelItem, a CSV batch file checked by the core
 * (batches.parseCsv), and a batch resumed by a new core after a restart.
 */
import { batchNumberText, requestNumberText } from '../../../../electron/contract/request-number.js';
import { afterEach, describe, expect, test } from 'vitest';
import { VirtualPivCard } from '../../../../native/virtual-card/card.js';
import type { StationCore } from '../../../../electron/core/dispatch.js';
import type { BatchView } from '../../../../electron/contract/station-api.js';
import { MultiTrainingReaders, openBatchTestStation, READER_A, READER_B, type BatchTestStation } from './batch-station.js';

const PASSWORD = 'batch officer password';

/** A dispatch answer, loosely typed for assertions. */
type Answer = { ok: boolean; value?: unknown; error?: { code: string; message: string } };

let ts: BatchTestStation | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

/** Officers: an admin, a production administrator (who is also a cardholder), a registration officer. */
async function setUp() {
  const readers = new MultiTrainingReaders([READER_A, READER_B]);
  ts = await openBatchTestStation(readers);
  const { station } = ts;
  const self = station.store.persons.add({ givenName: 'Pat', surname: 'Producer', affiliation: 'visitor' });
  const admin = await station.officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, { kind: 'anonymous' });
  const adminCaller = { kind: 'officer' as const, officer: admin, sessionId: 'setup' };
  await station.officers.add({ username: 'producer', displayName: 'Pat Producer', password: PASSWORD, roles: ['production'], personId: self.id }, adminCaller);
  await station.officers.add({ username: 'clerk', displayName: 'Clerk', password: PASSWORD, roles: ['registration'] }, adminCaller);
  await station.officers.add({ username: 'other', displayName: 'Other Producer', password: PASSWORD, roles: ['production'] }, adminCaller);
  const core = station.core();
  const call = async (channel: string, input: unknown, connection: string) => (await core.dispatch(channel, input, connection)) as Answer;
  const login = async (username: string) => {
    const r = await call('auth.login', { username, password: PASSWORD }, username);
    expect(r.ok).toBe(true);
  };
  await login('producer');
  await login('clerk');
  await login('other');
  const requestFor = async (surname: string) => {
    const p = station.store.persons.add({ givenName: 'Vic', surname, affiliation: 'visitor' });
    const r = await call('requests.create', { personId: p.id, profile: 'visitor' }, 'clerk');
    if (!r.ok) throw new Error(r.error?.message);
    return (r.value as { id: string }).id;
  };
  const ownRequest = station.requests.create({ personId: self.id, profile: 'visitor' }, { kind: 'idprs' }).id;
  return { station, readers, core, call, requestFor, ownRequest };
}

async function until(core: StationCore, call: (c: string, i: unknown, conn: string) => Promise<Answer>, batchId: string, pred: (b: BatchView) => boolean): Promise<BatchView> {
  const end = Date.now() + 20_000;
  for (;;) {
    const r = await call('batches.get', { batchId }, 'producer');
    const view = r.value as BatchView;
    if (pred(view)) return view;
    if (Date.now() > end) throw new Error(`batch state not reached: ${JSON.stringify(view)}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

describe('batches.* through dispatch', () => {
  test('roles: no login, a registration officer and the own card are refused in the core', async () => {
    const { call, requestFor, ownRequest } = await setUp();
    const id = await requestFor('One');
    expect((await call('batches.start', { requestIds: [id], readers: 'all' }, 'nobody')) as unknown).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    expect(await call('batches.start', { requestIds: [id], readers: 'all' }, 'clerk')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('batches.list', {}, 'clerk')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('batches.start', { requestIds: [id, ownRequest], readers: 'all' }, 'producer')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/cannot produce a card for yourself/) },
    });
    expect(await call('batches.list', {}, 'producer')).toMatchObject({ ok: true, value: [] });
  });

  test('a batch across two readers: events, progress, one-time secrets, cancel of a queued item', async () => {
    const { station, readers, core, call, requestFor } = await setUp();
    const ids = [await requestFor('One'), await requestFor('Two'), await requestFor('Three')];
    const batchEvents: unknown[] = [];
    const jobEnds: string[] = [];
    const requestStates: string[] = [];
    core.on('batch.changed', (e) => batchEvents.push(e));
    core.on('job.event', (e) => {
      if (e.type === 'job.finished') jobEnds.push(e.jobId);
    });
    core.on('request.changed', (e) => {
      if (e.requestId === ids[0]) requestStates.push(e.state);
    });
    const started = await call('batches.start', { requestIds: ids, readers: 'all' }, 'producer');
    expect(started.ok).toBe(true);
    const { batchId } = started.value as { batchId: string };

    expect(await call('batches.cancelItem', { batchId, requestId: ids[2], reason: 'Visitor cancelled the visit' }, 'producer')).toMatchObject({ ok: true });
    readers.reader(READER_A).insert(VirtualPivCard.create());
    readers.reader(READER_B).insert(VirtualPivCard.create());
    const view = await until(core, call, batchId, (b) => b.status === 'done');
    expect(view).toMatchObject({ total: 3, done: 2, failed: 0, remaining: 0 });
    expect(view.items.map((i) => i.state)).toEqual(['done', 'done', 'cancelled']);
    expect(new Set(view.items.slice(0, 2).map((i) => i.readerName))).toEqual(new Set([READER_A, READER_B]));
    expect(batchEvents.at(-1)).toEqual({ batchId, done: 2, failed: 0, remaining: 0 });
    // Job events of batch jobs reach the faces like any production's.
    await until(core, call, batchId, () => jobEnds.length === 2);
    expect(jobEnds.sort()).toEqual(view.items.slice(0, 2).map((i) => i.jobId).sort());
    expect(requestStates).toEqual(['in_production', 'produced']);
    // The generated PIN and the PUK of a batch card wait once for the officer who ran the batch (issue 12, obs. 2).
    expect(view.items.slice(0, 2).map((i) => i.secretsWaiting)).toEqual([true, true]);
    expect(await call('jobs.takeSecrets', { jobId: view.items[0]!.jobId }, 'other')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const secrets = await call('jobs.takeSecrets', { jobId: view.items[0]!.jobId }, 'producer');
    expect(secrets.value).toMatchObject({ puk: expect.stringMatching(/^\d{8}$/), pin: expect.stringMatching(/^\d{6,8}$/) });
    expect((await call('jobs.takeSecrets', { jobId: view.items[0]!.jobId }, 'producer')).value).toEqual({});
    expect(((await call('batches.get', { batchId }, 'producer')).value as BatchView).items.map((i) => i.secretsWaiting)).toEqual([false, true, false]);
    expect(station.store.requests.get(ids[2]!)!.state).toBe('approved');
    // The list shows the batch with its figures.
    const list = await call('batches.list', {}, 'producer');
    expect(list.value).toMatchObject([{ id: batchId, status: 'done', done: 2 }]);
  });

  test('batches.parseCsv: a clean file lists its requests; every bad line is named, and nothing starts', async () => {
    const { station, call, requestFor, ownRequest } = await setUp();
    const ids = [await requestFor('One'), await requestFor('Two'), await requestFor('Three')];
    const numberOf = (id: string) => station.store.requests.get(id)!.number;
    // A file may name a request by its id or by its number as people write it ("R-000002").
    const clean = await call('batches.parseCsv', { csv: `name;request\nVic One;${ids[0]}\n\nVic Two;${requestNumberText(numberOf(ids[1]!))}\n` }, 'producer');
    expect(clean).toEqual({
      ok: true,
      value: {
        requests: [
          { line: 2, requestId: ids[0], requestNumber: numberOf(ids[0]!), personName: 'Vic One' },
          { line: 4, requestId: ids[1], requestNumber: numberOf(ids[1]!), personName: 'Vic Two' },
        ],
        problems: [],
      },
    });
    // The same request by id and by number is one request named twice.
    const twice = await call('batches.parseCsv', { csv: `${ids[1]}\n${requestNumberText(numberOf(ids[1]!))}\n` }, 'producer');
    expect((twice.value as { problems: { message: string }[] }).problems.map((p) => p.message)).toEqual(['Line 2 of the batch file repeats the request on line 1.']);
    // A request already in a batch, one that is not approved, an unknown one, the officer's own, a bad id and a repeat.
    const started = await call('batches.start', { requestIds: [ids[0]], readers: [READER_A] }, 'producer');
    const { batchId, number } = started.value as { batchId: string; number: number };
    // The batch's short number names it to people, and finds it as its id does (the CLI's BATCH).
    expect(batchNumberText(number)).toMatch(/^B-\d{6}$/);
    const byNumber = await call('batches.get', { batchId: batchNumberText(number) }, 'producer');
    expect(byNumber.value).toMatchObject({ id: batchId, number, items: [{ requestId: ids[0], requestNumber: numberOf(ids[0]!) }] });
    expect(await call('batches.get', { batchId: 'B-999999' }, 'producer')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND_RECORD', message: 'There is no batch B-999999.' } });
    expect(await call('batches.retryItem', { batchId, requestId: ids[1] }, 'producer')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND_RECORD', message: `Request ${requestNumberText(numberOf(ids[1]!))} is not in batch ${batchNumberText(number)}.` },
    });
    const person = station.store.persons.add({ givenName: 'Emma', surname: 'Ployee', affiliation: 'employee' });
    const requested = (await call('requests.create', { personId: person.id, profile: 'employee' }, 'clerk')).value as { id: string; state: string };
    expect(requested.state).toBe('requested');
    const lines = ['request', ids[0], requested.id, 'no-such-request', ownRequest, 'not an id', ids[2], ids[2]];
    const checked = await call('batches.parseCsv', { csv: lines.join('\r\n') }, 'producer');
    const value = checked.value as { requests: { requestId: string }[]; problems: { line: number | null; message: string }[] };
    expect(value.requests.map((r) => r.requestId)).toEqual([ids[2]]);
    expect(value.problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6, 8]);
    expect(value.problems.map((p) => p.message)).toEqual([
      `Line 2: Request ${requestNumberText(numberOf(ids[0]!))} (Vic One) is already queued in batch ${batchNumberText(number)}, which has not finished.`,
      `Line 3: Request ${requestNumberText(numberOf(requested.id))} (Emma Ployee) is waiting for approval; only approved requests can be produced in a batch.`,
      'Line 4: There is no card request no-such-request.',
      expect.stringMatching(/^Line 5: .*cannot produce a card for yourself/),
      'Line 6 of the batch file has no valid request number.',
      'Line 8 of the batch file repeats the request on line 7.',
    ]);
    expect((await call('batches.parseCsv', { csv: '' }, 'producer')).value).toEqual({ requests: [], problems: [{ line: null, message: 'The batch file lists no request.' }] });
    // Checking starts nothing and is refused to other roles in the core; a file that is not a CSV of requests is bad input.
    expect((await call('batches.list', {}, 'producer')).value).toHaveLength(1);
    expect(await call('batches.parseCsv', { csv: `request\n${ids[2]}` }, 'clerk')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('batches.parseCsv', { csv: 'x'.repeat(5000) }, 'producer')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/line of the batch file is too long/) } });
  });

  test('restart: a new core resumes a running batch and takes a card already in a reader', async () => {
    const { readers, core, call, requestFor } = await setUp();
    const ids = [await requestFor('One')];
    const r = await call('batches.start', { requestIds: ids, readers: [READER_B] }, 'producer');
    const { batchId } = r.value as { batchId: string };
    await core.close();
    readers.reader(READER_B).insert(VirtualPivCard.create());
    const station = await ts!.reopen();
    const core2 = station.core();
    const r2 = await core2.dispatch('auth.login', { username: 'producer', password: PASSWORD }, 'producer');
    expect(r2.ok).toBe(true);
    const call2 = async (channel: string, input: unknown, connection: string) => (await core2.dispatch(channel, input, connection)) as Answer;
    const view = await until(core2, call2, batchId, (b) => b.status === 'done');
    expect(view.items[0]).toMatchObject({ state: 'done', readerName: READER_B });
  });
});
