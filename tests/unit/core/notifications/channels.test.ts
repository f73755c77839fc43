/**
 * The outbox channels through the core's dispatch (issue 5 "dead-letter
 * view"): outbox.list by status, person, card and page; outbox.redeliver of
 * one dead letter or all, each audited with the officer, event, person and
 * card; a refused redelivery is audited and changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxEventView } from '../../../../electron/contract/station-api.js';
import { outboxRepository } from '../../../../electron/core/notifications/outbox.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

type ListValue = { events: OutboxEventView[]; total: number; counts: { pending: number; delivered: number; dead: number } };

async function station() {
  t = await openTrainingStation();
  await t.login();
  const core = t.station.core();
  const ada = t.addPerson({ givenName: 'Ada' });
  const bob = t.addPerson({ givenName: 'Bob' });
  // Ada: request.created then request.rejected; Bob: request.created.
  const created: string[] = [];
  for (const personId of [ada, bob]) {
    const r = await core.dispatch('requests.create', { personId, profile: 'employee' });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (r.ok) created.push((r.value as { id: string }).id);
  }
  expect((await core.dispatch('requests.reject', { requestId: created[0], reason: 'documents missing' })).ok).toBe(true);
  const outbox = outboxRepository(t.station.store.db);
  return { core, ada, bob, outbox, store: t.station.store };
}

async function list(core: Awaited<ReturnType<typeof station>>['core'], input: Record<string, unknown>): Promise<ListValue> {
  const r = await core.dispatch('outbox.list', input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as ListValue;
}

describe('outbox channels', () => {
  it('lists one status at a time, by person, a page at a time, with the counts', async () => {
    const { core, ada, bob, outbox } = await station();
    const pending = await list(core, { status: 'pending' });
    expect(pending.total).toBe(3);
    expect(pending.counts).toEqual({ pending: 3, delivered: 0, dead: 0 });
    expect(pending.events[0]).toMatchObject({ type: expect.stringMatching(/^request\./), status: 'pending', personName: expect.stringMatching(/^(Ada|Bob) /), attempts: 0, lastError: null });

    const adas = await list(core, { status: 'pending', personId: ada });
    expect(adas.total).toBe(2);
    expect(adas.events.map((e) => e.seq)).toEqual([1, 2]);
    const page2 = await list(core, { status: 'pending', personId: ada, offset: 1, limit: 1 });
    expect(page2).toMatchObject({ total: 2, events: [{ personId: ada, seq: 2 }] });

    const bobsEvent = (await list(core, { status: 'pending', personId: bob })).events[0]!;
    outbox.markDead(bobsEvent.id, 'The IDPRS answered HTTP 400. The IDPRS refused the event.', new Date());
    const dead = await list(core, { status: 'dead' });
    expect(dead).toMatchObject({ total: 1, counts: { pending: 2, dead: 1 }, events: [{ id: bobsEvent.id, status: 'dead', lastError: expect.stringContaining('HTTP 400') }] });
    expect((await list(core, { status: 'delivered' })).total).toBe(0);
  });

  it('redelivers one dead letter, audited; a letter that is not dead is refused, audited, unchanged', async () => {
    const { core, bob, outbox, store } = await station();
    const event = (await list(core, { status: 'pending', personId: bob })).events[0]!;
    outbox.claim(event.id, new Date(), new Date());
    outbox.markDead(event.id, 'Gave up after 1 attempts.', new Date());

    const r = await core.dispatch('outbox.redeliver', { eventId: event.id });
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true, value: { redelivered: [{ id: event.id, status: 'pending', attempts: 0 }] } });
    expect(outbox.get(event.id)).toMatchObject({ status: 'pending', attempts: 0 });
    const audited = store.audit.query({ actor: 'tester' }).filter((e) => e.action === 'notification.redelivered');
    expect(audited).toEqual([expect.objectContaining({ outcome: 'ok', personId: bob, details: expect.objectContaining({ eventId: event.id, type: 'request.created' }) })]);

    const again = await core.dispatch('outbox.redeliver', { eventId: event.id });
    expect(again).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/only a dead letter/) } });
    const missing = await core.dispatch('outbox.redeliver', { eventId: '00000000-0000-4000-8000-000000000000' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_FOUND_RECORD' } });
    const refusals = store.audit.query({ actor: 'tester' }).filter((e) => e.action === 'notification.redelivered' && e.outcome === 'refused');
    expect(refusals.map((e) => [e.personId, e.details?.code])).toEqual([
      [bob, 'INVALID_INPUT'],
      [null, 'NOT_FOUND_RECORD'],
    ]);
    expect(outbox.get(event.id)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('redelivers every dead letter, one audit event each', async () => {
    const { core, outbox, store } = await station();
    const all = (await list(core, { status: 'pending' })).events;
    for (const e of all.slice(0, 2)) outbox.markDead(e.id, 'Gave up.', new Date());
    const r = await core.dispatch('outbox.redeliver', { allDead: true });
    expect(r.ok && (r.value as { redelivered: OutboxEventView[] }).redelivered.map((e) => e.id).sort()).toEqual(all.slice(0, 2).map((e) => e.id).sort());
    expect(outbox.counts()).toEqual({ pending: 3, delivered: 0, dead: 0 });
    expect(store.audit.query({ actor: 'tester' }).filter((e) => e.action === 'notification.redelivered' && e.outcome === 'ok')).toHaveLength(2);
    // Nothing dead any more: an empty redelivery, nothing audited.
    expect(await core.dispatch('outbox.redeliver', { allDead: true })).toMatchObject({ ok: true, value: { redelivered: [] } });
  });

  it('asks for exactly one target', async () => {
    const { core } = await station();
    for (const input of [{}, { eventId: 'e-1', allDead: true }, { allDead: false }]) {
      expect(await core.dispatch('outbox.redeliver', input), JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    const r = await core.dispatch('outbox.redeliver', {});
    expect(!r.ok && r.error.message).toMatch(/Name one dead letter/);
  });

  it('polling outbox.list does not keep an unattended session from locking', async () => {
    let now = Date.parse('2025-06-01T08:00:00.000Z');
    t = await openTrainingStation({}, { now: () => new Date(now), config: { sessionLockMinutes: 5 } });
    const core = t.station.core();
    await t.login(core, 'window');
    for (let i = 0; i < 4; i++) {
      now += 60_000;
      expect((await core.dispatch('outbox.list', { status: 'pending' }, 'window')).ok).toBe(true);
    }
    // Five minutes after the login, polls only in between: locked.
    now += 60_000;
    expect(await core.dispatch('outbox.list', { status: 'pending' }, 'window')).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
    // An officer's own call still counts: after it, the session stays open past the same span.
    await t.login(core, 'window');
    now += 4 * 60_000;
    expect((await core.dispatch('audit.verify', {}, 'window')).ok).toBe(true);
    now += 4 * 60_000;
    expect((await core.dispatch('outbox.list', { status: 'pending' }, 'window')).ok).toBe(true);
  });
});
