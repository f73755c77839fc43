// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { App, navFor } from '../../../renderer/src/App';
import type { OfficerView } from '../../../electron/contract/station-api';
import { authStatus, createFakeApi, officer, reader } from './support/fake-api';
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
    // One listener for the jobs' progress, one for the menu's counts; opening screens adds none.
    expect(fake.listenerCount('job.event')).toBe(2);
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

  it('the menu counts what waits for each task, from the core’s one count, and follows request changes', async () => {
    let counts = { approvals: 2, produce: 1, queue: { pending: 0, running: 1, failed: 2 }, notifications: { pending: 23, dead: 0 } };
    const fake = createFakeApi({
      'station.info': () => ({ version: '0.1.0', organization: 'Agency', training: false, separationOfDuties: { producerDiffersFromRequester: true } }),
      'auth.status': () => authStatus(officer({ roles: ['approver', 'production', 'security'] })),
      'readers.list': () => [],
      'jobs.list': () => [],
      'requests.list': () => [],
      'station.counts': () => counts,
    });
    renderWithStores(<App />, fake);
    await waitFor(() => expect(screen.getByTestId('nav-count-approvals').textContent).toBe('2'));
    expect(screen.getByTestId('nav-count-produce').textContent).toBe('1');
    expect(screen.getByTestId('nav-count-queue').textContent).toBe('3');
    expect(screen.getByTestId('nav-count-queue').getAttribute('aria-label')).toBe(', 3 unfinished, 2 failed');
    expect(screen.getByTestId('nav-count-outbox').textContent).toBe('23');
    // No dead letter: no count beside it.
    expect(screen.queryByTestId('nav-count-outbox-dead')).toBeNull();
    // A request approved elsewhere: the counts follow at once.
    counts = { ...counts, approvals: 1, produce: 2, notifications: { pending: 23, dead: 4 } };
    fake.emit('request.changed', { requestId: 'r1', state: 'approved' });
    await waitFor(() => expect(screen.getByTestId('nav-count-approvals').textContent).toBe('1'));
    expect(screen.getByTestId('nav-count-produce').textContent).toBe('2');
    expect(screen.getByTestId('nav-count-outbox-dead').textContent).toBe('4');
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
