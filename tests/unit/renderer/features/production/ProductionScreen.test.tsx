// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobDetail } from '../../../../../electron/contract/station-api';
import { ProductionScreen } from '../../../../../renderer/src/features/production/ProductionScreen';
import { StoresProvider } from '../../../../../renderer/src/stores/stores';
import { createFakeApi, flush, jobDetail, reader, withSteps } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';

afterEach(cleanup);

const SENTENCE = 'The card was removed while writing the PIV Authentication certificate.';

function setup(initial: JobDetail, readers = [reader('Virtual PCD 00 00', { cardPresent: true, card: 'piv' })]) {
  const server = { job: initial };
  const api = createFakeApi({
    'jobs.get': () => server.job,
    'jobs.list': () => [],
    'readers.list': () => readers,
    'jobs.takeSecrets': () => ({ puk: '73914628', pin: '482916' }),
    'jobs.retry': ({ jobId }) => ({ jobId }),
    'jobs.cancel': ({ reason }) => {
      server.job = { ...server.job, status: 'cancelled', cancelReason: reason };
      return server.job;
    },
  });
  const r = renderWithStores(<ProductionScreen jobId="job-1" />, api);
  return { ...r, api, server };
}

async function started(r: ReturnType<typeof setup>) {
  await act(async () => {
    r.stores.readers.getState().start();
    r.stores.jobs.getState().start();
    await flush();
  });
}

const failedJob = (over: Partial<JobDetail> = {}) => ({
  ...withSteps(jobDetail(), 6, 'failed'),
  status: 'failed' as const,
  failedStep: 'load.9a',
  failure: SENTENCE,
  errorCode: 'CARD_REMOVED',
  retryable: true,
  ...over,
});

const doneJob = (): JobDetail => ({
  ...withSteps(jobDetail(), 8, 'done'),
  status: 'done',
  card: {
    id: 'c-1',
    serial: 12345678,
    guid: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
    fascn: 'D4E739DA739CED39CE739D836858210842108421C84210C3EB',
    credentialNumber: '000001',
    status: 'produced',
    expirationDate: '2030-01-01',
    capabilities: {
      extensions: { getVersion: 'no', getSerial: 'no', getMetadata: 'yes', setPinRetries: 'no', setManagementKey: 'yes', attest: 'no', reset: 'unknown', moveKey: 'no' },
      extendedLength: false,
      advertisedAlgorithms: ['TDEA', 'P256'],
      retries: { keptByCard: true, pin: 5, puk: 5 },
    },
  },
  certificates: [{ slot: '9a', serial: '01ab', status: 'active', notAfter: '2028-01-01' }],
  verification: {
    ok: true,
    certificates: [
      { slot: '9a', serial: '01ab', subject: 'CN=Ada Lovelace', notAfter: '2028-01-01' },
      { slot: '9c', serial: '01ac', subject: 'CN=Ada Lovelace', notAfter: '2028-01-01' },
    ],
    checks: [
      { name: 'CHUID signature', ok: true, detail: 'valid' },
      { name: 'Key management ECDH', ok: true, skipped: true, detail: 'no 9D key' },
      { name: 'Expiration', ok: false, detail: 'too long' },
    ],
  },
});

describe('ProductionScreen', () => {
  it('shows steps and progress, and follows job events', async () => {
    const r = setup(withSteps(jobDetail(), 2, 'running'));
    await started(r);
    const screenEl = screen.getByTestId('production-screen');
    expect(screenEl.getAttribute('data-job-id')).toBe('job-1');
    const rows = screen.getAllByTestId('step-row');
    expect(rows).toHaveLength(8);
    expect(rows[2]!.getAttribute('data-state')).toBe('running');
    expect(rows[2]!.getAttribute('data-step')).toBe('authenticate');
    const bar = screen.getByTestId('progress-bar');
    expect(bar.getAttribute('role')).toBe('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('2');
    expect(bar.getAttribute('aria-valuemax')).toBe('8');
    expect(screen.getByTestId('progress-text').textContent).toMatch(/^2 of 8 steps · \d+:\d\d elapsed$/);

    r.server.job = withSteps(jobDetail(), 4, 'running');
    act(() => r.api.emit('job.event', { type: 'job.step.started', jobId: 'job-1', step: 'generate.9a', index: 4, total: 8 }));
    const gen = screen.getAllByTestId('step-row')[4]!;
    expect(gen.getAttribute('data-state')).toBe('running');
    expect(gen.textContent).toContain('working…');
    await act(flush);
    expect(screen.getByTestId('progress-bar').getAttribute('aria-valuenow')).toBe('4');
  });

  it('on failure shows the sentence, the step, Retry and Cancel', async () => {
    const r = setup(withSteps(jobDetail(), 6, 'running'));
    await started(r);
    r.server.job = failedJob();
    act(() => {
      r.api.emit('job.event', { type: 'job.step.failed', jobId: 'job-1', step: 'load.9a', index: 6, total: 8, sentence: SENTENCE });
      r.api.emit('job.event', { type: 'job.failed', jobId: 'job-1', sentence: SENTENCE });
    });
    const panel = screen.getByTestId('failure-panel');
    expect(panel.getAttribute('role')).toBe('alert');
    expect(within(panel).getByTestId('failure-reason').textContent).toBe(SENTENCE);
    expect(panel.textContent).toContain('Load the PIV Authentication certificate (9a)');
    expect(within(panel).getByTestId('retry-button')).toBeTruthy();
    expect(within(panel).getByTestId('cancel-button')).toBeTruthy();
    expect(screen.queryByTestId('retry-pin-input')).toBeNull();

    await userEvent.setup().click(screen.getByTestId('retry-button'));
    expect(r.api.callsTo('jobs.retry')).toEqual([{ jobId: 'job-1', readerName: 'Virtual PCD 00 00' }]);
  });

  it('by keyboard alone: the failure takes the focus, Tab reaches Retry, Enter retries, and the focus follows the job to its result', async () => {
    const r = setup(withSteps(jobDetail(), 6, 'running'));
    await started(r);
    r.server.job = failedJob();
    act(() => r.api.emit('job.event', { type: 'job.failed', jobId: 'job-1', sentence: SENTENCE }));
    await waitFor(() => expect(document.activeElement?.id).toBe('failure-title'));
    // The focused heading reads the core's sentence and the failed step.
    expect(document.activeElement?.getAttribute('aria-describedby')).toBe('failure-reason failed-step');
    const user = userEvent.setup();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('retry-button'));
    await user.keyboard('{Enter}');
    expect(r.api.callsTo('jobs.retry')).toEqual([{ jobId: 'job-1', readerName: 'Virtual PCD 00 00' }]);
    r.server.job = { ...withSteps(jobDetail(), 6, 'running'), status: 'running' };
    act(() => r.api.emit('job.event', { type: 'job.started', jobId: 'job-1' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('progress-text')));
    r.server.job = doneJob();
    act(() => r.api.emit('job.event', { type: 'job.finished', jobId: 'job-1' }));
    await waitFor(() => expect(document.activeElement?.id).toBe('result-title'));
  });

  it('by keyboard alone: Cancel opens the reason, Keep the job returns to Cancel, Enter cancels and the focus goes to the outcome', async () => {
    const r = setup(failedJob());
    await started(r);
    const user = userEvent.setup();
    screen.getByTestId('retry-button').focus();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('cancel-button'));
    await user.keyboard(' ');
    expect(document.activeElement).toBe(screen.getByTestId('cancel-reason'));
    await user.tab();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('cancel-keep'));
    await user.keyboard('{Enter}');
    expect(screen.queryByTestId('cancel-reason')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('cancel-button'));
    await user.keyboard('{Enter}');
    await user.keyboard('Cardholder left{Enter}');
    expect(r.api.callsTo('jobs.cancel')).toEqual([{ jobId: 'job-1', reason: 'Cardholder left' }]);
    await waitFor(() => expect(document.activeElement?.id).toBe('cancelled-title'));
  });

  it('retry waits for a card in the job reader and asks the PIN again when the job needs it', async () => {
    const r = setup(failedJob({ needsPinForRetry: true }), [reader('Virtual PCD 00 00')]);
    await started(r);
    const user = userEvent.setup();
    await user.click(screen.getByTestId('retry-button'));
    expect(r.api.callsTo('jobs.retry')).toHaveLength(0);
    expect(screen.getByTestId('failure-panel').textContent).toContain('type the PIN again');

    await user.type(screen.getByTestId('retry-pin-input'), '246810');
    await user.click(screen.getByTestId('retry-button'));
    expect(screen.getByTestId('waiting-for-card').textContent).toContain('Insert a card into Virtual PCD 00 00');
    expect(r.api.callsTo('jobs.retry')).toHaveLength(0);

    await act(async () => {
      r.api.emit('reader.changed', [reader('Virtual PCD 00 00', { cardPresent: true, card: 'piv' })]);
      await flush();
    });
    expect(r.api.callsTo('jobs.retry')).toEqual([{ jobId: 'job-1', readerName: 'Virtual PCD 00 00', pin: '246810' }]);
    expect(screen.getByTestId('production-screen').innerHTML).not.toContain('246810');
  });

  it('cancel asks for a reason and shows the cancelled panel', async () => {
    const r = setup(failedJob());
    await started(r);
    const user = userEvent.setup();
    await user.click(screen.getByTestId('cancel-button'));
    await user.type(screen.getByTestId('cancel-reason'), 'Cardholder left');
    await user.click(screen.getByTestId('cancel-confirm'));
    expect(r.api.callsTo('jobs.cancel')).toEqual([{ jobId: 'job-1', reason: 'Cardholder left' }]);
    await waitFor(() => expect(screen.getByTestId('cancelled-panel').textContent).toContain('Cardholder left'));
    expect(screen.queryByTestId('failure-panel')).toBeNull();
  });

  it('on success shows the card, certificates, report and the PUK once with the warning', async () => {
    const r = setup(withSteps(jobDetail(), 7, 'running'));
    await started(r);
    r.server.job = doneJob();
    await act(async () => {
      r.api.emit('job.event', { type: 'job.finished', jobId: 'job-1' });
      await flush();
      await flush();
    });
    const panel = screen.getByTestId('result-panel');
    expect(within(panel).getByTestId('result-serial').textContent).toBe('12345678');
    expect(within(panel).getByTestId('result-fascn').textContent).toBe('D4E739DA739CED39CE739D836858210842108421C84210C3EB');
    expect(within(panel).getByTestId('result-guid').textContent).toBe('3f2504e0-4f89-11d3-9a0c-0305e82c3301');
    expect(within(screen.getByTestId('result-certificates')).getAllByRole('row')).toHaveLength(3); // header + 2 slots
    // What the card showed: its own retry counts in words, and the capability list.
    expect(within(panel).getByTestId('result-retries').textContent).toBe('This card keeps its own retry counts: PIN 5, PUK 5.');
    const capabilities = within(panel).getAllByTestId('card-capability');
    expect(capabilities.find((c) => c.dataset.label === 'SET MANAGEMENT KEY (FF)')?.textContent).toContain('yes');
    expect(capabilities.find((c) => c.dataset.label === 'SET PIN RETRIES (FA)')?.textContent).toContain('no (standard fallback)');
    const checks = screen.getAllByTestId('verification-check').map((c) => c.querySelector('.check-outcome')!.textContent);
    expect(checks).toEqual(['passed', 'skipped', 'FAILED']);
    const warning = await screen.findByTestId('puk-warning');
    expect(warning.textContent).toContain('Write the PUK down now: once you confirm, it will not be shown again');
    expect(within(warning).getByTestId('puk-value').textContent).toBe('73914628');
    expect(within(warning).getByTestId('pin-value').textContent).toBe('482916');

    // More events and refreshes never ask the core for the secrets again.
    await act(async () => {
      r.api.emit('job.event', { type: 'job.finished', jobId: 'job-1' });
      await flush();
    });
    expect(r.api.callsTo('jobs.takeSecrets')).toEqual([{ jobId: 'job-1', keep: true }]);
  });

  it('the PUK stays until the officer confirms it is recorded; then the core forgets it (issue 12 obs. 5)', async () => {
    const r = setup(doneJob());
    await started(r);
    await screen.findByTestId('puk-value');
    const confirm = screen.getByTestId('secrets-recorded');
    expect(confirm.textContent).toBe('I have recorded the PUK and the PIN');
    await act(async () => {
      confirm.click();
      await flush();
    });
    expect(r.api.callsTo('jobs.takeSecrets')).toEqual([{ jobId: 'job-1', keep: true }, { jobId: 'job-1' }]);
    expect(screen.queryByTestId('puk-value')).toBeNull();
    expect(r.stores.jobs.getState().secrets['job-1']).toBeUndefined();
  });

  it('leaving the screen forgets the secrets, and coming back does not show them again', async () => {
    const r = setup(doneJob());
    await started(r);
    await screen.findByTestId('puk-value');
    r.unmount();
    expect(r.stores.jobs.getState().secrets['job-1']).toBeUndefined();
    cleanup();
    render(
      <StoresProvider stores={r.stores}>
        <ProductionScreen jobId="job-1" />
      </StoresProvider>,
    );
    await waitFor(() => screen.getByTestId('result-panel'));
    await act(flush);
    expect(screen.queryByTestId('puk-value')).toBeNull();
    expect(r.api.callsTo('jobs.takeSecrets')).toHaveLength(1);
  });
});
