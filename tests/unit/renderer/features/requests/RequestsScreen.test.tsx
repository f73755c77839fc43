// @vitest-environment jsdom
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestsScreen } from '../../../../../renderer/src/features/requests/RequestsScreen';
import { ProduceRequestScreen } from '../../../../../renderer/src/features/requests/ProduceRequestScreen';
import { ApiError } from '../../../../../renderer/src/api-error';
import { cardRequest, createFakeApi, flush, officer, person, reader, matches } from '../../support/fake-api';
import { profileView } from '../../support/profiles';
import { renderWithStores } from '../../support/render';
import type { CardRequestView } from '../../../../../electron/contract/station-api';

afterEach(cleanup);

/** The administered profiles the request form offers (from the store, never a list in the renderer). */
const PROFILES = [profileView('employee'), profileView('contractor'), profileView('visitor')];

describe('RequestsScreen', () => {
  it('opened from the Persons screen with a person: that person is chosen and their affiliation is the profile', async () => {
    const api = createFakeApi({
      'requests.list': () => [],
      'requests.create': (i) => cardRequest({ id: 'req-9', personId: i.personId, profile: i.profile, state: 'requested' }),
      'profiles.list': () => PROFILES,
    });
    const { stores } = renderWithStores(<RequestsScreen person={person({ id: 'p-7', givenName: 'Carl', surname: 'Contractor', affiliation: 'contractor' })} />, api);
    act(() => stores.session.setState({ loaded: true, officer: officer({ roles: ['registration'] }) }));
    expect(screen.getByTestId('selected-person').textContent).toContain('Carl Contractor');
    await waitFor(() => expect((screen.getByTestId('request-profile') as HTMLSelectElement).value).toBe('contractor'));
    await userEvent.setup().click(screen.getByTestId('request-create'));
    await waitFor(() => expect(api.callsTo('requests.create')).toEqual([{ personId: 'p-7', profile: 'contractor' }]));
  });

  it('finds the person, requests the card with the chosen profile, and says what happens next', async () => {
    const core: CardRequestView[] = [];
    const api = createFakeApi({
      'persons.search': () => matches(person({ affiliation: 'visitor' })),
      'profiles.list': () => PROFILES,
      'requests.list': (i) => core.filter((r) => !i.state || i.state.includes(r.state)),
      'requests.create': (i) => {
        const r = cardRequest({ id: `req-${core.length + 1}`, profile: i.profile, state: i.profile === 'visitor' ? 'approved' : 'requested' });
        core.push(r);
        return r;
      },
    });
    const { stores } = renderWithStores(<RequestsScreen />, api);
    act(() => stores.session.setState({ loaded: true, officer: officer({ roles: ['registration'] }) }));
    const user = userEvent.setup();
    expect((screen.getByTestId('request-create') as HTMLButtonElement).disabled).toBe(true);
    await user.type(screen.getByTestId('person-search'), 'Ada');
    await user.click(await screen.findByTestId('person-result'));
    // The profile follows the person's affiliation; the officer may change it.
    expect((screen.getByTestId('request-profile') as HTMLSelectElement).value).toBe('visitor');
    await user.click(screen.getByTestId('request-create'));
    const notice = await screen.findByTestId('request-created');
    expect(notice.getAttribute('data-state')).toBe('approved');
    expect(notice.textContent).toContain('needs no approval');
    // The request is named by its short number, and the search starts empty: no stale result to click by mistake.
    expect(screen.getByTestId('request-created-number').textContent).toBe('R-000001');
    expect((screen.getByTestId('person-search') as HTMLInputElement).value).toBe('');
    expect(screen.queryByTestId('person-result')).toBeNull();

    await user.type(screen.getByTestId('person-search'), 'Ada');
    await user.click(await screen.findByTestId('person-result'));
    await user.selectOptions(screen.getByTestId('request-profile'), 'employee');
    await user.click(screen.getByTestId('request-create'));
    await waitFor(() => expect(screen.getByTestId('request-created').getAttribute('data-state')).toBe('requested'));
    expect(screen.getByTestId('request-created').textContent).toContain('an approver must now approve it');
    expect(api.callsTo('requests.create')).toEqual([
      { personId: 'p-1', profile: 'visitor' },
      { personId: 'p-1', profile: 'employee' },
    ]);
    await waitFor(() => expect(screen.getAllByTestId('request-row')).toHaveLength(2));

    await user.click(screen.getByTestId('request-filter-requested'));
    await waitFor(() => expect(screen.getAllByTestId('request-row').map((r) => r.getAttribute('data-state'))).toEqual(['requested']));
    expect(api.callsTo('requests.list').at(-1)).toEqual({ state: ['requested'] });
  });

  it('shows the core’s refusal of a request', async () => {
    const api = createFakeApi({
      'persons.search': () => matches(person()),
      'requests.list': () => [],
      'requests.create': () => {
        throw new ApiError({ code: 'REQUEST_STATE', message: 'Ada Lovelace already has a card request in progress.' });
      },
    });
    const { stores } = renderWithStores(<RequestsScreen />, api);
    act(() => stores.session.setState({ loaded: true, officer: officer({ roles: ['registration'] }) }));
    const user = userEvent.setup();
    await user.type(screen.getByTestId('person-search'), 'Ada');
    await user.click(await screen.findByTestId('person-result'));
    await user.click(screen.getByTestId('request-create'));
    expect((await screen.findByTestId('request-error')).textContent).toBe('Ada Lovelace already has a card request in progress.');
  });

  it('an approver sees the list but no request form', async () => {
    const api = createFakeApi({ 'requests.list': () => [cardRequest()] });
    const { stores } = renderWithStores(<RequestsScreen />, api);
    act(() => stores.session.setState({ loaded: true, officer: officer({ roles: ['approver'] }) }));
    await waitFor(() => screen.getByTestId('request-row'));
    expect(screen.queryByTestId('request-create')).toBeNull();
  });
});

describe('ProduceRequestScreen', () => {
  const setup = (
    who = officer({ roles: ['production'], personId: 'p-me' }),
    requests = [
      cardRequest({ id: 'req-1', state: 'approved', cardNumber: '00000042', approverId: 'o-3' }),
      cardRequest({ id: 'req-me', state: 'approved', personId: 'p-me', personName: 'Me Myself', approverId: 'o-3' }),
    ],
  ) => {
    const api = createFakeApi({
      'requests.list': () => requests,
      'readers.list': () => [reader('Virtual PCD 00 00', { cardPresent: true, card: 'piv' })],
      'requests.produce': () => ({ jobId: 'job-9' }),
    });
    const onJobStarted = vi.fn();
    const r = renderWithStores(<ProduceRequestScreen onJobStarted={onJobStarted} />, api);
    act(() => {
      r.stores.session.setState({ loaded: true, officer: who });
      r.stores.readers.getState().start();
    });
    return { api, onJobStarted, ...r };
  };
  const choice = (id: string) => screen.getAllByTestId('approved-request').find((r) => r.getAttribute('data-request-id') === id)!;

  it('produces the chosen approved request with reader and typed PIN, then opens the job', async () => {
    const { api, onJobStarted } = setup();
    await act(flush);
    const user = userEvent.setup();
    await waitFor(() => screen.getAllByTestId('approved-request'));
    expect(screen.getByText(/card 00000042/)).toBeTruthy();
    await user.click(choice('req-1'));
    await user.type(screen.getByTestId('pin-input'), '246810');
    await user.type(screen.getByTestId('pin-confirm'), '246810');
    await user.click(screen.getByTestId('produce-button'));
    await waitFor(() => expect(onJobStarted).toHaveBeenCalledWith('job-9'));
    expect(api.callsTo('requests.produce')).toEqual([{ requestId: 'req-1', readerName: 'Virtual PCD 00 00', pin: '246810' }]);
  });

  it('will not produce the officer’s own card', async () => {
    setup();
    await act(flush);
    const user = userEvent.setup();
    await waitFor(() => screen.getAllByTestId('approved-request'));
    await user.click(choice('req-me'));
    await user.click(screen.getByTestId('pin-mode-generated'));
    expect(screen.getByTestId('produce-blocked').textContent).toBe('You cannot produce a card for yourself: another production officer must produce it.');
    expect((screen.getByTestId('produce-button') as HTMLButtonElement).disabled).toBe(true);
  });

  it('will not produce a card the officer approved, nor (agency setting on) one they requested: the contract\'s rule, as the core applies it', async () => {
    const me = officer({ id: 'o-me', roles: ['production', 'approver', 'registration'] });
    setup(me, [cardRequest({ id: 'req-a', state: 'approved', approverId: 'o-me' }), cardRequest({ id: 'req-r', state: 'approved', requesterId: 'o-me', approverId: 'o-3' })]);
    await act(flush);
    const user = userEvent.setup();
    await waitFor(() => screen.getAllByTestId('approved-request'));
    await user.click(choice('req-a'));
    expect(screen.getByTestId('produce-blocked').textContent).toBe('You approved this card: another production officer must produce it.');
    await user.click(choice('req-r'));
    expect(screen.getByTestId('produce-blocked').textContent).toMatch(/You requested this card/);
  });
});
