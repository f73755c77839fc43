// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { App, navFor } from '../../../renderer/src/App';
import type { OfficerView } from '../../../electron/contract/station-api';
import { authStatus, cardRequest, createFakeApi, officer, reader } from './support/fake-api';
import { renderWithStores } from './support/render';

afterEach(() => {
  cleanup();
  sessionStorage.clear(); // a reload's memory (page-memory.ts) belongs to one test
});

const api = (training: boolean, who = officer()) =>
  createFakeApi({
    'station.info': () => ({ version: '0.1.0', organization: 'Agency', training, separationOfDuties: { producerDiffersFromRequester: true } }),
    'auth.status': () => authStatus(who),
    'readers.list': () => [reader('Virtual PCD 00 00', { cardPresent: true, card: 'piv' })],
    'jobs.list': () => [],
    'requests.list': () => [],
  });

describe('App', () => {
  it('shows the training banner on a training station, the readers panel and the navigation', async () => {
    const fake = api(true);
    renderWithStores(<App />, fake);
    expect((await screen.findByTestId('training-banner')).textContent).toBe('Training station: test keys, not for real cards');
    await waitFor(() => expect(screen.getByTestId('reader-row').getAttribute('data-reader')).toBe('Virtual PCD 00 00'));
    expect(screen.getByTestId('session-officer').textContent).toBe('Grace Hopper');

    const user = userEvent.setup();
    // One menu entry per task: "Produce a card" holds both approved requests and issuing without a request.
    expect(screen.queryByTestId('nav-issue')).toBeNull();
    await user.click(screen.getByTestId('nav-produce'));
    await user.click(await screen.findByTestId('produce-way-direct')); // each screen's chunk loads when it is first opened
    expect(await screen.findByTestId('issue-flow')).toBeTruthy();
    await user.click(screen.getByTestId('nav-queue'));
    expect(await screen.findByTestId('queue-screen')).toBeTruthy();
    expect(screen.getByTestId('readers-panel')).toBeTruthy();
    expect(fake.listenerCount('reader.changed')).toBe(1);
    expect(fake.listenerCount('job.event')).toBe(1);
    expect(fake.listenerCount('session.locked')).toBe(1);
  });

  it('shows no banner on a production station', async () => {
    const fake = api(false);
    renderWithStores(<App />, fake);
    await waitFor(() => expect(fake.callsTo('station.info')).toHaveLength(1));
    await waitFor(() => screen.getByTestId('reader-row'));
    expect(screen.queryByTestId('training-banner')).toBeNull();
  });

  it('shows only the screens the officer’s roles allow, and opens the first one', async () => {
    const fake = api(false, officer({ roles: ['registration'] }));
    renderWithStores(<App />, fake);
    await screen.findByTestId('requests-screen');
    const navIds = screen.getAllByRole('button').map((b) => b.getAttribute('data-testid')).filter((id) => id?.startsWith('nav-'));
    expect(navIds).toEqual(['nav-requests', 'nav-queue', 'nav-cards', 'nav-persons']);
    expect(screen.getByTestId('request-create')).toBeTruthy();
  });

  it('the menu counts the requests waiting for each task, from the core’s lists', async () => {
    const lists: Record<string, ReturnType<typeof cardRequest>[]> = {
      requested: [cardRequest({ id: 'r1', state: 'requested' }), cardRequest({ id: 'r2', state: 'requested' })],
      approved: [cardRequest({ id: 'r3', state: 'approved' })],
    };
    const fake = createFakeApi({
      'station.info': () => ({ version: '0.1.0', organization: 'Agency', training: false, separationOfDuties: { producerDiffersFromRequester: true } }),
      'auth.status': () => authStatus(officer({ roles: ['approver', 'production'] })),
      'readers.list': () => [],
      'jobs.list': () => [],
      'requests.list': (input: { state?: string[] }) => (input.state?.length === 1 ? (lists[input.state[0]!] ?? []) : []),
    });
    renderWithStores(<App />, fake);
    await waitFor(() => expect(screen.getByTestId('nav-count-approvals').textContent).toBe('2'));
    expect(screen.getByTestId('nav-count-produce').textContent).toBe('1');
    // Nothing waits for the other tasks: no count beside them.
    expect(screen.queryByTestId('nav-count-queue')).toBeNull();
  });

  it('maps roles to navigation by the contract’s CHANNEL_ROLES', () => {
    const names = (roles: OfficerView['roles']) => navFor(officer({ roles })).map((n) => n.name);
    expect(names(['approver'])).toEqual(['requests', 'approvals', 'queue', 'persons']);
    // One entry per task: producing an approved request and issuing directly are both "Produce a card".
    expect(names(['production'])).toEqual(['requests', 'produce', 'batches', 'queue', 'persons']);
    expect(names(['admin'])).toEqual(['officers', 'profiles', 'layouts', 'outbox']);
    expect(names(['auditor'])).toEqual(['requests', 'batches', 'queue', 'cards', 'outbox', 'audit', 'persons']);
    expect(names(['security'])).toEqual(['queue', 'cards', 'outbox', 'persons']);
    expect(navFor(officer({ status: 'disabled' }))).toEqual([]);
    expect(navFor(null)).toEqual([]);
  });
});
