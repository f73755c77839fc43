// @vitest-environment jsdom
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IssueFlow } from '../../../../../renderer/src/features/issue/IssueFlow';
import { createFakeApi, flush, person, reader, type FakeApi, matches } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';

afterEach(cleanup);

async function setup(api: FakeApi) {
  const onJobStarted = vi.fn();
  const r = renderWithStores(<IssueFlow onJobStarted={onJobStarted} />, api);
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
    await user.keyboard('123456');
    await user.tab();
    await user.keyboard('123456');
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('produce-button'));
    expect((screen.getByTestId('produce-button') as HTMLButtonElement).disabled).toBe(false);
    await user.keyboard('{Enter}');

    await waitFor(() => expect(onJobStarted).toHaveBeenCalledWith('job-7'));
    expect(api.callsTo('production.start')).toEqual([{ personId: 'p-1', readerName: 'Virtual PCD 00 00', profile: 'visitor', pin: '123456' }]);
  });

  it('waits for a card, refuses a non-PIV card, and enables Produce when a PIV card arrives', async () => {
    const api = baseApi();
    const { stores } = await setup(api);
    act(() => {
      stores.issue.getState().selectPerson(person());
      stores.issue.getState().setPinMode('generated');
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
    act(() => stores.issue.getState().selectPerson(person()));
    const user = userEvent.setup();
    await user.type(screen.getByTestId('pin-input'), '123456');
    await user.type(screen.getByTestId('pin-confirm'), '123450');
    expect((screen.getByTestId('produce-button') as HTMLButtonElement).disabled).toBe(true);
  });
});
