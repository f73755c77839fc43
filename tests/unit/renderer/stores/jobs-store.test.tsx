// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { JobDetail } from '../../../../electron/contract/station-api';
import { createJobsStore, progressOf } from '../../../../renderer/src/stores/jobs-store';
import { ApiError } from '../../../../renderer/src/api-error';
import { createFakeApi, flush, jobDetail, withSteps } from '../support/fake-api';

/** A fake core holding one job the test moves along. */
function setup(initial: JobDetail = jobDetail()) {
  const server = { job: initial };
  const api = createFakeApi({
    'jobs.get': () => server.job,
    'jobs.list': () => [server.job],
    'jobs.takeSecrets': () => ({ puk: '87654321' }),
  });
  const store = createJobsStore(api);
  const stop = store.getState().start();
  return { api, store, server, stop };
}

describe('jobs store', () => {
  it('moves step states on job.event at once, then refreshes from the core', async () => {
    const { api, store, server } = setup();
    await store.getState().load('job-1');
    api.emit('job.event', { type: 'job.step.started', jobId: 'job-1', step: 'connect', index: 0, total: 8 });
    expect(store.getState().jobs['job-1']!.steps[0]!.status).toBe('running');

    server.job = withSteps(jobDetail(), 1, 'running');
    api.emit('job.event', { type: 'job.step.finished', jobId: 'job-1', step: 'connect', index: 0, total: 8, ms: 12 });
    expect(store.getState().jobs['job-1']!.steps[0]!.status).toBe('done');
    await flush();
    expect(store.getState().jobs['job-1']!.steps[1]!.status).toBe('running');
    expect(progressOf(store.getState().jobs['job-1']!)).toEqual({ done: 1, total: 8 });
  });

  it('a failure puts the job in the failed state with the sentence', async () => {
    const { api, store } = setup();
    await store.getState().load('job-1');
    const sentence = 'The card was removed while writing the PIV Authentication certificate.';
    api.emit('job.event', { type: 'job.step.failed', jobId: 'job-1', step: 'load.9a', index: 6, total: 8, sentence });
    api.emit('job.event', { type: 'job.failed', jobId: 'job-1', sentence });
    const job = store.getState().jobs['job-1']!;
    expect(job.status).toBe('failed');
    expect(job.failure).toBe(sentence);
    expect(job.failedStep).toBe('load.9a');
    expect(job.steps.find((s) => s.name === 'load.9a')!.status).toBe('failed');
  });

  it('ignores events of jobs nobody watches, but refreshes the queue when a job ends', async () => {
    const { api, store } = setup();
    api.emit('job.event', { type: 'job.finished', jobId: 'other' });
    await flush();
    expect(store.getState().jobs['other']).toBeUndefined();
    expect(api.callsTo('jobs.list')).toHaveLength(1);
  });

  it('takes the secrets exactly once and forgets them on request', async () => {
    const { api, store } = setup(jobDetail({ status: 'done' }));
    const [a, b] = await Promise.all([store.getState().takeSecrets('job-1'), store.getState().takeSecrets('job-1')]);
    await store.getState().takeSecrets('job-1');
    expect(api.callsTo('jobs.takeSecrets')).toHaveLength(1);
    expect(a).toEqual({ puk: '87654321' });
    expect(b).toBe(a);
    expect(store.getState().secrets['job-1']).toEqual({ puk: '87654321' });
    store.getState().forgetSecrets('job-1');
    expect(store.getState().secrets['job-1']).toBeUndefined();
    await store.getState().takeSecrets('job-1');
    expect(api.callsTo('jobs.takeSecrets')).toHaveLength(1);
  });

  it('retries with the PIN only when given, and reports a refusal', async () => {
    const { api, store } = setup(jobDetail({ status: 'failed' }));
    api.handlers['jobs.retry'] = () => ({ jobId: 'job-1' });
    await expect(store.getState().retry('job-1', 'R1')).resolves.toBe(true);
    await store.getState().retry('job-1', 'R1', '123456');
    expect(api.callsTo('jobs.retry')).toEqual([
      { jobId: 'job-1', readerName: 'R1' },
      { jobId: 'job-1', readerName: 'R1', pin: '123456' },
    ]);
    api.handlers['jobs.retry'] = () => {
      throw new ApiError({ code: 'CARD_MISMATCH', message: 'Insert the card this job started on.' });
    };
    await expect(store.getState().retry('job-1', 'R1')).resolves.toBe(false);
    expect(store.getState().errors['job-1']).toBe('Insert the card this job started on.');
  });

  it('asks the core for the statuses of the chosen filter', async () => {
    const { api, store } = setup();
    await store.getState().setFilter('failed');
    await store.getState().setFilter('running');
    await store.getState().setFilter('all');
    expect(api.callsTo('jobs.list')).toEqual([{ status: ['failed'] }, { status: ['pending', 'running'] }, {}]);
  });
});
