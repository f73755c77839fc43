/**
 * Finding 2 (issue 10): nobody for themselves through the lifecycle. An
 * officer whose own person record holds a card may not reissue it, unlock it,
 * resume it, activate it or take the one-time secrets of its production; each
 * refusal changes nothing (the card, its certificates and the store stay as
 * they were) and is audited. Ending or pausing one's own card (revoke,
 * suspend) stays allowed: reporting one's own card lost must never wait.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { CardRequestView } from '../../../../electron/contract/station-api.js';
import { openDesk, PIN, type Desk } from './desk.js';

let desk: Desk | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

/** A desk with a produced card for `holder`, whose security officer `self` is linked to that person. */
async function cardOfAnOfficer() {
  desk = await openDesk();
  const d = desk;
  const holder = d.t.addPerson({ affiliation: 'employee' });
  await d.officer('registrar', ['registration']);
  await d.officer('approver', ['approver']);
  await d.officer('producer', ['production']);
  await d.officer('self', ['security', 'production'], holder);
  await d.officer('colleague', ['security', 'production']);
  const request = await d.ok<CardRequestView>('registrar', 'requests.create', { personId: holder, profile: 'employee' });
  const approved = await d.ok<CardRequestView>('approver', 'requests.approve', { requestId: request.id });
  const { jobId } = await d.ok<{ jobId: string }>('producer', 'requests.produce', { requestId: request.id, readerName: d.t.readerName, pin: PIN });
  await d.idle();
  return { d, holder, cardId: approved.cardId!, jobId };
}

/** What a refused call must leave as it was. */
function state(d: Desk, holder: string) {
  const { store } = d.t.station;
  return {
    cards: store.cards.listByPerson(holder).map((c) => [c.id, c.status, c.lifecycleBy]),
    certificates: store.db.prepare('SELECT serial, status FROM certificates ORDER BY serial').all(),
    requests: store.requests.list({ personId: holder }).map((r) => [r.id, r.state]),
    jobs: store.jobs.list().length,
  };
}

describe('finding 2: no officer reissues, unlocks, resumes, activates or takes the secrets of their own card', () => {
  test('reissue, unlock and activate of their own card are refused before the card or the CA is touched', async () => {
    const { d, holder, cardId } = await cardOfAnOfficer();
    const before = state(d, holder);
    d.blank();
    expect(await d.call('self', 'cards.reissue', { card: cardId, reason: 'lost', readerName: d.t.readerName, pin: PIN })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { rule: 'reissueForSelf' } },
    });
    expect(state(d, holder)).toEqual(before);
    // The card itself back in the reader: unlock and activation are refused too.
    d.t.reader.insert(d.t.card);
    expect(await d.call('self', 'cards.unlock', { readerName: d.t.readerName, newPin: '135792' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'unlockForSelf' } } });
    expect(await d.call('self', 'cards.activate', { readerName: d.t.readerName, pin: PIN })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'activateForSelf' } } });
    expect(state(d, holder)).toEqual(before);
    const refused = d.t.station.store.audit.list({ cardId }).filter((e) => e.outcome === 'refused' && e.actor === 'self');
    expect(refused.map((e) => [e.action, e.details?.rule])).toEqual([
      ['card.reissue', 'reissueForSelf'],
      ['card.unlock', 'unlockForSelf'],
      ['card.activate', 'activateForSelf'],
    ]);
    // Another security officer does each of them.
    await d.ok('colleague', 'cards.activate', { readerName: d.t.readerName, pin: PIN });
    expect(d.t.station.store.cards.get(cardId)).toMatchObject({ status: 'active', lifecycleBy: d.t.station.store.officers.getByUsername('colleague')!.id });
  });

  test('suspending their own card is allowed (protective); resuming it is not', async () => {
    const { d, cardId } = await cardOfAnOfficer();
    expect((await d.ok<{ status: string }>('self', 'cards.suspend', { card: cardId })).status).toBe('suspended');
    expect(await d.call('self', 'cards.resume', { card: cardId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'resumeForSelf' } } });
    expect(d.t.station.store.cards.get(cardId)?.status).toBe('suspended');
    expect((await d.ok<{ status: string }>('colleague', 'cards.resume', { card: cardId })).status).toBe('produced');
  });

  test('a reissue by another officer gives the secrets to that officer; the cardholder-officer cannot take them', async () => {
    const { d, cardId } = await cardOfAnOfficer();
    d.blank();
    const reissued = await d.ok<{ jobId: string; cardId: string }>('colleague', 'cards.reissue', { card: cardId, reason: 'damaged', readerName: d.t.readerName });
    await d.idle();
    expect(d.t.station.store.cards.get(reissued.cardId)).toMatchObject({ status: 'produced', approvedBy: d.t.station.store.officers.getByUsername('approver')!.id });
    expect(await d.call('self', 'jobs.takeSecrets', { jobId: reissued.jobId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'takeSecretsForSelf' } } });
    const secrets = await d.ok<{ puk?: string; pin?: string }>('colleague', 'jobs.takeSecrets', { jobId: reissued.jobId });
    expect(secrets.puk).toMatch(/^\d{8}$/);
    expect(secrets.pin).toMatch(/^\d{6,8}$/);
  });

  test('the approver of a card may not reissue it: the replacement keeps that approval and its producer must be someone else', async () => {
    const { d, cardId } = await cardOfAnOfficer();
    await d.officer('approving.security', ['security', 'approver']);
    const second = d.t.addPerson({ affiliation: 'employee' });
    const request = await d.ok<CardRequestView>('registrar', 'requests.create', { personId: second, profile: 'employee' });
    const approved = await d.ok<CardRequestView>('approving.security', 'requests.approve', { requestId: request.id });
    d.blank();
    await d.ok('producer', 'requests.produce', { requestId: request.id, readerName: d.t.readerName, pin: PIN });
    await d.idle();
    d.blank();
    expect(await d.call('approving.security', 'cards.reissue', { card: approved.cardId!, reason: 'damaged', readerName: d.t.readerName })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { rule: 'produceOwnApproval' } },
    });
    expect(d.t.station.store.cards.get(approved.cardId!)?.status).toBe('produced');
    expect(d.t.station.store.cards.get(cardId)?.status).toBe('produced');
  });
});
