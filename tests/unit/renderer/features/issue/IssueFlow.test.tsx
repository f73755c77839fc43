// @vitest-environment jsdom
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IssueFlow } from '../../../../../renderer/src/features/issue/IssueFlow';
import { cardRequest, createFakeApi, flush, matches, officer, person, reader, stationInfo, type FakeApi } from '../../support/fake-api';
import { profileView } from '../../support/profiles';
import { asDirectIssuer, renderWithStores } from '../../support/render';

afterEach(cleanup);

async function setup(api: FakeApi) {
  const onJobStarted = vi.fn();
  const r = renderWithStores(<IssueFlow onJobStarted={onJobStarted} />, api);
  asDirectIssuer(r.stores);
  await act(async () => {
    r.stores.readers.getState().start();
    await flush();
  });
  return { ...r, onJobStarted };
}

const baseApi = () =>
  createFakeApi({
    'readers.list': () => [reader('Empty reader'), reader('Virtual PCD 00 00', { cardPresent: true, card: 'piv' })],
    'persons.search': () => matches(person({ affiliation: 'visitor' })),
    'production.start': () => ({ jobId: 'job-7' }),
    'profiles.list': () => [profileView('employee'), profileView('contractor'), profileView('visitor')],
    'requests.list': () => [],
  });

describe('IssueFlow', () => {
  it('goes from search to Produce by keyboard alone and starts the job', async () => {
    const api = baseApi();
    const { onJobStarted } = await setup(api);
    const user = userEvent.setup();

    // The reader holding a card is offered first and preselected.
    expect((screen.getByTestId('reader-select') as HTMLSelectElement).value).toBe('Virtual PCD 00 00');

    await user.click(screen.getByTestId('person-search'));
    await user.keyboard('Ada');
    await waitFor(() => screen.getByTestId('person-result'));
    await user.tab(); // register-person
    await user.tab(); // the result
    expect(document.activeElement).toBe(screen.getByTestId('person-result'));
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('selected-person').textContent).toContain('Ada Lovelace');
    expect((screen.getByTestId('profile-select') as HTMLSelectElement).value).toBe('visitor');

    await user.click(screen.getByTestId('pin-input'));
    await user.keyboard('246810');
    await user.tab();
    await user.keyboard('246810');
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('produce-button'));
    expect((screen.getByTestId('produce-button') as HTMLButtonElement).disabled).toBe(false);
    await user.keyboard('{Enter}');

    await waitFor(() => expect(onJobStarted).toHaveBeenCalledWith('job-7'));
    expect(api.callsTo('production.start')).toEqual([{ personId: 'p-1', readerName: 'Virtual PCD 00 00', profile: 'visitor', pin: '246810' }]);
  });

  it('waits for a card, refuses a non-PIV card, and enables Produce when a PIV card arrives', async () => {
    const api = baseApi();
    const { stores } = await setup(api);
    await act(async () => {
      stores.issue.getState().selectPerson(person({ affiliation: 'visitor' }));
      stores.issue.getState().setPinMode('generated');
      await flush();
    });
    const user = userEvent.setup();
    await user.selectOptions(screen.getByTestId('reader-select'), 'Empty reader');
    expect(screen.getByTestId('waiting-for-card').textContent).toContain('Insert a card into Empty reader');
    expect((screen.getByTestId('produce-button') as HTMLButtonElement).disabled).toBe(true);

    act(() => api.emit('reader.changed', [reader('Empty reader', { cardPresent: true, card: 'not-piv' })]));
    expect(screen.queryByTestId('waiting-for-card')).toBeNull();
    expect(screen.getByTestId('card-problem').textContent).toBe('The card in Empty reader is not a PIV card. Insert a blank PIV card.');
    expect((screen.getByTestId('produce-button') as HTMLButtonElement).disabled).toBe(true);

    act(() => api.emit('reader.changed', [reader('Empty reader', { cardPresent: true, card: 'piv' })]));
    expect(screen.queryByTestId('card-problem')).toBeNull();
    expect((screen.getByTestId('produce-button') as HTMLButtonElement).disabled).toBe(false);
  });

  it('keeps Produce disabled while the PINs do not match', async () => {
    const { stores } = await setup(baseApi());
    await act(async () => {
      stores.issue.getState().selectPerson(person({ affiliation: 'visitor' }));
      await flush();
    });
    const user = userEvent.setup();
    await user.type(screen.getByTestId('pin-input'), '246810');
    await user.type(screen.getByTestId('pin-confirm'), '246811');
    expect((screen.getByTestId('produce-button') as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('IssueFlow offers only what the core would accept (the contract\'s directIssueBlock)', () => {
  it('profiles come from the store: an employee is offered no visitor card, and a profile serving the affiliation is', async () => {
    const api = baseApi();
    api.handlers['profiles.list'] = () => [
      profileView('employee', { label: 'Staff', approvalRequired: false }),
      profileView('contractor', { approvalRequired: false }),
      profileView('visitor', { label: 'Guest' }),
    ];
    const { stores } = await setup(api);
    await act(async () => {
      stores.issue.getState().selectPerson(person({ affiliation: 'employee' }));
      await flush();
    });
    const options = [...(screen.getByTestId('profile-select') as HTMLSelectElement).options].map((o) => o.textContent);
    expect(options).toEqual(['Staff']);
  });

  it('a rejected request for the person and profile: nothing is offered, and the screen says why', async () => {
    const api = baseApi();
    api.handlers['requests.list'] = () => [cardRequest({ personId: 'p-1', profile: 'visitor', state: 'rejected', decidedBy: 'approver', approverId: 'o-7' })];
    const { stores } = await setup(api);
    await act(async () => {
      stores.issue.getState().selectPerson(person({ affiliation: 'visitor' }));
      await flush();
    });
    expect(screen.queryByTestId('profile-select')).toBeNull();
    expect(screen.getByTestId('issue-blocked').textContent).toMatch(/was rejected: only a new request that an approver approves can issue one/);
    expect((screen.getByTestId('produce-button') as HTMLButtonElement).disabled).toBe(true);
    expect(api.callsTo('requests.list')).toEqual([{ personId: 'p-1' }]);
  });

  it('with the agency setting on, or without the roles to request and produce, the screen offers nothing and says why', async () => {
    const { stores } = await setup(baseApi());
    act(() => stores.station.setState({ info: stationInfo() }));
    expect(screen.getByTestId('issue-blocked').textContent).toMatch(/needs two officers for every card/);
    expect(screen.queryByTestId('person-search')).toBeNull();
    act(() => {
      stores.station.setState({ info: stationInfo({ separationOfDuties: { producerDiffersFromRequester: false } }) });
      stores.session.setState({ officer: officer({ roles: ['production'] }) });
    });
    expect(screen.getByTestId('issue-blocked').textContent).toMatch(/Registration officer/);
  });
});
