/**
 * BatchService on two in-process training readers: the test plays the
 * operator (inserts blank cards, pulls one mid-production, puts it back) and
 * the production jobs really run on the virtual cards.
 */
import { batchNumberText } from '../../../../electron/contract/request-number.js';
import { afterEach, describe, expect, test } from 'vitest';
import { VirtualPivCard } from '../../../../native/virtual-card/card.js';
import type { Station } from '../../../../electron/boot/open-station.js';
import { batchJobs, batchRequests } from '../../../../electron/core/issuance/batch-ports.js';
import { BatchService, STATION_STOPPED_SENTENCE, type BatchActor, type BatchChange } from '../../../../electron/core/issuance/batch-service.js';
import { probeInsertedCard } from '../../../../electron/core/issuance/batch-card-probe.js';
import { batchRepository } from '../../../../electron/core/issuance/batch-store.js';
import { MultiTrainingReaders, openBatchTestStation, READER_A, READER_B, type BatchTestStation } from './batch-station.js';

/** The production officer who starts the batches (made by each harness: the rule book asks who produces). */
let ACTOR: BatchActor;

/** A production officer in the store (no login: the batch acts for them). */
function productionOfficer(station: Station, username: string, personId: string | null = null): BatchActor {
  const o = station.store.officers.create({ username, displayName: username, passwordHash: 'scrypt$not-a-login', roles: ['production'], personId });
  return { officerId: o.id, username, personId };
}

interface Harness {
  ts: BatchTestStation;
  readers: MultiTrainingReaders;
  service: BatchService;
  changes: BatchChange[];
  /** Runs after each card probe (a test arms a card fault for the job that follows). */
  afterProbe?: () => void;
  /** Creates persons and approved requests; returns the request ids. */
  addRequests(n: number): string[];
  /** (Re)creates the service over the current station. */
  makeService(): Promise<BatchService>;
}

let open: Harness | undefined;
afterEach(async () => {
  if (!open) return;
  await open.service.close();
  await open.ts.close();
  open = undefined;
});

/** The production side as the core wires it: batch ports over the station's RequestService and ProductionService. */
function jobsFor(station: () => Station) {
  return batchJobs({
    production: {
      retry: (...a) => station().production.retry(...a),
      cancel: (...a) => station().production.cancel(...a),
    },
    requests: {
      createProductionJob: (...a) => station().requests.createProductionJob(...a),
      jobStarted: (...a) => station().requests.jobStarted(...a),
      jobSettled: (...a) => station().requests.jobSettled(...a),
    },
  });
}

async function harness(readerNames = [READER_A, READER_B], training = true): Promise<Harness> {
  const readers = new MultiTrainingReaders(readerNames);
  const ts = await openBatchTestStation(readers);
  ACTOR = productionOfficer(ts.station, 'prod.admin');
  const changes: BatchChange[] = [];
  let n = 0;
  const h: Harness = {
    ts,
    readers,
    changes,
    service: undefined as unknown as BatchService,
    addRequests(count) {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        n++;
        const p = ts.station.store.persons.add({ givenName: 'Ada', surname: `Batch${n}`, employeeId: String(300000 + n), affiliation: 'visitor' });
        // Visitor cards need no approval: the request is approved with its card object at once.
        const id = ts.station.requests.create({ personId: p.id, profile: 'visitor' }, { kind: 'idprs' }).id;
        ids.push(id);
      }
      return ids;
    },
    async makeService() {
      h.service = new BatchService({
        store: ts.station.store,
        readers,
        requests: batchRequests(ts.station.store),
        jobs: jobsFor(() => h.ts.station),
        training,
        onChange: (c) => changes.push(c),
        productionRefusal: (requestId, actor) => h.ts.station.requests.productionRefusal(requestId, actor.officerId, 'batches.start'),
        probe: async (r, name) => {
          const result = await probeInsertedCard(r, name);
          h.afterProbe?.();
          return result;
        },
      });
      await h.service.open();
      return h.service;
    },
  };
  await h.makeService();
  open = h;
  return h;
}

/** Inserts a card and waits until the service has done everything it will do with it. */
async function insert(h: Harness, reader: string, card: VirtualPivCard): Promise<void> {
  h.readers.reader(reader).insert(card);
  await settle(h);
}

/** Lets reader events arrive (they are delivered asynchronously), then waits for every probe and job they caused. */
async function settle(h: Harness): Promise<void> {
  await new Promise((r) => setTimeout(r, 5));
  await h.service.idle();
}

function validCertsOfJob(station: Station, jobId: string) {
  const job = station.store.jobs.get(jobId)!;
  return station.store.certificates.listByCard(job.cardId).filter((c) => c.status === 'valid');
}

describe('BatchService', () => {
  test('two readers produce in parallel, in queue order, and the batch finishes with its figures', async () => {
    const h = await harness();
    const ids = h.addRequests(3);
    const batch = await h.service.start(ids, 'all', ACTOR);
    let mostRunning = 0;
    h.changes.length = 0;
    const record = h.changes.push.bind(h.changes);
    h.changes.push = (...c: BatchChange[]) => {
      mostRunning = Math.max(mostRunning, h.service.get(batch.id).items.filter((i) => i.state === 'running').length);
      return record(...c);
    };
    const cardA = VirtualPivCard.create();
    const cardB = VirtualPivCard.create();
    // Both readers get a card before either job ends: the two jobs run at the same time.
    h.readers.reader(READER_A).insert(cardA);
    h.readers.reader(READER_B).insert(cardB);
    await settle(h);
    let view = h.service.get(batch.id);
    expect(view.items.map((i) => i.state)).toEqual(['done', 'done', 'queued']);
    expect(view.items[0]!.readerName).toBe(READER_A);
    expect(view.items[1]!.readerName).toBe(READER_B);
    expect(view.status).toBe('running');
    expect(mostRunning).toBe(2);

    // A produced card left in the reader is never taken again; a new blank card takes the last request.
    h.readers.reader(READER_A).remove();
    await insert(h, READER_A, VirtualPivCard.create());
    view = h.service.get(batch.id);
    expect(view).toMatchObject({ status: 'done', total: 3, done: 3, failed: 0, remaining: 0 });
    expect(view.cardsPerHour).toBeGreaterThan(0);
    for (const item of view.items) {
      expect(validCertsOfJob(h.ts.station, item.jobId!).map((c) => c.slot).sort()).toEqual(['9A', '9C', '9D', '9E']);
      expect(h.ts.station.store.jobs.get(item.jobId!)!.status).toBe('done');
    }
    // Each card got its own person's job.
    const persons = view.items.map((i) => h.ts.station.store.jobs.get(i.jobId!)!.personId);
    expect(persons).toEqual(ids.map((id) => h.ts.station.store.requests.get(id)!.personId));
    // Each job produced the card object made at approval (its card number kept).
    for (const [k, item] of view.items.entries()) {
      const request = h.ts.station.store.requests.get(ids[k]!)!;
      expect(h.ts.station.store.jobs.get(item.jobId!)!.cardId).toBe(request.cardId);
      expect(h.ts.station.store.cards.get(request.cardId!)!.cardNumber).toMatch(/^\d{8}$/);
    }
    // Each request followed its card to produced.
    expect(ids.map((id) => h.ts.station.store.requests.get(id)!.state)).toEqual(['produced', 'produced', 'produced']);
    expect(h.changes.at(-1)).toEqual({ batchId: batch.id, done: 3, failed: 0, remaining: 0 });
  });

  test('a pulled card fails its item; another blank card gets the NEXT request; the pulled card coming back resumes its own job', async () => {
    const h = await harness([READER_A]);
    const ids = h.addRequests(3);
    const batch = await h.service.start(ids, [READER_A], ACTOR);
    // Pulled after identify and some key generation.
    const pulled = VirtualPivCard.create({ faults: { removeAfterApdus: 20 } });
    await insert(h, READER_A, pulled);
    let view = h.service.get(batch.id);
    expect(view.items[0]).toMatchObject({ state: 'failed', readerName: READER_A });
    expect(view.items[0]!.failure).toMatch(/^The card was removed while /);
    expect(view).toMatchObject({ failed: 1, remaining: 2 });
    const firstJob = view.items[0]!.jobId!;
    expect(h.ts.station.store.requests.get(ids[0]!)!.state).toBe('production_failed');

    h.readers.reader(READER_A).remove();
    await insert(h, READER_A, VirtualPivCard.create());
    view = h.service.get(batch.id);
    expect(view.items.map((i) => i.state)).toEqual(['failed', 'done', 'queued']);

    // The operator puts the pulled card back (its fault cleared): the same job continues on it.
    h.readers.reader(READER_A).remove();
    pulled.faults.removeAfterApdus = undefined;
    await insert(h, READER_A, pulled);
    view = h.service.get(batch.id);
    expect(view.items.map((i) => i.state)).toEqual(['done', 'done', 'queued']);
    expect(view.items[0]!.jobId).toBe(firstJob);
    const card = h.ts.station.store.cards.get(h.ts.station.store.jobs.get(firstJob)!.cardId)!;
    expect(card.chipSerial).toBe(pulled.serial);
    expect(validCertsOfJob(h.ts.station, firstJob)).toHaveLength(4);
  });

  test('a card another job started on does not take a request; issued cards are left alone', async () => {
    const h = await harness([READER_A]);
    const ids = h.addRequests(2);
    const batch = await h.service.start(ids, 'all', ACTOR);
    const pulled = VirtualPivCard.create({ faults: { removeAfterApdus: 20 } });
    await insert(h, READER_A, pulled);
    // First request produced on a new card, so the queue is empty while request 1 waits for its card.
    h.readers.reader(READER_A).remove();
    const produced = VirtualPivCard.create();
    await insert(h, READER_A, produced);
    expect(h.service.get(batch.id).items.map((i) => i.state)).toEqual(['failed', 'done']);

    // A blank card while the only open item waits for its own card: nothing starts.
    h.readers.reader(READER_A).remove();
    const spare = VirtualPivCard.create();
    await insert(h, READER_A, spare);
    expect(h.service.get(batch.id).items.map((i) => i.state)).toEqual(['failed', 'done']);
    expect(h.ts.station.store.cards.findByChipSerial(spare.serial)).toEqual([]);

    // The produced card put back is issued: it is never produced again.
    const jobsBefore = h.ts.station.store.jobs.list().length;
    h.readers.reader(READER_A).remove();
    await insert(h, READER_A, produced);
    expect(h.ts.station.store.jobs.list()).toHaveLength(jobsBefore);
    expect(h.service.get(batch.id).items.map((i) => i.state)).toEqual(['failed', 'done']);
  });

  test('a failed item whose card was never identified goes back to the queue at its place', async () => {
    const h = await harness([READER_A]);
    const ids = h.addRequests(2);
    const batch = await h.service.start(ids, 'all', ACTOR);
    // Pulled during the job's first APDUs (after SELECT), before identify read the serial.
    const early = VirtualPivCard.create();
    h.afterProbe = () => {
      early.faults.removeAfterApdus = 1;
      h.afterProbe = undefined;
    };
    await insert(h, READER_A, early);
    let view = h.service.get(batch.id);
    expect(view.items[0]).toMatchObject({ state: 'failed' });
    const job = h.ts.station.store.jobs.get(view.items[0]!.jobId!)!;
    expect(h.ts.station.store.cards.get(job.cardId)!.chipSerial).toBeNull();
    h.readers.reader(READER_A).remove();
    await insert(h, READER_A, VirtualPivCard.create());
    view = h.service.get(batch.id);
    // The first request (not the second) took the new card, on its existing job.
    expect(view.items.map((i) => i.state)).toEqual(['done', 'queued']);
    expect(view.items[0]!.jobId).toBe(job.id);
  });

  test('another application holding the reader for a moment: the job runs again on the same card', async () => {
    const h = await harness([READER_A]);
    const ids = h.addRequests(1);
    const batch = await h.service.start(ids, 'all', ACTOR);
    let held = false;
    h.afterProbe = () => {
      h.afterProbe = undefined;
      // Like a readers panel or middleware probing the new card: an exclusive session for 700 ms.
      void h.readers.connect(READER_A).then(async (t) => {
        held = true;
        await new Promise((r) => setTimeout(r, 700));
        await t.close('leave');
      });
    };
    await insert(h, READER_A, VirtualPivCard.create());
    expect(held).toBe(true);
    const view = h.service.get(batch.id);
    expect(view.items[0]).toMatchObject({ state: 'done', failure: null });
    const job = h.ts.station.store.jobs.get(view.items[0]!.jobId!)!;
    // The first run did fail on the busy reader (audited), the next one produced the card.
    const runs = h.ts.station.store.audit.list({ jobId: job.id }).filter((e) => e.action === 'job.step.failed');
    expect(runs.map((e) => e.details?.code)).toContain('READER_BUSY');
  });

  test('restart: an item left running is failed-and-retryable, and its card resumes it after the reopen', async () => {
    const h = await harness([READER_A]);
    const ids = h.addRequests(2);
    const batch = await h.service.start(ids, 'all', ACTOR);
    const card = VirtualPivCard.create({ faults: { removeAfterApdus: 30 } });
    await insert(h, READER_A, card);
    const jobId = h.service.get(batch.id).items[0]!.jobId!;
    // As a station killed mid-production leaves it: the item (and its job) still marked running.
    batchRepository(h.ts.station.store.db).updateItem(batch.id, ids[0]!, { state: 'running', failure: null });
    h.ts.station.store.jobs.update(jobId, { status: 'running' });
    h.readers.reader(READER_A).remove();
    await h.service.close();

    await h.ts.reopen();
    await h.makeService();
    let view = h.service.get(batch.id);
    expect(view.items[0]).toMatchObject({ state: 'failed', failure: STATION_STOPPED_SENTENCE, jobId });
    expect(view.status).toBe('running');

    card.faults.removeAfterApdus = undefined;
    await insert(h, READER_A, card);
    h.readers.reader(READER_A).remove();
    await insert(h, READER_A, VirtualPivCard.create());
    view = h.service.get(batch.id);
    expect(view).toMatchObject({ status: 'done', done: 2 });
    expect(view.items[0]!.jobId).toBe(jobId);
  });

  test('restart: a card already in the reader when the station opens is taken', async () => {
    const h = await harness([READER_A]);
    const ids = h.addRequests(1);
    const batch = await h.service.start(ids, 'all', ACTOR);
    await h.service.close();
    h.readers.reader(READER_A).insert(VirtualPivCard.create());
    await h.ts.reopen();
    await h.makeService();
    await settle(h);
    expect(h.service.get(batch.id)).toMatchObject({ status: 'done', done: 1 });
  });

  test('cancel: a queued item leaves the queue; a failed item has its job cancelled and certificates revoked; running and done items refuse', async () => {
    const h = await harness([READER_A]);
    const ids = h.addRequests(3);
    const batch = await h.service.start(ids, 'all', ACTOR);
    // Pulled late enough that certificates were issued.
    await insert(h, READER_A, VirtualPivCard.create({ faults: { removeAfterApdus: 27 } }));
    const failed = h.service.get(batch.id).items[0]!;
    expect(failed.state).toBe('failed');
    const issued = h.ts.station.store.certificates.listByJob(failed.jobId!);
    expect(issued.length).toBeGreaterThan(0);

    await expect(h.service.cancelItem(batch.id, ids[0]!, 'no', ACTOR)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    let view = await h.service.cancelItem(batch.id, ids[0]!, 'Card damaged by the printer', ACTOR);
    expect(view.items[0]).toMatchObject({ state: 'cancelled', failure: 'Card damaged by the printer' });
    expect(h.ts.station.store.jobs.get(failed.jobId!)!.status).toBe('cancelled');
    expect(h.ts.station.store.certificates.listByJob(failed.jobId!).every((c) => c.status === 'revoked')).toBe(true);
    expect(h.ts.station.store.requests.get(ids[0]!)!.state).toBe('cancelled');

    view = await h.service.cancelItem(batch.id, ids[2]!, 'Person left the agency', ACTOR);
    expect(view.items[2]).toMatchObject({ state: 'cancelled', jobId: null });

    h.readers.reader(READER_A).remove();
    // Slow key generation: the item is observably running while the cancel is refused.
    const slow = VirtualPivCard.create({ faults: { keygenDelayMs: 300 } });
    h.readers.reader(READER_A).insert(slow);
    await waitFor(() => h.service.get(batch.id).items[1]!.state === 'running');
    await expect(h.service.cancelItem(batch.id, ids[1]!, 'Too late now', ACTOR)).rejects.toMatchObject({ code: 'JOB_STATE' });
    await settle(h);
    view = h.service.get(batch.id);
    expect(view).toMatchObject({ status: 'done', done: 1, failed: 0, remaining: 0 });
    await expect(h.service.cancelItem(batch.id, ids[1]!, 'Already produced', ACTOR)).rejects.toMatchObject({ code: 'JOB_STATE' });
    const cancels = h.ts.station.store.audit.list({ jobId: failed.jobId! }).filter((e) => e.action === 'batch.item.cancelled');
    expect(cancels).toHaveLength(1);
    expect(cancels[0]).toMatchObject({ actor: 'prod.admin', details: { batchId: batch.id, batch: batchNumberText(batch.number), requestId: ids[0], reason: 'Card damaged by the printer' } });
  });

  test('start refuses duplicates, unknown or unapproved requests, the officer\'s own card, and a request already in a batch', async () => {
    const h = await harness([READER_A]);
    const [r1, r3] = h.addRequests(2);
    await expect(h.service.start([r1!, r1!], 'all', ACTOR)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(h.service.start(['00000000-0000-4000-8000-000000000000'], 'all', ACTOR)).rejects.toMatchObject({ code: 'NOT_FOUND_RECORD' });
    const employee = h.ts.station.store.persons.add({ givenName: 'Eve', surname: 'Pending', affiliation: 'employee' });
    const pending = h.ts.station.requests.create({ personId: employee.id, profile: 'employee' }, { kind: 'idprs' });
    expect(pending.state).toBe('requested');
    await expect(h.service.start([r1!, pending.id], 'all', ACTOR)).rejects.toMatchObject({ code: 'REQUEST_STATE' });
    const self = productionOfficer(h.ts.station, 'ada', h.ts.station.store.requests.get(r3!)!.personId);
    await expect(h.service.start([r3!], 'all', self)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/cannot produce a card for yourself/) });
    const refusal = h.ts.station.store.audit.list({ personId: self.personId! }).find((e) => e.action === 'batch.start');
    expect(refusal).toMatchObject({ actor: 'ada', outcome: 'refused', details: { requestId: r3, rule: 'produceForSelf' } });
    const b = await h.service.start([r1!], 'all', ACTOR);
    await expect(h.service.start([r1!], 'all', ACTOR)).rejects.toMatchObject({ code: 'REQUEST_STATE', details: { batchId: b.id } });
    expect(h.service.list().map((x) => x.id)).toEqual([b.id]);
  });

  test('readers: a named-reader batch ignores other readers; the training reader joins "all" only on training stations', async () => {
    const h = await harness();
    const ids = h.addRequests(1);
    const batch = await h.service.start(ids, [READER_B], ACTOR);
    await insert(h, READER_A, VirtualPivCard.create());
    expect(h.service.get(batch.id).items[0]!.state).toBe('queued');
    await insert(h, READER_B, VirtualPivCard.create());
    expect(h.service.get(batch.id).items[0]!.state).toBe('done');
  });

  test('readers "all" on a non-training station leaves training readers alone', async () => {
    const h = await harness([READER_A], false);
    const ids = h.addRequests(1);
    const batch = await h.service.start(ids, 'all', ACTOR);
    await insert(h, READER_A, VirtualPivCard.create());
    expect(h.service.get(batch.id).items[0]!.state).toBe('queued');
  });
});

describe('BatchService at a desk with one reader (issue 12, observation 2)', () => {
  test('the batch says what to do at the reader, pauses and resumes, shows a rate only from the second card, and a waiting card can be cancelled', async () => {
    const h = await harness([READER_A]);
    const ids = h.addRequests(3);
    const batch = await h.service.start(ids, [READER_A], ACTOR);
    await settle(h);
    let view = h.service.get(batch.id);
    expect(view.prompts).toEqual([{ readerName: READER_A, action: 'insert-blank', cardNumber: null, sentence: `Insert a blank card in ${READER_A}.` }]);
    const numbers = ids.map((id) => h.ts.station.store.cards.get(h.ts.station.store.requests.get(id)!.cardId!)!.cardNumber);
    expect(view.items.map((i) => i.cardNumber)).toEqual(numbers);

    await insert(h, READER_A, VirtualPivCard.create());
    view = h.service.get(batch.id);
    expect(view.items.map((i) => i.state)).toEqual(['done', 'queued', 'queued']);
    // The card just produced stays in the reader: the batch names it and asks for the next blank card.
    expect(view.prompts).toEqual([{ readerName: READER_A, action: 'remove', cardNumber: numbers[0], sentence: `Remove card ${numbers[0]} from ${READER_A} and insert a blank card.` }]);
    // One card's time is the set-up, not a rate.
    expect(view.cardsPerHour).toBeNull();

    // Paused: no prompt, and a blank card inserted meanwhile is left alone.
    view = await h.service.setPaused(batch.id, true, ACTOR);
    expect(view).toMatchObject({ status: 'paused', prompts: [] });
    await expect(h.service.setPaused(batch.id, true, ACTOR)).rejects.toMatchObject({ code: 'JOB_STATE' });
    h.readers.reader(READER_A).remove();
    await insert(h, READER_A, VirtualPivCard.create());
    expect(h.service.get(batch.id).items.map((i) => i.state)).toEqual(['done', 'queued', 'queued']);
    // Resumed: the blank card already in the reader is taken at once.
    await h.service.setPaused(batch.id, false, ACTOR);
    await settle(h);
    view = h.service.get(batch.id);
    expect(view.items.map((i) => i.state)).toEqual(['done', 'done', 'queued']);
    expect(view.cardsPerHour).toBeGreaterThan(0);
    expect(view.prompts[0]).toMatchObject({ action: 'remove', cardNumber: numbers[1] });
    await expect(h.service.setPaused(batch.id, false, ACTOR)).rejects.toMatchObject({ code: 'JOB_STATE' });

    // The last card waits for a blank card: the officer cancels it instead; the batch is finished.
    view = await h.service.cancelItem(batch.id, ids[2]!, 'the cardholder left the agency', ACTOR);
    expect(view).toMatchObject({ status: 'done', prompts: [] });
    expect(view.items.map((i) => i.state)).toEqual(['done', 'done', 'cancelled']);
    const audit = h.ts.station.store.audit.list({}).map((e) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['batch.paused', 'batch.resumed', 'batch.item.cancelled']));
  });

  test('a card that is not blank is named as one to take out', async () => {
    const h = await harness([READER_A]);
    const [first, second] = h.addRequests(2);
    const produced = VirtualPivCard.create();
    const one = await h.service.start([first!], [READER_A], ACTOR);
    await insert(h, READER_A, produced);
    expect(h.service.get(one.id).status).toBe('done');
    // A new batch finds the issued card in the reader: it is not taken, and the officer is told to replace it.
    h.readers.reader(READER_A).remove();
    const two = await h.service.start([second!], [READER_A], ACTOR);
    await insert(h, READER_A, produced);
    const view = h.service.get(two.id);
    expect(view.items[0]!.state).toBe('queued');
    expect(view.prompts).toEqual([{ readerName: READER_A, action: 'remove', cardNumber: null, sentence: `The card in ${READER_A} is already issued or locked by this station: remove it and insert a blank card.` }]);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}
