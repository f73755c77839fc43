/**
 * Tests generated from the state machines (electron/contract/state-machines.ts):
 * for every card lifecycle operation and every card status, the call through
 * the dispatcher succeeds exactly where a row starts from that status and
 * leaves the card in the row's `to` status (resume: the one its suspension
 * recorded); elsewhere it answers CARD_STATE and changes nothing. For every
 * row that the cardholder may not do, an officer linked to the cardholder is
 * refused with `<operation>ForSelf`. The same for the request decisions and
 * request production over every request state. Each case runs on a fresh copy
 * of the model template (a properly issued card and its virtual card).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CARD_TRANSITIONS, REQUEST_TRANSITIONS, transitionsFrom, type CardStatus, type RequestState } from '../../../../electron/contract/state-machines.js';
import { CARD_OPERATIONS, type CardOperation } from '../../../../electron/contract/card-operations.js';
import { CARD_STATUSES } from '../../../../electron/core/store/records.js';
import { REQUEST_STATES } from '../../../../electron/core/workflow/types.js';
import { VirtualPivCard } from '../../../../native/virtual-card/card.js';
import { MODEL_PASSWORD, MODEL_PIN, READER, buildTemplate, openModelStation, type ModelStation, type ModelTemplate } from '../../model/harness.js';

let template: ModelTemplate;
beforeAll(async () => {
  template = await buildTemplate();
}, 120_000);
afterAll(() => template?.remove());

/** A dispatch answer as the cases read it. */
type Answer = { ok: boolean; value: { id: string; cardId: string; state: string }; error?: { code: string } };

/** Officers of a case: `officer` (every lifecycle role), `holder` (the same, linked to the card's person). */
async function caseStation(): Promise<{ s: ModelStation; cardId: string; personId: string; call(who: string, channel: string, input: unknown): Promise<Answer> }> {
  const s = await openModelStation(template, true);
  const card = template.cards[0]!;
  for (const [username, personId] of [
    ['officer', null],
    ['holder', card.personId],
  ] as const) {
    s.station.store.officers.create({ username, displayName: username, passwordHash: template.passwordHash, roles: ['security', 'production', 'registration', 'approver'], personId });
    const r = await s.core.dispatch('auth.login', { username, password: MODEL_PASSWORD }, username);
    if (!r.ok) throw new Error(r.error.message);
  }
  return { s, cardId: card.id, personId: card.personId, call: (who, channel, input) => s.core.dispatch(channel, input, who) as never };
}

/** The input of `cards.<op>` on the template card (desk operations take the card in the reader). */
function inputOf(op: CardOperation, cardId: string): Record<string, unknown> {
  switch (op) {
    case 'revoke':
      return { card: cardId, reason: 'lost' };
    case 'activate':
      return { readerName: READER, pin: MODEL_PIN, card: cardId };
    case 'unlock':
      return { readerName: READER, newPin: '135792', card: cardId };
    case 'recycle':
      return { readerName: READER, card: cardId };
    case 'reissue':
      return { card: cardId, reason: 'damaged', readerName: READER, pin: MODEL_PIN };
    default:
      return { card: cardId };
  }
}

/** Every (operation, status, recorded) case: suspended cards once per status their suspension may have recorded. */
type Case = { op: CardOperation; status: CardStatus; recorded: 'produced' | 'active' | null };
const CASES: Case[] = CARD_OPERATIONS.flatMap((op) =>
  CARD_STATUSES.flatMap((status): Case[] => (status === 'suspended' ? [{ op, status, recorded: 'produced' }, { op, status, recorded: 'active' }] : [{ op, status, recorded: null }])),
);

describe('card state machine, row by row, through the dispatcher', () => {
  test.each(CASES)('cards.$op from $status (suspension recorded: $recorded)', async ({ op, status, recorded }) => {
    const { s, cardId, call } = await caseStation();
    try {
      const { store } = s.station;
      store.db.prepare('UPDATE cards SET status = ?, suspended_from = ? WHERE id = ?').run(status, recorded, cardId);
      // A desk operation finds the card in the reader; a reissue a blank card for the replacement.
      s.reader.insert(op === 'reissue' ? VirtualPivCard.create() : s.templateCards.get(cardId)!);
      const rows = transitionsFrom(CARD_TRANSITIONS, op, status as CardStatus).filter((t) => !t.restoresRecorded || t.to === recorded);
      if (rows.length === 0) {
        expect(await call('officer', `cards.${op}`, inputOf(op, cardId))).toMatchObject({ ok: false, error: { code: 'CARD_STATE' } });
        expect(store.cards.get(cardId)?.status).toBe(status);
        return;
      }
      const row = rows[0]!;
      if (row.distinct?.includes('cardholder')) {
        expect(await call('holder', `cards.${op}`, inputOf(op, cardId))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: `${op}ForSelf` } } });
        expect(store.cards.get(cardId)?.status).toBe(status);
      }
      const r = await call('officer', `cards.${op}`, inputOf(op, cardId));
      expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
      await s.core.idle();
      expect(store.cards.get(cardId)?.status).toBe(row.to);
      if (op === 'reissue') expect(store.cards.get(r.value.cardId)?.status).toBe('produced');
    } finally {
      await s.close();
    }
  });
});

/** A fresh desk request for the template's third person, moved to `state` by the test. */
describe('request state machine, row by row, through the dispatcher', () => {
  const DECISIONS = (['approve', 'reject'] as const).flatMap((op) => REQUEST_STATES.map((state) => ({ op, state })));
  test.each(DECISIONS)('requests.$op from $state', async ({ op, state }) => {
    const { s, call } = await caseStation();
    try {
      const { store } = s.station;
      s.station.store.officers.create({ username: 'registrar', displayName: 'registrar', passwordHash: template.passwordHash, roles: ['registration'] });
      await s.core.dispatch('auth.login', { username: 'registrar', password: MODEL_PASSWORD }, 'registrar');
      const created = await call('registrar', 'requests.create', { personId: template.persons[7]!.id, profile: 'contractor' });
      const id = created.value.id as string;
      store.db.prepare('UPDATE card_requests SET state = ? WHERE id = ?').run(state, id);
      const row = transitionsFrom(REQUEST_TRANSITIONS, op, state as RequestState)[0];
      const input = op === 'approve' ? { requestId: id } : { requestId: id, reason: 'the table says so' };
      const r = await call('officer', `requests.${op}`, input);
      if (!row) {
        expect(r).toMatchObject({ ok: false, error: { code: 'REQUEST_STATE' } });
        expect(store.requests.get(id)?.state).toBe(state);
        return;
      }
      expect(r).toMatchObject({ ok: true });
      expect(store.requests.get(id)?.state).toBe(row.to);
      // The requester may not approve: a row with `requester` in its duties.
      if (row.distinct?.includes('requester')) {
        const own = await call('registrar', 'requests.create', { personId: template.persons[4]!.id, profile: 'employee' });
        store.officers.setRoles(store.officers.getByUsername('registrar')!.id, ['registration', 'approver']);
        expect(await call('registrar', 'requests.approve', { requestId: own.value.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'approveOwnRequest' } } });
      }
    } finally {
      await s.close();
    }
  });

  const PRODUCTIONS = REQUEST_STATES.map((state) => ({ state }));
  test.each(PRODUCTIONS)('requests.produce from $state', async ({ state }) => {
    const { s, call } = await caseStation();
    try {
      const { store } = s.station;
      const created = await call('officer', 'requests.create', { personId: template.persons[3]!.id, profile: 'visitor' });
      const id = created.value.id as string;
      expect(created.value.state).toBe('approved');
      if (state === 'production_failed') {
        // A production that really failed (no card in the reader), so that the row's retry has a failed job to run again.
        const blank = VirtualPivCard.create();
        s.reader.remove();
        const failed = await call('holder', 'requests.produce', { requestId: id, readerName: READER, pin: MODEL_PIN });
        await s.core.idle();
        expect(failed, JSON.stringify(failed)).toMatchObject({ ok: true });
        expect(store.requests.get(id)?.state).toBe('production_failed');
        s.reader.insert(blank);
      } else {
        store.db.prepare('UPDATE card_requests SET state = ? WHERE id = ?').run(state, id);
      }
      const row = transitionsFrom(REQUEST_TRANSITIONS, 'produce', state as RequestState).find((t) => t.by.includes('requests.produce'));
      // The officer requested it: with the agency setting on, the other officer (the cardholder's linked officer is not this person's) produces.
      const r = await call('holder', 'requests.produce', { requestId: id, readerName: READER, pin: MODEL_PIN });
      await s.core.idle();
      if (!row) {
        expect(r).toMatchObject({ ok: false, error: { code: 'REQUEST_STATE' } });
        expect(store.requests.get(id)?.state).toBe(state);
        return;
      }
      expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
      expect(store.requests.get(id)?.state).toBe('produced');
      expect(await call('officer', 'requests.produce', { requestId: id, readerName: READER, pin: MODEL_PIN })).toMatchObject({ ok: false, error: { code: 'REQUEST_STATE' } });
    } finally {
      await s.close();
    }
  });
});
