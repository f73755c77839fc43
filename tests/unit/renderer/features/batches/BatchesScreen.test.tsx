// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchesScreen } from '../../../../../renderer/src/features/batches/BatchesScreen';
import { batchProgress } from '../../../../../renderer/src/stores/batches-store';
import { batch, cardRequest, createFakeApi, officer, reader } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';
import type { BatchView, OfficerView } from '../../../../../electron/contract/station-api';

afterEach(cleanup);

type Item = BatchView['items'][number];
const item = (requestId: string, state: Item['state'], over: Partial<Item> = {}): Item => ({ requestId, personName: `Person ${requestId}`, state, readerName: null, jobId: null, failure: null, ...over });

function setup(opts: { batches?: BatchView[]; who?: OfficerView } = {}) {
  const core = { batches: opts.batches ?? [] };
  const api = createFakeApi({
    'batches.list': () => core.batches,
    'batches.get': (i) => core.batches.find((b) => b.id === i.batchId)!,
    'requests.list': () => [cardRequest({ id: 'r1', state: 'approved', personName: 'One' }), cardRequest({ id: 'r2', state: 'approved', personName: 'Two' }), cardRequest({ id: 'r3', state: 'approved', personName: 'Three' })],
    'readers.list': () => [reader('Virtual PCD 00 00'), reader('Virtual PCD 00 01')],
    'batches.start': (i) => {
      const ids = i.requestIds;
      core.batches = [batch({ id: 'batch-new', total: ids.length, remaining: ids.length, items: ids.map((id) => item(id, 'queued')) }), ...core.batches];
      return { batchId: 'batch-new' };
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

  it('says the rate is not known before the first card, and rounds percentages', () => {
    expect(batchProgress(batch({ total: 3, done: 1, remaining: 2 }))).toEqual({ done: 1, failed: 0, remaining: 2, total: 3, percent: 33, rate: 'rate not known yet' });
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

  it('an auditor sees batches but no start form and no cancel', async () => {
    setup({ who: officer({ roles: ['auditor'] }), batches: [batch({ id: 'b1', total: 1, failed: 1, items: [item('c', 'failed')] })] });
    await screen.findByTestId('batch-panel');
    expect(screen.queryByTestId('batch-start')).toBeNull();
    expect(screen.queryByTestId('batch-item-cancel')).toBeNull();
  });
});
