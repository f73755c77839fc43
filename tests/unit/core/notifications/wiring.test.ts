/**
 * The services write their outbox events in the transaction of the change:
 * request created / approved / rejected / deleted, card produced, production
 * failed, job cancelled (training station, in-process training reader).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { outboxRepository } from '../../../../electron/core/notifications/outbox.js';
import type { Caller, Role } from '../../../../electron/core/workflow/types.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';

const PASSWORD = 'a long enough passphrase';
const PIN = '481516';

let ts: TrainingStation | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

async function officers(t: TrainingStation) {
  const { officers: svc } = t.station;
  const admin = await svc.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, { kind: 'anonymous' });
  const asAdmin: Caller = { kind: 'officer', officer: admin, sessionId: 'setup' };
  const caller = async (username: string, roles: Role[]): Promise<Caller> => ({
    kind: 'officer',
    officer: await svc.add({ username, displayName: username, password: PASSWORD, roles }, asAdmin),
    sessionId: username,
  });
  return { registrar: await caller('registrar', ['registration']), approver: await caller('approver', ['approver']), producer: await caller('producer', ['production']) };
}

const events = (t: TrainingStation) => outboxRepository(t.station.store.db).list().map((e) => [e.type, e.seq, e.cardId, e.requestId]);

describe('outbox events of the workflow', () => {
  test('request created → approved → produced: three events of the person stream, in order, with the card and request', async () => {
    ts = await openTrainingStation();
    const o = await officers(ts);
    const personId = ts.addPerson();
    const { requests, production } = ts.station;
    const created = requests.create({ personId, profile: 'employee' }, o.registrar);
    const approved = requests.approve(created.id, o.approver);
    const cardId = approved.cardId!;
    expect(events(ts)).toEqual([
      ['request.created', 1, null, created.id],
      ['request.approved', 2, cardId, created.id],
    ]);
    const start = requests.startProduction(created.id, ts.readerName, PIN, o.producer);
    const outcome = await production.retry(start.job.id, ts.readerName, PIN);
    expect(outcome.job.status).toBe('done');
    expect(events(ts)).toEqual([
      ['request.created', 1, null, created.id],
      ['request.approved', 2, cardId, created.id],
      ['card.produced', 3, cardId, created.id],
    ]);
    const produced = outboxRepository(ts.station.store.db).list().at(-1)!.payload;
    expect(produced).toMatchObject({ type: 'card.produced', card: { id: cardId, status: 'produced', cardNumber: approved.cardNumber }, request: { id: created.id }, person: { id: personId } });
    // Never a secret in a payload: the escrowed PUK and the PIN do not appear.
    expect(JSON.stringify(produced)).not.toContain(PIN);
  }, 120_000);

  test('request rejected: one event with the reason', async () => {
    ts = await openTrainingStation();
    const o = await officers(ts);
    const personId = ts.addPerson();
    const r = ts.station.requests.create({ personId, profile: 'employee' }, o.registrar);
    ts.station.requests.reject(r.id, 'Identity documents missing.', o.approver);
    const list = outboxRepository(ts.station.store.db).list();
    expect(list.map((e) => e.type)).toEqual(['request.created', 'request.rejected']);
    expect(list[1]!.payload.data).toEqual({ reason: 'Identity documents missing.' });
    expect(list[1]!.payload.request).toMatchObject({ state: 'rejected' });
  });

  test('a failed production is reported once, a cancelled job once', async () => {
    ts = await openTrainingStation();
    const o = await officers(ts);
    const personId = ts.addPerson();
    const { requests, production } = ts.station;
    const r = requests.create({ personId, profile: 'employee' }, o.registrar);
    requests.approve(r.id, o.approver);
    const start = requests.startProduction(r.id, ts.readerName, PIN, o.producer);
    ts.reader.remove();
    expect((await production.retry(start.job.id, ts.readerName, PIN)).job.status).toBe('failed');
    expect((await production.retry(start.job.id, ts.readerName, PIN)).job.status).toBe('failed');
    await production.cancel(start.job.id, 'The cardholder left.');
    expect(events(ts).map((e) => e[0])).toEqual(['request.created', 'request.approved', 'card.production_failed', 'card.cancelled']);
  }, 120_000);

  test('a change that fails leaves no event', async () => {
    ts = await openTrainingStation();
    const o = await officers(ts);
    const personId = ts.addPerson();
    const r = ts.station.requests.create({ personId, profile: 'employee' }, o.registrar);
    ts.station.requests.reject(r.id, 'Identity documents missing.', o.approver);
    expect(() => ts!.station.requests.approve(r.id, o.approver)).toThrow(/rejected/);
    expect(events(ts).map((e) => e[0])).toEqual(['request.created', 'request.rejected']);
  });
});
