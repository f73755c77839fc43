// @vitest-environment jsdom
/**
 * Printing on the production screens (issue 11) over a fake StationApi: the
 * PIN delivery chosen while the card is made — a PIN mailer printed on a
 * chosen queue or saved as a PDF is made before the secrets are taken (it
 * takes the PIN; the screen shows the PUK only) — and a batch's print status
 * per card with Retry for the failed card alone.
 */
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BatchView, ChannelOutput, JobDetail } from '../../../../../electron/contract/station-api';
import { BatchesScreen } from '../../../../../renderer/src/features/batches/BatchesScreen';
import { ProductionScreen } from '../../../../../renderer/src/features/production/ProductionScreen';
import { batch, createFakeApi, flush, jobDetail, officer, reader, withSteps } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';

afterEach(cleanup);

const CARD = { id: 'c-1', serial: 12345678, guid: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', fascn: 'D4E739DA739CED39CE739D836858210842108421C84210C3EB', credentialNumber: '000001', status: 'produced', expirationDate: '2030-01-01', capabilities: null } as const;
const PRINTERS: ChannelOutput<'printers.list'> = [
  { name: 'Desk-Laser', state: 'idle', accepting: true, message: '' },
  { name: 'Card-Printer', state: 'idle', accepting: true, message: '' },
  { name: 'Broken', state: 'stopped', accepting: false, message: 'Paused' },
];

describe('PIN delivery on the production screen', () => {
  beforeEach(() => {
    // jsdom has no object URLs: the PDF download needs one.
    URL.createObjectURL = vi.fn(() => 'blob:mailer');
    URL.revokeObjectURL = vi.fn();
  });

  function setup(mailer: ChannelOutput<'jobs.pinMailer'>) {
    const server: { job: JobDetail; order: string[] } = { job: { ...withSteps(jobDetail(), 3, 'running'), pinGenerated: true }, order: [] };
    const api = createFakeApi({
      'jobs.get': () => server.job,
      'jobs.list': () => [],
      'readers.list': () => [reader('Virtual PCD 00 00', { cardPresent: true, card: 'piv' })],
      'persons.getPhoto': () => null,
      'cards.preview': () => ({ front: '<svg/>', back: '<svg/>' }),
      'printers.list': () => PRINTERS,
      'jobs.pinMailer': () => {
        server.order.push('pinMailer');
        return mailer;
      },
      'jobs.takeSecrets': () => {
        server.order.push('takeSecrets');
        // The mailer took the PIN: only the PUK is left.
        return { puk: '73914628' };
      },
    });
    const r = renderWithStores(<ProductionScreen jobId="job-1" />, api);
    return { ...r, api, server };
  }

  async function finish(r: ReturnType<typeof setup>) {
    r.server.job = { ...withSteps(jobDetail(), 8, 'done'), status: 'done', pinGenerated: true, card: CARD };
    await act(async () => {
      r.stores.jobs.getState().start();
      r.api.emit('job.event', { type: 'job.finished', jobId: 'job-1' });
      await flush();
    });
  }

  it('prints the mailer on the chosen queue before taking the secrets; only accepting queues are offered', async () => {
    const r = setup({ pdf: null, queue: 'Card-Printer', printJob: 41 });
    const user = userEvent.setup();
    const delivery = await screen.findByTestId('pin-delivery');
    expect(delivery.getAttribute('data-choice')).toBe('screen');
    await waitFor(() => expect(within(delivery).getAllByRole('option').map((o) => o.textContent)).toEqual(['Desk-Laser', 'Card-Printer']));
    await user.selectOptions(within(delivery).getByTestId('pin-delivery-queue'), 'Card-Printer');
    expect(delivery.getAttribute('data-choice')).toBe('mailer-print');
    await finish(r);
    await waitFor(() => expect(r.server.order).toEqual(['pinMailer', 'takeSecrets']));
    expect(r.api.callsTo('jobs.pinMailer')).toEqual([{ jobId: 'job-1', queue: 'Card-Printer' }]);
    expect((await screen.findByTestId('pin-delivery-outcome')).textContent).toBe('The PIN mailer was sent to Card-Printer.');
    // Settled: the choice cannot change any more.
    await waitFor(() => expect((screen.getByTestId('pin-delivery') as HTMLFieldSetElement).disabled).toBe(true));
  });

  it('saves the mailer as a PDF when asked', async () => {
    const r = setup({ pdf: Buffer.from('%PDF-1.7 mailer').toString('base64'), queue: null, printJob: null });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('pin-delivery-pdf'));
    await finish(r);
    await waitFor(() => expect(r.server.order).toEqual(['pinMailer', 'takeSecrets']));
    expect(r.api.callsTo('jobs.pinMailer')).toEqual([{ jobId: 'job-1' }]);
    expect((await screen.findByTestId('pin-delivery-outcome')).textContent).toBe('The PIN mailer was saved as a PDF.');
    expect(URL.createObjectURL).toHaveBeenCalledTimes(1);
  });

  it('makes no mailer when the PIN is to be shown on the screen', async () => {
    const r = setup({ pdf: null, queue: null, printJob: null });
    await screen.findByTestId('pin-delivery');
    await finish(r);
    await waitFor(() => expect(r.server.order).toEqual(['takeSecrets']));
    expect(r.api.callsTo('jobs.pinMailer')).toEqual([]);
  });
});

describe('print status in a batch', () => {
  type Item = BatchView['items'][number];
  const item = (requestId: string, state: Item['state'], over: Partial<Item> = {}): Item => ({ requestId, requestNumber: null, personName: `Person ${requestId}`, state, readerName: 'Virtual PCD 00 00', jobId: `job-${requestId}`, failure: null, ...over });

  it('shows each card’s print status and retries the failed card alone', async () => {
    const core = {
      batch: batch({
        id: 'b1',
        total: 3,
        done: 1,
        failed: 1,
        remaining: 1,
        items: [item('a', 'done', { print: 'printed' }), item('b', 'failed', { print: 'failed', failure: 'The printer Card-Printer is stopped.' }), item('c', 'running', { print: 'waiting' })],
      }),
    };
    const api = createFakeApi({
      'batches.list': () => [core.batch],
      'batches.get': () => core.batch,
      'requests.list': () => [],
      'readers.list': () => [reader('Virtual PCD 00 00')],
      'batches.retryItem': ({ requestId }) => {
        core.batch = { ...core.batch, failed: 0, remaining: 2, items: core.batch.items.map((i) => (i.requestId === requestId ? { ...i, state: 'running', print: 'waiting', failure: null } : i)) };
        return core.batch;
      },
    });
    const r = renderWithStores(<BatchesScreen />, api);
    act(() => {
      r.stores.session.setState({ loaded: true, officer: officer({ roles: ['production'] }) });
      r.stores.readers.getState().start();
      r.stores.batches.getState().start();
    });
    const rows = await screen.findAllByTestId('batch-item');
    expect(rows.map((row) => within(row).queryByTestId('batch-item-print')?.getAttribute('data-print'))).toEqual(['printed', 'failed', 'waiting']);
    // Retry is offered for the failed card only.
    expect(rows.map((row) => within(row).queryByTestId('batch-item-retry') !== null)).toEqual([false, true, false]);
    await userEvent.setup().click(within(rows[1]!).getByTestId('batch-item-retry'));
    expect(api.callsTo('batches.retryItem')).toEqual([{ batchId: 'b1', requestId: 'b' }]);
    await waitFor(() => expect(screen.getAllByTestId('batch-item')[1]!.getAttribute('data-state')).toBe('running'));
    expect(within(screen.getAllByTestId('batch-item')[1]!).getByTestId('batch-item-print').getAttribute('data-print')).toBe('waiting');
  });
});
