// @vitest-environment jsdom
import { dateTimeText } from '../../../../../renderer/src/words/dates';
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxEventView } from '../../../../../electron/contract/station-api';
import { OutboxScreen } from '../../../../../renderer/src/features/outbox/OutboxScreen';
import { ApiError } from '../../../../../renderer/src/api-error';
import { createFakeApi, officer } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';

afterEach(cleanup);

const event = (over: Partial<OutboxEventView> = {}): OutboxEventView => ({
  id: 'e-1',
  type: 'card.produced',
  status: 'pending',
  stream: 'person:p-1',
  seq: 1,
  personId: 'p-1',
  personName: 'Ada Lovelace',
  cardId: 'c-1',
  cardNumber: '00000042',
  requestId: null,
  attempts: 0,
  createdAt: '2025-03-01T10:00:00.000Z',
  nextAttemptAt: '2025-03-01T10:00:00.000Z',
  lastAttemptAt: null,
  deliveredAt: null,
  deadAt: null,
  lastError: null,
  ...over,
});

/** A fake core outbox: events by id; redeliver moves dead letters back to pending as the core does. */
const CONFIGURED = { configured: true, missing: [], sentence: null };
const NOT_CONFIGURED = {
  configured: false,
  missing: ['url', 'secret'] as ('url' | 'secret')[],
  sentence: 'Delivery to the identity registration system (IDPRS) is not configured: set the endpoint.',
};

function fakeOutbox(events: OutboxEventView[], delivery: { configured: boolean; missing: ('url' | 'secret')[]; sentence: string | null } = CONFIGURED) {
  const byId = new Map(events.map((e) => [e.id, e]));
  const counts = () => ({
    pending: [...byId.values()].filter((e) => e.status === 'pending').length,
    delivered: [...byId.values()].filter((e) => e.status === 'delivered').length,
    dead: [...byId.values()].filter((e) => e.status === 'dead').length,
  });
  const revive = (e: OutboxEventView) => {
    const back = { ...e, status: 'pending' as const, attempts: 0, deadAt: null };
    byId.set(e.id, back);
    return back;
  };
  return createFakeApi({
    'auth.status': () => ({ firstRun: false, officer: officer({ roles: ['security'] }), locked: false, lockAfterSeconds: 900 }),
    'outbox.list': ({ status, offset = 0, limit = 50 }) => {
      const all = [...byId.values()].filter((e) => e.status === status);
      return { events: all.slice(offset, offset + limit), total: all.length, counts: counts(), delivery };
    },
    'outbox.redeliver': (input) => {
      if ('eventId' in input && input.eventId) {
        const e = byId.get(input.eventId);
        if (!e || e.status !== 'dead') throw new ApiError({ code: 'INVALID_INPUT', message: 'This notification is pending; only a dead letter can be redelivered.' });
        return { redelivered: [revive(e)] };
      }
      return { redelivered: [...byId.values()].filter((e) => e.status === 'dead').map(revive) };
    },
  });
}

async function asOfficer(api: ReturnType<typeof createFakeApi>, roles: ReturnType<typeof officer>['roles']) {
  const r = renderWithStores(<OutboxScreen />, api);
  await act(async () => {
    r.stores.session.setState({ officer: officer({ roles }), loaded: true });
  });
  return r;
}

describe('OutboxScreen', () => {
  it('shows each tab with its count, and an event’s type, card, person, attempts, last error and next attempt', async () => {
    const api = fakeOutbox([
      event({ id: 'e-1', attempts: 3, lastError: 'The IDPRS answered HTTP 503.', nextAttemptAt: '2025-03-01T10:05:00.000Z' }),
      event({ id: 'e-2', type: 'request.rejected', status: 'delivered', cardId: null, cardNumber: null, personName: 'Bob Babbage', deliveredAt: '2025-03-01T10:01:00.000Z' }),
      event({ id: 'e-3', type: 'card.revoked', status: 'dead', attempts: 12, lastError: 'The IDPRS answered HTTP 400. The IDPRS refused the event.', deadAt: '2025-03-01T11:00:00.000Z' }),
    ]);
    await asOfficer(api, ['security']);
    await waitFor(() => expect(screen.getAllByTestId('outbox-row')).toHaveLength(1));
    expect(screen.getByTestId('outbox-count-pending').textContent).toBe('(1)');
    expect(screen.getByTestId('outbox-count-delivered').textContent).toBe('(1)');
    expect(screen.getByTestId('outbox-count-dead').textContent).toBe('(1)');
    const row = screen.getByTestId('outbox-row');
    expect(row.getAttribute('data-type')).toBe('card.produced');
    expect(row.textContent).toContain('card.produced');
    expect(screen.getByTestId('outbox-card').textContent).toBe('00000042');
    expect(screen.getByTestId('outbox-person').textContent).toBe('Ada Lovelace');
    expect(screen.getByTestId('outbox-attempts').textContent).toBe('3');
    expect(screen.getByTestId('outbox-last-error').textContent).toBe('The IDPRS answered HTTP 503.');
    expect(screen.getByTestId('outbox-when').textContent).toBe(dateTimeText('2025-03-01T10:05:00.000Z'));
    // Pending events cannot be redelivered.
    expect(screen.queryByTestId('outbox-redeliver')).toBeNull();

    const user = userEvent.setup();
    await user.click(screen.getByTestId('outbox-tab-delivered'));
    await waitFor(() => expect(screen.getByTestId('outbox-row').getAttribute('data-event-id')).toBe('e-2'));
    expect(screen.getByTestId('outbox-card').textContent).toBe('—');
    expect(api.callsTo('outbox.list').at(-1)).toEqual({ status: 'delivered', offset: 0, limit: 25 });
  });

  it('says when the station does not deliver, and pending events wait for that instead of a past next attempt', async () => {
    const api = fakeOutbox([event({ id: 'e-1', nextAttemptAt: '2025-03-01T10:00:00.000Z' })], NOT_CONFIGURED);
    await asOfficer(api, ['security']);
    await waitFor(() => expect(screen.getAllByTestId('outbox-row')).toHaveLength(1));
    expect(screen.getByTestId('outbox-not-configured').textContent).toBe(NOT_CONFIGURED.sentence);
    expect(screen.getByTestId('outbox-when').textContent).toBe('Waits until delivery is configured');
  });

  it('shows no set-up sentence on a delivering station', async () => {
    await asOfficer(fakeOutbox([event()]), ['security']);
    await waitFor(() => expect(screen.getAllByTestId('outbox-row')).toHaveLength(1));
    expect(screen.queryByTestId('outbox-not-configured')).toBeNull();
  });

  it('redelivers one dead letter, then all; the tabs follow', async () => {
    const api = fakeOutbox([
      event({ id: 'd-1', status: 'dead', attempts: 12, lastError: 'Gave up after 12 attempts.', deadAt: '2025-03-01T11:00:00.000Z' }),
      event({ id: 'd-2', seq: 2, status: 'dead', attempts: 12, deadAt: '2025-03-01T11:00:00.000Z' }),
      event({ id: 'd-3', seq: 3, status: 'dead', attempts: 1, deadAt: '2025-03-01T11:00:00.000Z' }),
    ]);
    await asOfficer(api, ['admin']);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('outbox-tab-dead'));
    await waitFor(() => expect(screen.getAllByTestId('outbox-row')).toHaveLength(3));
    await user.click(screen.getAllByTestId('outbox-redeliver')[0]!);
    await waitFor(() => expect(screen.getAllByTestId('outbox-row')).toHaveLength(2));
    expect(api.callsTo('outbox.redeliver')).toEqual([{ eventId: 'd-1' }]);
    expect(screen.getByTestId('outbox-notice').textContent).toBe('1 dead letter is back in the outbox.');
    expect(screen.getByTestId('outbox-count-pending').textContent).toBe('(1)');

    await user.click(screen.getByTestId('outbox-redeliver-all'));
    await waitFor(() => expect(screen.getByTestId('outbox-empty').textContent).toBe('There are no dead letters.'));
    expect(api.callsTo('outbox.redeliver')).toEqual([{ eventId: 'd-1' }, { allDead: true }]);
    expect(screen.getByTestId('outbox-notice').textContent).toBe('2 dead letters are back in the outbox.');
    expect(screen.getByTestId('outbox-count-pending').textContent).toBe('(3)');
    expect(screen.queryByTestId('outbox-redeliver-all')).toBeNull();
  });

  it('an auditor sees the dead letters but no Redeliver; a refusal is shown', async () => {
    const api = fakeOutbox([event({ id: 'd-1', status: 'dead', deadAt: '2025-03-01T11:00:00.000Z' })]);
    const { stores } = await asOfficer(api, ['auditor']);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('outbox-tab-dead'));
    await waitFor(() => expect(screen.getAllByTestId('outbox-row')).toHaveLength(1));
    expect(screen.queryByTestId('outbox-redeliver')).toBeNull();
    expect(screen.queryByTestId('outbox-redeliver-all')).toBeNull();

    api.handlers['outbox.redeliver'] = () => {
      throw new ApiError({ code: 'FORBIDDEN', message: 'This needs one of the roles Administrator or Security officer.' });
    };
    await act(async () => void (await stores.outbox.getState().redeliver('d-1')));
    expect(screen.getByTestId('outbox-action-error').textContent).toMatch(/This needs one of the roles/);
  });

  it('refreshes while open (poll and events) and stops when closed', async () => {
    const api = fakeOutbox([]);
    const { stores, unmount } = renderWithStores(<OutboxScreen />, api);
    await waitFor(() => expect(api.callsTo('outbox.list').length).toBeGreaterThan(0));
    expect(api.listenerCount('request.changed')).toBe(1);
    const before = api.callsTo('outbox.list').length;
    api.handlers['outbox.list'] = () => ({ events: [event({ id: 'new' })], total: 1, counts: { pending: 1, delivered: 0, dead: 0 }, delivery: CONFIGURED });
    await act(async () => api.emit('request.changed', { requestId: 'r-1', state: 'requested' }));
    await waitFor(() => expect(screen.getAllByTestId('outbox-row')).toHaveLength(1));
    expect(api.callsTo('outbox.list').length).toBeGreaterThan(before);
    unmount();
    expect(api.listenerCount('request.changed')).toBe(0);
    expect(api.listenerCount('job.event')).toBe(0);
    // The store's own poll: a short interval brings the next state without any event.
    const stop = stores.outbox.getState().start(10);
    const n = api.callsTo('outbox.list').length;
    await waitFor(() => expect(api.callsTo('outbox.list').length).toBeGreaterThan(n + 1));
    stop();
  });
});
