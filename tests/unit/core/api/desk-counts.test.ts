/**
 * station.counts (issue 12, observation 8): what waits at the desk, counted by the core in one
 * look, agrees with the lists the screens show (requests.list, jobs.list, outbox.list), and goes
 * to each officer only for the tasks their roles reach.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { ChannelOutput } from '../../../../electron/contract/station-api.js';
import { outboxRepository } from '../../../../electron/core/notifications/outbox.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';
import { sampleCard } from '../store/helpers.js';

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('station.counts', () => {
  test('counts what waits for approval, production, the queue and delivery, as the lists do', async () => {
    t = await openTrainingStation();
    const admin = await t.login();
    const core = t.station.core();
    const call = async <T>(channel: string, input: unknown, connection = 'local'): Promise<T> => {
      const r = await core.dispatch(channel, input, connection);
      if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
      return r.value as T;
    };
    // Two employee requests (approval needed) from the IDPRS; one approved.
    const first = t.station.requests.create({ personId: t.addPerson({ affiliation: 'employee', surname: 'One' }), profile: 'employee' }, { kind: 'idprs' });
    t.station.requests.create({ personId: t.addPerson({ affiliation: 'employee', surname: 'Two' }), profile: 'employee' }, { kind: 'idprs' });
    await call('requests.approve', { requestId: first.id });
    // Jobs in each unfinished status and a finished one.
    const personId = t.addPerson({ surname: 'Jobs' });
    for (const status of ['pending', 'failed', 'failed', 'done'] as const) {
      const card = t.station.store.cards.create(sampleCard(personId));
      t.station.store.jobs.create({ cardId: card.id, personId, readerName: t.readerName, status }, ['connect']);
    }
    // The station queued notifications for the IDPRS (requests, approval); one of them is dead.
    const outbox = outboxRepository(t.station.store.db);
    const queued = outbox.list({ status: 'pending' });
    expect(queued.length).toBeGreaterThan(1);
    outbox.markDead(queued[0]!.id, 'refused by the IDPRS', new Date());

    const counts = await call<ChannelOutput<'station.counts'>>('station.counts', {});
    expect(counts.approvals).toBe(1);
    expect(counts.produce).toBe(1);
    expect(counts.queue).toEqual({ pending: 1, running: 0, failed: 2 });
    // The same numbers as the screens' lists.
    expect((await call<unknown[]>('requests.list', { state: ['requested'] })).length).toBe(counts.approvals);
    expect((await call<unknown[]>('requests.list', { state: ['approved'] })).length).toBe(counts.produce);
    expect((await call<unknown[]>('jobs.list', { status: ['failed'] })).length).toBe(counts.queue!.failed);
    const { counts: outboxCounts } = await call<ChannelOutput<'outbox.list'>>('outbox.list', { status: 'pending' });
    expect(counts.notifications).toEqual({ pending: outboxCounts.pending, dead: outboxCounts.dead });
    expect(counts.notifications).toEqual({ pending: queued.length - 1, dead: 1 });

    // A registration officer sees the queue only; an auditor the queue and notifications.
    const setup = { kind: 'officer' as const, officer: admin, sessionId: 'setup' };
    await t.station.officers.add({ username: 'clerk', displayName: 'Clerk', password: 'clerk password at the desk', roles: ['registration'] }, setup);
    await call('auth.login', { username: 'clerk', password: 'clerk password at the desk' }, 'clerk');
    expect(await call('station.counts', {}, 'clerk')).toEqual({ approvals: null, produce: null, queue: counts.queue, notifications: null });
    await t.station.officers.add({ username: 'auditor', displayName: 'Auditor', password: 'auditor password at the desk', roles: ['auditor'] }, setup);
    await call('auth.login', { username: 'auditor', password: 'auditor password at the desk' }, 'auditor');
    expect(await call('station.counts', {}, 'auditor')).toEqual({ approvals: null, produce: null, queue: counts.queue, notifications: counts.notifications });
    expect(await core.dispatch('station.counts', {}, 'nobody')).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
  });
});
