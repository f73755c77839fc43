// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchesScreen } from '../../../../../renderer/src/features/batches/BatchesScreen';
import { batchProgress } from '../../../../../renderer/src/stores/batches-store';
import { batch, cardRequest, createFakeApi, officer, reader } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';
import { ApiError } from '../../../../../renderer/src/api-error';
import { MAX_BATCH_CSV_CHARS, type BatchCsvView, type BatchView, type OfficerView } from '../../../../../electron/contract/station-api';

afterEach(cleanup);

type Item = BatchView['items'][number];
const item = (requestId: string, state: Item['state'], over: Partial<Item> = {}): Item => ({ requestId, requestNumber: null, personName: `Person ${requestId}`, state, readerName: null, jobId: null, failure: null, ...over });

function setup(opts: { batches?: BatchView[]; who?: OfficerView; csv?: (text: string) => BatchCsvView } = {}) {
  const core = { batches: opts.batches ?? [] };
  const api = createFakeApi({
    'batches.list': () => core.batches,
    'batches.get': (i) => core.batches.find((b) => b.id === i.batchId)!,
    'requests.list': () => [cardRequest({ id: 'r1', state: 'approved', personName: 'One' }), cardRequest({ id: 'r2', state: 'approved', personName: 'Two' }), cardRequest({ id: 'r3', state: 'approved', personName: 'Three' })],
    'readers.list': () => [reader('Virtual PCD 00 00'), reader('Virtual PCD 00 01')],
    'batches.start': (i) => {
      const ids = i.requestIds;
      core.batches = [batch({ id: 'batch-new', total: ids.length, remaining: ids.length, items: ids.map((id) => item(id, 'queued')) }), ...core.batches];
      return { batchId: 'batch-new', number: 2 };
    },
    'batches.parseCsv': (i) => {
      if (!opts.csv) throw new ApiError({ code: 'FORBIDDEN', message: 'This needs the Card production administrator role.' });
      return opts.csv(i.csv);
    },
    'batches.setPaused': (i) => {
      const b = core.batches.find((x) => x.id === i.batchId)!;
      b.status = i.action === 'pause' ? 'paused' : 'running';
      return b;
    },
    'jobs.takeSecrets': (i) => (i.keep ? { puk: '12345678', pin: '246810' } : {}),
    'printers.list': () => [
      { name: 'Office', state: 'idle', accepting: true, message: '' },
      { name: 'Stopped', state: 'stopped', accepting: false, message: 'paused' },
    ],
    'jobs.pinMailer': (i) => {
      // The core's rule book refuses one card (one's own); the others are printed.
      if (i.jobId === 'job-own') throw new ApiError({ code: 'FORBIDDEN', message: 'You cannot make the PIN mailer of your own card.' });
      return { pdf: null, queue: i.queue ?? null, printJob: 7 };
    },
    'batches.cancelItem': (i) => {
      const b = core.batches.find((x) => x.id === i.batchId)!;
      b.items = b.items.map((it) => (it.requestId === i.requestId ? { ...it, state: 'cancelled' } : it));
      b.failed -= 1;
      return b;
    },
  });
  const r = renderWithStores(<BatchesScreen />, api);
  act(() => {
    r.stores.session.setState({ loaded: true, officer: opts.who ?? officer({ roles: ['production'] }) });
    r.stores.readers.getState().start();
    r.stores.batches.getState().start();
  });
  return { api, core, ...r };
}

describe('BatchesScreen', () => {
  it('renders progress: done, failed, remaining, cards per hour and every item’s state', async () => {
    setup({
      batches: [
        batch({
          id: 'b1',
          total: 4,
          done: 2,
          failed: 1,
          remaining: 1,
          cardsPerHour: 61.6,
          readers: ['Virtual PCD 00 00', 'Virtual PCD 00 01'],
          items: [
            item('a', 'done', { readerName: 'Virtual PCD 00 00' }),
            item('b', 'done', { readerName: 'Virtual PCD 00 01' }),
            item('c', 'failed', { readerName: 'Virtual PCD 00 00', failure: 'The card was removed.' }),
            item('d', 'running', { readerName: 'Virtual PCD 00 01' }),
          ],
        }),
      ],
    });
    const panel = await screen.findByTestId('batch-panel');
    expect(within(panel).getByTestId('batch-done').textContent).toBe('2 done');
    expect(within(panel).getByTestId('batch-failed').textContent).toBe('1 failed');
    expect(within(panel).getByTestId('batch-remaining').textContent).toBe('1 remaining');
    expect(within(panel).getByTestId('batch-rate').textContent).toBe('62 cards per hour');
    const bar = within(panel).getByTestId('batch-progress-bar');
    expect([bar.getAttribute('aria-valuenow'), bar.getAttribute('aria-valuemax')]).toEqual(['2', '4']);
    const states = within(panel).getAllByTestId('batch-item').map((r) => [r.getAttribute('data-request-id'), r.getAttribute('data-state')]);
    expect(states).toEqual([['a', 'done'], ['b', 'done'], ['c', 'failed'], ['d', 'running']]);
    const failedRow = within(panel).getAllByTestId('batch-item')[2]!;
    expect(failedRow.textContent).toContain('The card was removed.');
    // Only the failed item can be cancelled.
    expect(within(panel).getAllByTestId('batch-item-cancel')).toHaveLength(1);
    expect(within(failedRow).getByTestId('batch-item-cancel')).toBeTruthy();
  });

  it('says plainly when the rate will be shown, and rounds percentages', () => {
    expect(batchProgress(batch({ total: 3, done: 1, remaining: 2 }))).toEqual({ done: 1, failed: 0, remaining: 2, total: 3, percent: 33, rate: 'cards per hour shown once 2 cards are done' });
    expect(batchProgress(batch()).percent).toBe(0);
  });

  it('starts a batch of the selected approved requests on every free reader, then follows batch.changed', async () => {
    const { api, core } = setup();
    await waitFor(() => expect(screen.getAllByTestId('batch-request')).toHaveLength(3));
    const user = userEvent.setup();
    expect((screen.getByTestId('batch-start') as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getAllByTestId('batch-request')[0]!);
    await user.click(screen.getAllByTestId('batch-request')[2]!);
    expect(screen.getByTestId('batch-start').textContent).toBe('Start the batch (2 cards)');
    await user.click(screen.getByTestId('batch-start'));
    expect(api.callsTo('batches.start')).toEqual([{ requestIds: ['r1', 'r3'], readers: 'all' }]);
    const panel = await screen.findByTestId('batch-panel');
    expect(within(panel).getByTestId('batch-remaining').textContent).toBe('2 remaining');

    core.batches[0] = { ...core.batches[0]!, done: 1, remaining: 1, cardsPerHour: 120, items: [item('r1', 'done'), item('r3', 'running')] };
    act(() => api.emit('batch.changed', { batchId: 'batch-new', done: 1, failed: 0, remaining: 1 }));
    await waitFor(() => expect(within(screen.getByTestId('batch-panel')).getByTestId('batch-done').textContent).toBe('1 done'));
    expect(screen.getByTestId('batch-rate').textContent).toBe('120 cards per hour');
  });

  it('starts on chosen readers only, once at least one is chosen', async () => {
    const { api } = setup();
    await waitFor(() => expect(screen.getAllByTestId('batch-request')).toHaveLength(3));
    const user = userEvent.setup();
    await user.click(screen.getByTestId('batch-select-all'));
    await user.click(screen.getByTestId('batch-readers-chosen'));
    expect((screen.getByTestId('batch-start') as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getAllByTestId('batch-reader').find((r) => r.getAttribute('data-reader') === 'Virtual PCD 00 01')!);
    await user.click(screen.getByTestId('batch-start'));
    expect(api.callsTo('batches.start')).toEqual([{ requestIds: ['r1', 'r2', 'r3'], readers: ['Virtual PCD 00 01'] }]);
  });

  it('cancels a failed item with a reason', async () => {
    const { api } = setup({ batches: [batch({ id: 'b1', total: 2, done: 1, failed: 1, items: [item('a', 'done'), item('c', 'failed', { failure: 'The card was removed.' })] })] });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('batch-item-cancel'));
    expect((screen.getByTestId('batch-cancel-confirm') as HTMLButtonElement).disabled).toBe(true);
    await user.type(screen.getByTestId('batch-cancel-reason'), 'Card damaged');
    await user.click(screen.getByTestId('batch-cancel-confirm'));
    await waitFor(() => expect(screen.getAllByTestId('batch-item')[1]!.getAttribute('data-state')).toBe('cancelled'));
    expect(api.callsTo('batches.cancelItem')).toEqual([{ batchId: 'b1', requestId: 'c', reason: 'Card damaged' }]);
    expect(screen.getByTestId('batch-failed').textContent).toBe('0 failed');
  });

  it('tells the officer what to do at the reader, shows card numbers, pauses and resumes, and cancels a waiting card', async () => {
    const { api } = setup({
      batches: [
        batch({
          id: 'b1',
          number: 12,
          total: 2,
          done: 1,
          remaining: 1,
          readers: ['Virtual PCD 00 00'],
          prompts: [{ readerName: 'Virtual PCD 00 00', action: 'remove', cardNumber: '00000007', sentence: 'Remove card 00000007 from Virtual PCD 00 00 and insert a blank card.' }],
          items: [item('a', 'done', { cardNumber: '00000007', readerName: 'Virtual PCD 00 00', requestNumber: 41 }), item('b', 'queued', { cardNumber: '00000008', requestNumber: 42 })],
        }),
      ],
    });
    const panel = await screen.findByTestId('batch-panel');
    const prompt = within(panel).getByTestId('batch-prompt');
    expect(prompt.textContent).toBe('Remove card 00000007 from Virtual PCD 00 00 and insert a blank card.');
    expect(prompt.getAttribute('data-action')).toBe('remove');
    expect(within(panel).getAllByTestId('batch-item-card').map((c) => c.textContent)).toEqual(['00000007', '00000008']);
    // The batch and its requests by their short numbers, never their ids (observation 6).
    expect(within(panel).getByRole('heading').textContent).toMatch(/^Batch B-000012 of 2 cards/);
    expect(within(panel).getAllByTestId('batch-item-request').map((c) => c.textContent)).toEqual(['R-000041', 'R-000042']);
    expect(within(panel).getAllByTestId('batch-item')[1]!.textContent).toContain('Waiting for a blank card');
    const user = userEvent.setup();
    await user.click(within(panel).getByTestId('batch-pause'));
    await waitFor(() => expect(screen.getByTestId('batch-panel').getAttribute('data-status')).toBe('paused'));
    expect(screen.getByTestId('batch-paused').textContent).toMatch(/^Paused: cards inserted now are left alone/);
    expect(screen.queryByTestId('batch-pause')).toBeNull();
    await user.click(screen.getByTestId('batch-resume'));
    await waitFor(() => expect(screen.getByTestId('batch-panel').getAttribute('data-status')).toBe('running'));
    expect(api.callsTo('batches.setPaused')).toEqual([{ batchId: 'b1', action: 'pause' }, { batchId: 'b1', action: 'resume' }]);
    // The waiting card can be cancelled; the produced one cannot.
    const cancels = screen.getAllByTestId('batch-item-cancel');
    expect(cancels).toHaveLength(1);
    await user.click(cancels[0]!);
    await user.type(screen.getByTestId('batch-cancel-reason'), 'Cardholder left');
    await user.click(screen.getByTestId('batch-cancel-confirm'));
    expect(api.callsTo('batches.cancelItem')).toEqual([{ batchId: 'b1', requestId: 'b', reason: 'Cardholder left' }]);
  });

  it('leaves requests already waiting in a batch out of a new batch', async () => {
    setup({ batches: [batch({ id: 'b1', total: 1, remaining: 1, items: [item('r2', 'queued')] }), batch({ id: 'old', status: 'done', total: 1, done: 1, items: [item('r3', 'failed')] })] });
    await waitFor(() => expect(screen.getAllByTestId('batch-request').map((r) => r.getAttribute('data-request-id'))).toEqual(['r1', 'r3']));
  });

  it('shows a produced card’s PUK and PIN once, until the officer confirms they are recorded', async () => {
    const { api, core } = setup({ batches: [batch({ id: 'b1', status: 'done', total: 1, done: 1, items: [item('a', 'done', { jobId: 'job-a', secretsWaiting: true })] })] });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('batch-item-secrets'));
    expect((await screen.findByTestId('puk-value')).textContent).toBe('12345678');
    expect(screen.getByTestId('pin-value').textContent).toBe('246810');
    core.batches[0] = { ...core.batches[0]!, items: [item('a', 'done', { jobId: 'job-a', secretsWaiting: false })] };
    await user.click(screen.getByTestId('secrets-recorded'));
    await waitFor(() => expect(screen.queryByTestId('puk-value')).toBeNull());
    expect(screen.queryByTestId('batch-item-secrets')).toBeNull();
    expect(api.callsTo('jobs.takeSecrets')).toEqual([{ jobId: 'job-a', keep: true }, { jobId: 'job-a' }]);
  });

  it('an auditor sees batches but no start form and no cancel', async () => {
    setup({ who: officer({ roles: ['auditor'] }), batches: [batch({ id: 'b1', total: 1, failed: 1, items: [item('c', 'failed')] })] });
    await screen.findByTestId('batch-panel');
    expect(screen.queryByTestId('batch-start')).toBeNull();
    expect(screen.queryByTestId('batch-item-cancel')).toBeNull();
  });

  describe('from a CSV file', () => {
    const FILE = 'name,request\nAda,r7\nGrace,r9\n';
    const chooseFile = async (user: ReturnType<typeof userEvent.setup>, file: File) => {
      await user.click(screen.getByTestId('batch-source-csv'));
      await user.upload(screen.getByTestId('batch-csv-file'), file);
    };

    it('sends the file to the core, shows the requests the core found, and starts the batch with them', async () => {
      // The core's answer, not the renderer, says which requests the file names.
      const { api } = setup({ csv: () => ({ requests: [{ line: 2, requestId: 'r7', requestNumber: 7, personName: 'Ada L' }, { line: 3, requestId: 'r9', requestNumber: 9, personName: 'Grace H' }], problems: [] }) });
      const user = userEvent.setup();
      await chooseFile(user, new File([FILE], 'week-12.csv', { type: 'text/csv' }));
      await waitFor(() => expect(screen.getAllByTestId('batch-csv-request')).toHaveLength(2));
      expect(api.callsTo('batches.parseCsv')).toEqual([{ csv: FILE }]);
      expect(screen.getByTestId('batch-csv-requests').textContent).toContain('week-12.csv: 2 cards to produce.');
      expect(screen.getAllByTestId('batch-csv-request').map((r) => [r.getAttribute('data-request-id'), r.textContent])).toEqual([
        ['r7', 'Line 2: R-000007 · Ada L'],
        ['r9', 'Line 3: R-000009 · Grace H'],
      ]);
      expect(screen.queryByTestId('batch-request')).toBeNull();
      await user.click(screen.getByTestId('batch-start'));
      expect(api.callsTo('batches.start')).toEqual([{ requestIds: ['r7', 'r9'], readers: 'all' }]);
      await screen.findByTestId('batch-panel');
      // The file is spent: the form is ready for the next one.
      await waitFor(() => expect(screen.queryByTestId('batch-csv-requests')).toBeNull());
      expect((screen.getByTestId('batch-csv-file') as HTMLInputElement).files).toHaveLength(0);
    });

    it('a file with bad lines shows every problem the core named and cannot start', async () => {
      const { api } = setup({
        csv: () => ({
          requests: [{ line: 2, requestId: 'r7', requestNumber: 7, personName: 'Ada L' }],
          problems: [
            { line: 3, message: 'Line 3 of the batch file has no valid request number.' },
            { line: 4, message: 'Line 4: Request r1 is produced; only approved requests can be produced in a batch.' },
          ],
        }),
      });
      const user = userEvent.setup();
      await chooseFile(user, new File(['request\nr7\nbad id\nr1\n'], 'bad.csv', { type: 'text/csv' }));
      await waitFor(() => expect(screen.getAllByTestId('batch-csv-problem')).toHaveLength(2));
      expect(screen.getAllByTestId('batch-csv-problem').map((p) => [p.getAttribute('data-line'), p.textContent])).toEqual([
        ['3', 'Line 3 of the batch file has no valid request number.'],
        ['4', 'Line 4: Request r1 is produced; only approved requests can be produced in a batch.'],
      ]);
      expect(screen.getByRole('alert').textContent).toContain('bad.csv cannot start a batch: mend these 2 lines');
      expect(screen.queryByTestId('batch-csv-request')).toBeNull();
      expect((screen.getByTestId('batch-start') as HTMLButtonElement).disabled).toBe(true);
      expect(api.callsTo('batches.start')).toEqual([]);
    });

    it('a file too large for a batch is refused before it is sent; a refusal by the core is shown', async () => {
      const { api } = setup();
      const user = userEvent.setup();
      await chooseFile(user, new File(['r'.repeat(MAX_BATCH_CSV_CHARS + 1)], 'huge.csv', { type: 'text/csv' }));
      expect((await screen.findByTestId('batch-csv-error')).textContent).toBe('The batch file is too large: a batch file lists at most 10 000 requests.');
      expect(api.callsTo('batches.parseCsv')).toEqual([]);
      await user.upload(screen.getByTestId('batch-csv-file'), new File([FILE], 'ok.csv', { type: 'text/csv' }));
      await waitFor(() => expect(screen.getByTestId('batch-csv-error').textContent).toBe('This needs the Card production administrator role.'));
      expect(api.callsTo('batches.parseCsv')).toHaveLength(1);
      expect((screen.getByTestId('batch-start') as HTMLButtonElement).disabled).toBe(true);
    });
  });

  it('prints the PIN mailers of the produced cards whose PIN waits, through the core, and names the card it refused', async () => {
    const { api } = setup({
      batches: [
        batch({
          id: 'b1',
          number: 3,
          total: 4,
          done: 3,
          remaining: 1,
          items: [
            item('a', 'done', { jobId: 'job-a', secretsWaiting: true, requestNumber: 1, cardNumber: '00000001' }),
            item('own', 'done', { jobId: 'job-own', secretsWaiting: true, requestNumber: 2, personName: 'Pat Producer' }),
            item('taken', 'done', { jobId: 'job-taken', secretsWaiting: false, requestNumber: 3 }),
            item('q', 'queued', { requestNumber: 4 }),
          ],
        }),
      ],
    });
    const user = userEvent.setup();
    const print = await screen.findByTestId('batch-pin-mailers-print');
    await waitFor(() => expect((screen.getByTestId('batch-pin-mailers-queue') as HTMLSelectElement).value).toBe('Office'));
    expect(print.textContent).toBe('Print PIN mailers for 2 produced cards');
    await user.click(print);
    await waitFor(() => expect(screen.getByTestId('batch-pin-mailers-outcome').textContent).toBe('1 PIN mailer sent to Office.'));
    expect(api.callsTo('jobs.pinMailer')).toEqual([
      { jobId: 'job-a', queue: 'Office' },
      { jobId: 'job-own', queue: 'Office' },
    ]);
    expect(screen.getByTestId('batch-pin-mailers-problems').textContent).toBe('R-000002 (Pat Producer): You cannot make the PIN mailer of your own card.');
  });

  it('offers no PIN mailers to an officer who may not make them, nor when no PIN waits', async () => {
    setup({ batches: [batch({ id: 'b1', total: 1, done: 1, items: [item('a', 'done', { jobId: 'job-a', secretsWaiting: true })] })], who: officer({ roles: ['auditor'] }) });
    await screen.findByTestId('batch-panel');
    expect(screen.queryByTestId('batch-pin-mailers')).toBeNull();
  });
});
