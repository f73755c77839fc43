// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ApprovalsScreen } from '../../../../../renderer/src/features/approvals/ApprovalsScreen';
import { ApiError } from '../../../../../renderer/src/api-error';
import { cardRequest, createFakeApi, flush, officer } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';
import type { CardRequestView } from '../../../../../electron/contract/station-api';
import { dateTimeText } from '../../../../../renderer/src/words/dates';

afterEach(cleanup);

const me = officer({ id: 'o-9', username: 'alan', displayName: 'Alan Turing', roles: ['approver'], personId: 'p-alan' });

function setup(requests: CardRequestView[]) {
  const core = { requests };
  const api = createFakeApi({
    'requests.list': (i) => core.requests.filter((r) => !i.state || i.state.includes(r.state)),
    'requests.approve': (i) => {
      const r = core.requests.find((x) => x.id === i.requestId)!;
      Object.assign(r, { state: 'approved', cardNumber: '00000001' });
      return r;
    },
    'requests.reject': (i) => {
      const r = core.requests.find((x) => x.id === i.requestId)!;
      Object.assign(r, { state: 'rejected', decisionReason: i.reason });
      return r;
    },
  });
  const r = renderWithStores(<ApprovalsScreen />, api);
  r.stores.requests.getState().start();
  act(() => r.stores.session.setState({ loaded: true, officer: me }));
  return { api, core, ...r };
}

const row = (id: string) => screen.getAllByTestId('request-row').find((r) => r.getAttribute('data-request-id') === id)!;

describe('ApprovalsScreen', () => {
  it('disables Approve, with the rule in words, for a request the officer created or one for themselves', async () => {
    setup([
      cardRequest({ id: 'mine', requestedBy: 'alan', requesterId: 'o-9', personName: 'Someone Else' }),
      cardRequest({ id: 'for-me', personId: 'p-alan', personName: 'Alan Turing' }),
      cardRequest({ id: 'fine', personName: 'Ada Lovelace' }),
    ]);
    await waitFor(() => expect(screen.getAllByTestId('request-row')).toHaveLength(3));

    for (const id of ['mine']) {
      const button = within(row(id)).getByTestId('approve-button') as HTMLButtonElement;
      expect(button.disabled).toBe(true);
      expect(within(row(id)).getByTestId('approve-blocked').textContent).toBe('You created this request: another approver must approve it.');
      // Screen readers hear why.
      expect(document.getElementById(button.getAttribute('aria-describedby')!)?.textContent).toContain('another approver');
    }
    expect((within(row('for-me')).getByTestId('approve-button') as HTMLButtonElement).disabled).toBe(true);
    expect(within(row('for-me')).getByTestId('approve-blocked').textContent).toBe('This request is for your own card: another approver must approve it.');
    expect((within(row('fine')).getByTestId('approve-button') as HTMLButtonElement).disabled).toBe(false);
    expect(within(row('fine')).queryByTestId('approve-blocked')).toBeNull();
    // Rejecting stays possible for every request.
    expect((within(row('mine')).getByTestId('reject-button') as HTMLButtonElement).disabled).toBe(false);
  });

  it('approves a request: confirmed in words with its card number, the approver stays on the list with its count', async () => {
    const { api } = setup([cardRequest({ id: 'req-1' }), cardRequest({ id: 'req-2', personName: 'Grace Hopper' })]);
    await waitFor(() => expect(screen.getAllByTestId('request-row')).toHaveLength(2));
    expect(screen.getByTestId('approvals-pending-count').textContent).toBe('2 requests wait for a decision');
    expect(screen.queryByTestId('approval-notice')).toBeNull();
    await userEvent.setup().click(within(row('req-1')).getByTestId('approve-button'));
    await waitFor(() => expect(screen.getAllByTestId('request-row').map((r) => r.getAttribute('data-request-id'))).toEqual(['req-2']));
    expect(api.callsTo('requests.approve')).toEqual([{ requestId: 'req-1' }]);
    const notice = screen.getByTestId('approval-notice');
    expect(notice.textContent).toBe('Approved: card 00000001 for Ada Lovelace.');
    expect(document.activeElement).toBe(notice);
    expect(screen.getByTestId('approvals-pending-count').textContent).toBe('1 request waits for a decision');
  });

  it('shows who requested, when, through which channel, and the person’s identifiers beside the photo', async () => {
    setup([
      cardRequest({ id: 'desk', requestedBy: 'regina', createdAt: '2025-03-01T10:05:00.000Z', person: { affiliation: 'employee', employeeId: 'E-1815', email: 'ada@example.test' } }),
      cardRequest({ id: 'kiosk', source: 'kiosk', requestedBy: null, requesterId: null, person: { affiliation: 'contractor', employeeId: null, email: null } }),
      cardRequest({ id: 'idprs', source: 'idprs', requestedBy: null, requesterId: null, person: null }),
    ]);
    await waitFor(() => expect(screen.getAllByTestId('request-row')).toHaveLength(3));
    const desk = within(row('desk'));
    expect(desk.getByTestId('approval-channel').textContent).toBe('At the desk, by regina');
    expect(desk.getByTestId('approval-requested-at').textContent).toBe(dateTimeText('2025-03-01T10:05:00.000Z'));
    expect(desk.getByTestId('approval-person-employee-id').textContent).toBe('E-1815');
    expect(desk.getByTestId('approval-person-email').textContent).toBe('ada@example.test');
    expect(desk.getByTestId('approval-person-affiliation').textContent).toBe('Employee');
    expect(desk.getByTestId(/person-photo/).getAttribute('data-person-id')).toBe('p-1');
    expect(within(row('kiosk')).getByTestId('approval-channel').textContent).toBe('At the kiosk, by the cardholder');
    expect(within(row('kiosk')).getByTestId('approval-person-employee-id').textContent).toBe('none recorded');
    expect(within(row('idprs')).getByTestId('approval-channel').textContent).toBe('From the identity registration system (IDPRS)');
    expect(row('idprs').textContent).toContain('The person record is gone.');
  });

  it('shows the core’s refusal beside the request', async () => {
    const { api } = setup([cardRequest({ id: 'req-1' })]);
    api.handlers['requests.approve'] = () => {
      throw new ApiError({ code: 'FORBIDDEN', message: 'An approver cannot approve a request they created.' });
    };
    await waitFor(() => screen.getByTestId('request-row'));
    await userEvent.setup().click(screen.getByTestId('approve-button'));
    expect((await screen.findByTestId('approval-error')).textContent).toBe('An approver cannot approve a request they created.');
    expect(screen.getByTestId('request-row').getAttribute('data-state')).toBe('requested');
  });

  it('rejects only with a reason, and the list follows request.changed', async () => {
    const { api, core } = setup([cardRequest({ id: 'req-1' })]);
    await waitFor(() => screen.getByTestId('request-row'));
    const user = userEvent.setup();
    await user.click(screen.getByTestId('reject-button'));
    expect((screen.getByTestId('reject-confirm') as HTMLButtonElement).disabled).toBe(true);
    await user.type(screen.getByTestId('reject-reason'), 'No');
    expect((screen.getByTestId('reject-confirm') as HTMLButtonElement).disabled).toBe(true);
    await user.type(screen.getByTestId('reject-reason'), ' badge needed');
    await user.click(screen.getByTestId('reject-confirm'));
    await waitFor(() => expect(screen.queryByTestId('request-row')).toBeNull());
    expect(api.callsTo('requests.reject')).toEqual([{ requestId: 'req-1', reason: 'No badge needed' }]);

    // Another approver's station added a request: the event brings it in.
    core.requests.push(cardRequest({ id: 'req-3', personName: 'New Person' }));
    act(() => api.emit('request.changed', { requestId: 'req-3', state: 'requested' }));
    await act(flush);
    // The event reloads only lists the store has loaded; this screen's is one of them.
    await waitFor(() => expect(screen.getAllByTestId('request-row').map((r) => r.getAttribute('data-request-id'))).toEqual(['req-3']));
  });
});
