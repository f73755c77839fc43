// @vitest-environment jsdom
/**
 * The kiosk face in the App: a kiosk connection shows only the kiosk (no
 * navigation, no officer screens): identification with the core's sentence
 * on refusal, the request, the receipt with its number, back to the welcome;
 * an officer starts kiosk mode from the header after a confirmation.
 */
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../../../renderer/src/App';
import { RECEIPT_MS } from '../../../../../renderer/src/features/kiosk/KioskScreen';
import { ApiError } from '../../../../../renderer/src/api-error';
import type { KioskStatusView } from '../../../../../electron/contract/station-api';
import { authStatus, createFakeApi, officer, reader } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const KIRA = { displayName: 'Kira Osk', profiles: [{ id: 'contractor' as const, label: 'Contractor' }] };

/** A fake core with one kiosk connection (or an officer's until kiosk.start). */
function kioskApi(startAsKiosk: boolean) {
  let status: KioskStatusView = { kiosk: startAsKiosk, person: null, idleSeconds: 120 };
  let who = startAsKiosk ? null : officer({ roles: ['registration'] });
  return createFakeApi({
    'station.info': () => ({ version: '0.1.0', organization: 'Agency', training: false, separationOfDuties: { producerDiffersFromRequester: true } }),
    'auth.status': () => authStatus(who),
    'kiosk.status': () => status,
    'kiosk.start': () => {
      who = null;
      status = { ...status, kiosk: true };
      return status;
    },
    'kiosk.identify': ({ employeeId }) => {
      if (employeeId !== 'EMP-42') throw new ApiError({ code: 'KIOSK_NOT_RECOGNIZED', message: 'We could not find you with these details.' });
      status = { ...status, person: KIRA };
      return KIRA;
    },
    'kiosk.request': ({ profile }) => {
      status = { ...status, person: null };
      return { requestId: 'req-77', requestNumber: 77, profile, state: 'requested' };
    },
    'kiosk.reset': () => (status = { ...status, person: null }),
    'readers.list': () => [reader('Virtual PCD 00 00')],
    'jobs.list': () => [],
    'requests.list': () => [],
  });
}

describe('kiosk face', () => {
  it('shows only the kiosk: identify (refusal in the core’s words), request, receipt with the number, back to the welcome', async () => {
    const api = kioskApi(true);
    renderWithStores(<App />, api);
    await screen.findByTestId('kiosk-welcome');
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(screen.queryByTestId('login-screen')).toBeNull();
    expect(screen.queryByTestId('readers-panel')).toBeNull();
    const user = userEvent.setup();

    await user.type(screen.getByTestId('kiosk-employee-id'), 'EMP-1');
    await user.type(screen.getByTestId('kiosk-email'), 'kira@example.test');
    await user.click(screen.getByTestId('kiosk-identify'));
    expect((await screen.findByTestId('kiosk-error')).textContent).toBe('We could not find you with these details.');

    await user.clear(screen.getByTestId('kiosk-employee-id'));
    await user.type(screen.getByTestId('kiosk-employee-id'), 'EMP-42');
    await user.click(screen.getByTestId('kiosk-identify'));
    expect((await screen.findByTestId('kiosk-person')).getAttribute('data-display-name')).toBe('Kira Osk');
    expect(api.callsTo('kiosk.identify')).toEqual([
      { employeeId: 'EMP-1', email: 'kira@example.test' },
      { employeeId: 'EMP-42', email: 'kira@example.test' },
    ]);

    await user.click(screen.getByTestId('kiosk-request'));
    const receipt = await screen.findByTestId('kiosk-confirmation');
    expect(receipt.getAttribute('data-request-id')).toBe('req-77');
    // The cardholder is given the short number, never the UUID.
    expect(screen.getByTestId('kiosk-request-number').textContent).toBe('R-000077');
    expect(receipt.textContent).toContain('An approver will review it');
    expect(api.callsTo('kiosk.request')).toEqual([{ profile: 'contractor' }]);

    await user.click(screen.getByTestId('kiosk-done'));
    await screen.findByTestId('kiosk-welcome');
    expect(api.callsTo('kiosk.reset')).toHaveLength(1);
    // officer channels were never called from the kiosk
    expect(api.calls.map((c) => c.channel).filter((c) => !c.startsWith('kiosk.') && c !== 'station.info' && c !== 'auth.status')).toEqual([]);
  });

  it('a registration officer starts kiosk mode from the header after confirming; the kiosk face follows', async () => {
    const api = kioskApi(false);
    renderWithStores(<App />, api);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('kiosk-start'));
    await user.click(screen.getByTestId('kiosk-start-cancel'));
    expect(api.callsTo('kiosk.start')).toEqual([]);
    await user.click(screen.getByTestId('kiosk-start'));
    await user.click(screen.getByTestId('kiosk-start-confirm'));
    await screen.findByTestId('kiosk-welcome');
    expect(api.callsTo('kiosk.start')).toHaveLength(1);
    expect(screen.queryByTestId('session-officer')).toBeNull();
    expect(screen.queryByRole('navigation')).toBeNull();
  });

  it('no Kiosk mode action for an officer without registration or admin', async () => {
    const api = kioskApi(false);
    api.handlers['auth.status'] = () => authStatus(officer({ roles: ['approver'] }));
    renderWithStores(<App />, api);
    await screen.findByTestId('session-officer');
    await waitFor(() => expect(api.callsTo('kiosk.status').length).toBeGreaterThan(0));
    expect(screen.queryByTestId('kiosk-start')).toBeNull();
  });

  it('goes back to the welcome on its own: after the receipt, and when the identified person walks away; half-typed details are cleared', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = kioskApi(true);
    renderWithStores(<App />, api);
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    await screen.findByTestId('kiosk-welcome');
    await user.type(screen.getByTestId('kiosk-employee-id'), 'EMP-42');
    await user.type(screen.getByTestId('kiosk-email'), 'kira@example.test');
    await user.click(screen.getByTestId('kiosk-identify'));
    await screen.findByTestId('kiosk-person');
    // walked away without requesting: forgotten after the core's idle time
    await act(() => vi.advanceTimersByTimeAsync(120_000));
    await screen.findByTestId('kiosk-welcome');
    expect(api.callsTo('kiosk.reset')).toHaveLength(1);

    await user.type(screen.getByTestId('kiosk-employee-id'), 'EMP-42');
    await user.type(screen.getByTestId('kiosk-email'), 'kira@example.test');
    await user.click(screen.getByTestId('kiosk-identify'));
    await user.click(await screen.findByTestId('kiosk-request'));
    await screen.findByTestId('kiosk-confirmation');
    await act(() => vi.advanceTimersByTimeAsync(RECEIPT_MS));
    await screen.findByTestId('kiosk-welcome');
    expect(api.callsTo('kiosk.reset')).toHaveLength(2);

    await user.type(screen.getByTestId('kiosk-employee-id'), 'EMP-4');
    await act(() => vi.advanceTimersByTimeAsync(120_000));
    await waitFor(() => expect((screen.getByTestId('kiosk-employee-id') as HTMLInputElement).value).toBe(''));
  });
});
