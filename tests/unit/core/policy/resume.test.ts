/**
 * Finding 3 (issue 10): resume restores the status its suspension recorded.
 * A produced card never activated ("awaiting collection") comes back awaiting
 * collection, so the cardholder's PIN is still checked at the desk before it
 * is active; an active card comes back active. And (finding 10) activation
 * only verifies the cardholder's PIN: the rules for choosing one never apply.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { CardDetailView, CardRequestView } from '../../../../electron/contract/station-api.js';
import { openDesk, PIN, type Desk } from './desk.js';

let desk: Desk | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

async function producedCard() {
  desk = await openDesk();
  const d = desk;
  await d.officer('registrar', ['registration']);
  await d.officer('approver', ['approver']);
  await d.officer('producer', ['production']);
  await d.officer('security', ['security']);
  const request = await d.ok<CardRequestView>('registrar', 'requests.create', { personId: d.t.addPerson(), profile: 'employee' });
  const approved = await d.ok<CardRequestView>('approver', 'requests.approve', { requestId: request.id });
  await d.ok('producer', 'requests.produce', { requestId: request.id, readerName: d.t.readerName, pin: PIN });
  await d.idle();
  return { d, cardId: approved.cardId! };
}

describe('finding 3: resume goes back to the status the suspension interrupted', () => {
  test('a card awaiting collection comes back awaiting collection, not active; activation still needs the PIN at the desk', async () => {
    const { d, cardId } = await producedCard();
    await d.ok('security', 'cards.suspend', { card: cardId });
    expect(d.t.station.store.cards.get(cardId)).toMatchObject({ status: 'suspended', suspendedFrom: 'produced' });
    const resumed = await d.ok<CardDetailView>('security', 'cards.resume', { card: cardId });
    expect(resumed.status).toBe('produced');
    expect(d.t.station.store.cards.get(cardId)).toMatchObject({ status: 'produced', suspendedFrom: null });
    expect(d.t.station.store.audit.list({ cardId }).find((e) => e.action === 'card.resumed')?.details).toMatchObject({ status: 'produced' });
    expect(await d.call('security', 'cards.activate', { readerName: d.t.readerName, pin: '975318' })).toMatchObject({ ok: false, error: { code: 'WRONG_PIN' } });
    expect((await d.ok<CardDetailView>('security', 'cards.activate', { readerName: d.t.readerName, pin: PIN })).status).toBe('active');
  });

  test('an active card comes back active', async () => {
    const { d, cardId } = await producedCard();
    await d.ok('security', 'cards.activate', { readerName: d.t.readerName, pin: PIN });
    await d.ok('security', 'cards.suspend', { card: cardId });
    expect((await d.ok<CardDetailView>('security', 'cards.resume', { card: cardId })).status).toBe('active');
  });
});

describe('finding 10: activation verifies the PIN on the card and applies no rule for choosing one', () => {
  test('a PIN the choosing rules call guessable (111111) goes to the card: the card answers (here: wrong PIN), not the station', async () => {
    const { d, cardId } = await producedCard();
    expect(await d.call('security', 'cards.activate', { readerName: d.t.readerName, pin: '111111' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PIN', details: { retriesLeft: 2 } },
    });
    expect(d.t.station.store.cards.get(cardId)?.status).toBe('produced');
    // Only its form is checked before it goes to the card.
    expect(await d.call('security', 'cards.activate', { readerName: d.t.readerName, pin: '12345' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
