/**
 * Finding 1 (issue 10): approval bypass by direct issue. A card issued
 * directly (`production.start`, the Issue card screen) is a request like any
 * desk request, under the same approval policy: the profile follows the
 * person's affiliation (administrators map affiliations to profiles), a
 * visitor profile for an employee needs an approver, a rejected request
 * blocks issuance for that person and profile until a new request is
 * approved, and the agency's requester/producer setting (default on) needs a
 * second officer. A refusal changes nothing.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { CardRequestView } from '../../../../electron/contract/station-api.js';
import { openDesk, PIN, type Desk } from './desk.js';

let desk: Desk | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

/** A desk where one officer may request and produce (setting off), with a registration officer and an approver. */
async function singleOfficerDesk() {
  desk = await openDesk({ separationOfDuties: { producerDiffersFromRequester: false } });
  await desk.officer('issuer', ['registration', 'production']);
  await desk.officer('registrar', ['registration']);
  await desk.officer('approver', ['approver']);
  await desk.officer('admin', ['admin']);
  return desk;
}

const counts = (d: Desk) => d.t.station.store.db.prepare('SELECT (SELECT count(*) FROM card_requests) AS requests, (SELECT count(*) FROM cards) AS cards, (SELECT count(*) FROM jobs) AS jobs').get();

describe('finding 1: direct issue follows the approval policy', () => {
  test('a visitor card for an employee whose employee request was just rejected is refused, changing nothing', async () => {
    const d = await singleOfficerDesk();
    const employee = d.t.addPerson({ affiliation: 'employee' });
    const rejected = await d.ok<CardRequestView>('registrar', 'requests.create', { personId: employee, profile: 'employee' });
    await d.ok('approver', 'requests.reject', { requestId: rejected.id, reason: 'not entitled to a card' });
    const before = counts(d);
    const visitor = await d.call('issuer', 'production.start', { personId: employee, readerName: d.t.readerName, profile: 'visitor', pin: PIN });
    expect(visitor).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'approvalRequired', reason: 'affiliation' } } });
    const employeeCard = await d.call('issuer', 'production.start', { personId: employee, readerName: d.t.readerName, pin: PIN });
    expect(employeeCard).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'approvalRequired', reason: 'rejected' } } });
    expect(counts(d)).toEqual(before);
    const refusals = d.t.station.store.audit.list({ personId: employee }).filter((e) => e.action === 'production.start');
    expect(refusals.map((e) => [e.outcome, e.details?.rule])).toEqual([
      ['refused', 'approvalRequired'],
      ['refused', 'approvalRequired'],
    ]);
  });

  test('a rejection stands until a new request is approved: the next request waits for an approver even for a profile that needs none', async () => {
    const d = await singleOfficerDesk();
    const guest = d.t.addPerson({ affiliation: 'visitor' });
    const first = await d.ok<CardRequestView>('registrar', 'requests.create', { personId: guest, profile: 'visitor' });
    expect(first.state).toBe('approved'); // a visitor card for a visitor needs no approver
    await d.ok('admin', 'profiles.update', { id: 'visitor', patch: { approvalRequired: true } });
    const second = await d.ok<CardRequestView>('registrar', 'requests.create', { personId: d.t.addPerson({ affiliation: 'visitor' }), profile: 'visitor' });
    await d.ok('approver', 'requests.reject', { requestId: second.id, reason: 'visit cancelled' });
    await d.ok('admin', 'profiles.update', { id: 'visitor', patch: { approvalRequired: false } });
    const again = await d.ok<CardRequestView>('registrar', 'requests.create', { personId: second.personId, profile: 'visitor' });
    expect(again.state).toBe('requested');
    expect(await d.call('issuer', 'production.start', { personId: second.personId, readerName: d.t.readerName, profile: 'visitor', pin: PIN })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // An approver's approval lifts it: the person's next visitor card needs no approver again.
    const person = d.t.station.store.persons.get(second.personId)!;
    expect(d.t.station.rules.approvalNeeded(person, 'visitor', 'desk')).toBe('rejected');
    await d.ok('approver', 'requests.approve', { requestId: again.id });
    expect(d.t.station.rules.approvalNeeded(person, 'visitor', 'desk')).toBeNull();
  });

  test('direct issue makes the same request record as the desk: requester and producer recorded on the card', async () => {
    const d = await singleOfficerDesk();
    const guest = d.t.addPerson({ affiliation: 'visitor' });
    const { jobId } = await d.ok<{ jobId: string }>('issuer', 'production.start', { personId: guest, readerName: d.t.readerName, pin: PIN });
    await d.idle();
    const job = d.t.station.store.jobs.get(jobId)!;
    expect(job.status).toBe('done');
    const request = d.t.station.store.requests.findByCard(job.cardId)!;
    const issuer = d.t.station.store.officers.getByUsername('issuer')!.id;
    expect(request).toMatchObject({ source: 'desk', requestedBy: issuer, state: 'produced', profile: 'visitor', decidedBy: null });
    expect(d.t.station.store.cards.get(job.cardId)).toMatchObject({ status: 'produced', requestedBy: issuer, approvedBy: null, producedBy: issuer, cardNumber: expect.stringMatching(/^\d{8}$/) });
  });

  test('administrators map affiliations to profiles: a visitor card for a contractor then needs no approver', async () => {
    const d = await singleOfficerDesk();
    const contractor = d.t.addPerson({ affiliation: 'contractor' });
    expect(await d.call('issuer', 'production.start', { personId: contractor, readerName: d.t.readerName, profile: 'visitor', pin: PIN })).toMatchObject({
      ok: false,
      error: { details: { reason: 'affiliation' } },
    });
    await d.ok('admin', 'profiles.update', { id: 'visitor', patch: { affiliations: ['visitor', 'contractor'] } });
    await d.ok('issuer', 'production.start', { personId: contractor, readerName: d.t.readerName, profile: 'visitor', pin: PIN });
    await d.idle();
    expect(d.t.station.store.cards.listByPerson(contractor).map((c) => [c.cardProfile, c.status])).toEqual([['visitor', 'produced']]);
  });

  test('with the agency setting on (the default), the officer who requests a card may not produce it: direct issue is refused, changing nothing', async () => {
    desk = await openDesk();
    const d = desk;
    await d.officer('issuer', ['registration', 'production']);
    const guest = d.t.addPerson({ affiliation: 'visitor' });
    const before = counts(d);
    expect(await d.call('issuer', 'production.start', { personId: guest, readerName: d.t.readerName, pin: PIN })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { rule: 'produceOwnRequest' } },
    });
    expect(counts(d)).toEqual(before);
    // The desk flow with two officers issues the same card.
    await d.officer('registrar', ['registration']);
    const request = await d.ok<CardRequestView>('registrar', 'requests.create', { personId: guest, profile: 'visitor' });
    expect(await d.call('registrar', 'requests.produce', { requestId: request.id, readerName: d.t.readerName, pin: PIN })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await d.ok('issuer', 'requests.produce', { requestId: request.id, readerName: d.t.readerName, pin: PIN });
    await d.idle();
    expect(d.t.station.store.requests.get(request.id)?.state).toBe('produced');
  });
});
