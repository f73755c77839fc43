// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../renderer/src/App';
import { createFakeApi, reader } from './support/fake-api';
import { renderWithStores } from './support/render';

afterEach(cleanup);

const api = (training: boolean) =>
  createFakeApi({
    'station.info': () => ({ version: '0.1.0', organization: 'Agency', training }),
    'readers.list': () => [reader('Virtual PCD 00 00', { cardPresent: true, card: 'piv' })],
    'jobs.list': () => [],
  });

describe('App', () => {
  it('shows the training banner on a training station, the readers panel and the navigation', async () => {
    const fake = api(true);
    renderWithStores(<App />, fake);
    expect((await screen.findByTestId('training-banner')).textContent).toBe('Training station: test keys, not for real cards');
    await waitFor(() => expect(screen.getByTestId('reader-row').getAttribute('data-reader')).toBe('Virtual PCD 00 00'));
    expect(screen.getByTestId('issue-flow')).toBeTruthy();

    await userEvent.setup().click(screen.getByTestId('nav-queue'));
    expect(screen.getByTestId('queue-screen')).toBeTruthy();
    expect(screen.getByTestId('readers-panel')).toBeTruthy();
    expect(fake.listenerCount('reader.changed')).toBe(1);
    expect(fake.listenerCount('job.event')).toBe(1);
  });

  it('shows no banner on a production station', async () => {
    const fake = api(false);
    renderWithStores(<App />, fake);
    await waitFor(() => expect(fake.callsTo('station.info')).toHaveLength(1));
    await waitFor(() => screen.getByTestId('reader-row'));
    expect(screen.queryByTestId('training-banner')).toBeNull();
  });
});
