// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobSummary } from '../../../../../electron/contract/station-api';
import { QueueScreen } from '../../../../../renderer/src/features/queue/QueueScreen';
import { createFakeApi, jobDetail } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';

afterEach(cleanup);

const { steps: _s, card: _c, certificates: _x, verification: _v, needsPinForRetry: _n, ...summary } = jobDetail();
const jobs: JobSummary[] = [
  { ...summary, id: 'job-1', status: 'failed', failure: 'The card was removed.' },
  { ...summary, id: 'job-2', status: 'done' },
];

describe('QueueScreen', () => {
  it('lists jobs, filters by status and opens a job by click or keyboard', async () => {
    const api = createFakeApi({ 'jobs.list': ({ status }) => jobs.filter((j) => !status || status.includes(j.status)) });
    const onOpenJob = vi.fn();
    renderWithStores(<QueueScreen onOpenJob={onOpenJob} />, api);
    const user = userEvent.setup();

    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(2));
    const first = screen.getAllByTestId('queue-row')[0]!;
    expect(first.getAttribute('data-job-id')).toBe('job-1');
    expect(first.getAttribute('data-status')).toBe('failed');
    expect(first.textContent).toContain('The card was removed.');

    await user.click(screen.getByTestId('filter-failed'));
    await waitFor(() => expect(screen.getAllByTestId('queue-row')).toHaveLength(1));
    expect(screen.getByTestId('filter-failed').getAttribute('aria-pressed')).toBe('true');
    await user.click(screen.getByTestId('filter-done'));
    await waitFor(() => expect(screen.getByTestId('queue-row').getAttribute('data-job-id')).toBe('job-2'));

    await user.click(screen.getByTestId('queue-row'));
    expect(onOpenJob).toHaveBeenLastCalledWith('job-2');
    screen.getByTestId('queue-row').focus();
    await user.keyboard('{Enter}');
    expect(onOpenJob).toHaveBeenCalledTimes(2);
  });

  it('counts the unfinished jobs beside their filters and under the heading, from the core’s count', async () => {
    const api = createFakeApi({
      'jobs.list': () => jobs,
      'station.counts': () => ({ approvals: null, produce: null, queue: { pending: 1, running: 1, failed: 3 }, notifications: null }),
    });
    renderWithStores(<QueueScreen onOpenJob={() => {}} />, api);
    await waitFor(() => expect(screen.getByTestId('queue-counts').textContent).toBe('2 waiting or running · 3 failed (retry or cancel them from their production screen)'));
    expect(screen.getByTestId('queue-count-failed').textContent).toBe(' (3)');
    expect(screen.getByTestId('queue-count-running').textContent).toBe(' (2)');
    expect(screen.getByTestId('filter-failed').textContent).toBe('Failed (3)');
  });
});
