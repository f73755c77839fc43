// @vitest-environment jsdom
/**
 * The desk follows the card profile's PIN policy (issue 4): on the issue
 * screen and the produce-request screen (one shared reader/PIN/produce block),
 * only the PIN modes the profile allows are offered, with its lengths.
 */
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IssueFlow } from '../../../../../renderer/src/features/issue/IssueFlow';
import { ProduceRequestScreen } from '../../../../../renderer/src/features/requests/ProduceRequestScreen';
import { cardRequest, createFakeApi, flush, officer, person, reader, matches } from '../../support/fake-api';
import { profileView } from '../../support/profiles';
import { asDirectIssuer, renderWithStores } from '../../support/render';

afterEach(cleanup);

/** Every profile serves every affiliation without an approver, so direct issue offers each (their PIN policies are the point here). */
const open = { approvalRequired: false, affiliations: ['employee', 'contractor', 'visitor'] } as const;
const PROFILES = [
  profileView('employee', { ...open, affiliations: [...open.affiliations], pinPolicy: { minLength: 7, maxLength: 8, source: 'chosen' } }),
  profileView('contractor', { ...open, affiliations: [...open.affiliations] }),
  profileView('visitor', { ...open, affiliations: [...open.affiliations], pinPolicy: { minLength: 8, maxLength: 8, source: 'generated' } }),
];

async function issueFlow() {
  const api = createFakeApi({
    'profiles.list': () => PROFILES,
    'readers.list': () => [reader('Virtual PCD 00 00', { cardPresent: true, card: 'piv' })],
    'persons.search': () => matches(person({ affiliation: 'employee' })),
    'production.start': () => ({ jobId: 'job-7' }),
    'requests.list': () => [],
  });
  const r = renderWithStores(<IssueFlow onJobStarted={vi.fn()} />, api);
  asDirectIssuer(r.stores);
  await act(async () => {
    r.stores.readers.getState().start();
    await flush();
  });
  return { api, ...r };
}

describe('issue screen', () => {
  it('a chosen-PIN profile offers typing only, with its lengths; a generated-PIN profile only generation; either offers both', async () => {
    const { api, stores } = await issueFlow();
    const user = userEvent.setup();
    await user.type(screen.getByTestId('person-search'), 'Ada');
    await user.click(await screen.findByTestId('person-result'));

    // employee: chosen, 7-8 digits
    await waitFor(() => expect(screen.queryByTestId('pin-mode-generated')).toBeNull());
    expect(screen.getByTestId('pin-mode-typed')).toBeTruthy();
    expect(screen.getByTestId('pin-policy').textContent).toMatch(/chosen by the cardholder/);
    expect(screen.getByTestId('pin-rule').textContent).toContain('7 to 8 digits');
    await user.type(screen.getByTestId('pin-input'), '246810');
    await user.type(screen.getByTestId('pin-confirm'), '246810');
    expect(screen.getByTestId('pin-error').textContent).toBe('The PIN must be 7 to 8 digits for this card profile.');
    expect((screen.getByTestId('produce-button') as HTMLButtonElement).disabled).toBe(true);

    // visitor: generated only; the typed mode is switched off and its digits dropped
    await user.selectOptions(screen.getByTestId('profile-select'), 'visitor');
    await waitFor(() => expect(stores.issue.getState().pinMode).toBe('generated'));
    expect(screen.queryByTestId('pin-mode-typed')).toBeNull();
    expect(screen.queryByTestId('pin-input')).toBeNull();
    expect(screen.getByTestId('pin-mode-generated').parentElement!.textContent).toMatch(/8 digits/);
    expect((screen.getByTestId('produce-button') as HTMLButtonElement).disabled).toBe(false);
    await user.click(screen.getByTestId('produce-button'));
    await waitFor(() => expect(api.callsTo('production.start')).toHaveLength(1));
    expect(api.callsTo('production.start')[0]).not.toHaveProperty('pin');
  });

  it('an either profile offers both modes and the 6 to 8 digits of the contract', async () => {
    await issueFlow();
    const user = userEvent.setup();
    await user.type(screen.getByTestId('person-search'), 'Ada');
    await user.click(await screen.findByTestId('person-result'));
    await user.selectOptions(screen.getByTestId('profile-select'), 'contractor');
    expect(screen.getByTestId('pin-mode-typed')).toBeTruthy();
    expect(screen.getByTestId('pin-mode-generated')).toBeTruthy();
    expect(screen.queryByTestId('pin-policy')).toBeNull();
    expect(screen.getByTestId('pin-rule').textContent).toContain('6 to 8 digits');
  });
});

describe('produce-request screen', () => {
  it('follows the policy of the request’s profile', async () => {
    const api = createFakeApi({
      'profiles.list': () => PROFILES,
      'requests.list': () => [
      cardRequest({ id: 'req-v', state: 'approved', profile: 'visitor', approverId: 'o-3' }),
      cardRequest({ id: 'req-e', state: 'approved', profile: 'employee', personId: 'p-2', approverId: 'o-3' }),
    ],
      'readers.list': () => [reader('Virtual PCD 00 00', { cardPresent: true, card: 'piv' })],
      'requests.produce': () => ({ jobId: 'job-9' }),
    });
    const onJobStarted = vi.fn();
    const r = renderWithStores(<ProduceRequestScreen onJobStarted={onJobStarted} />, api);
    act(() => {
      r.stores.session.setState({ loaded: true, officer: officer({ roles: ['production'] }) });
      r.stores.readers.getState().start();
    });
    await act(flush);
    const user = userEvent.setup();
    const choice = (id: string) => screen.getAllByTestId('approved-request').find((e) => e.getAttribute('data-request-id') === id)!;
    await waitFor(() => screen.getAllByTestId('approved-request'));

    await user.click(choice('req-e'));
    await waitFor(() => expect(screen.queryByTestId('pin-mode-generated')).toBeNull());
    expect(screen.getByTestId('pin-rule').textContent).toContain('7 to 8 digits');

    await user.click(choice('req-v'));
    await waitFor(() => expect(screen.queryByTestId('pin-mode-typed')).toBeNull());
    await user.click(screen.getByTestId('produce-button'));
    await waitFor(() => expect(onJobStarted).toHaveBeenCalledWith('job-9'));
    expect(api.callsTo('requests.produce')).toEqual([{ requestId: 'req-v', readerName: 'Virtual PCD 00 00' }]);
  });
});
