// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ReadersPanel } from '../../../../../renderer/src/features/readers/ReadersPanel';
import { createFakeApi, flush, reader } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';
import { ApiError } from '../../../../../renderer/src/api-error';
import { PCSCD_NOT_RUNNING } from '../../../../../native/pcsc/errors';

afterEach(cleanup);

describe('ReadersPanel', () => {
  it('shows each reader, its card and the recognized kind, live', async () => {
    const api = createFakeApi({
      'readers.list': () => [reader('Virtual PCD 00 00', { cardPresent: true, card: 'not-piv' }), reader('Virtual PCD 00 01')],
    });
    const { stores } = renderWithStores(<ReadersPanel />, api);
    await act(async () => {
      stores.readers.getState().start();
      await flush();
    });
    const rows = screen.getAllByTestId('reader-row');
    expect(rows.map((r) => r.getAttribute('data-reader'))).toEqual(['Virtual PCD 00 00', 'Virtual PCD 00 01']);
    expect(within(rows[0]!).getByText('Card present')).toBeTruthy();
    expect(within(rows[0]!).getByTestId('reader-card-kind').textContent).toBe('Not a PIV card — this card cannot be personalized');
    expect(within(rows[1]!).getByText('No card')).toBeTruthy();
    expect(within(rows[1]!).queryByTestId('reader-card-kind')).toBeNull();

    act(() => api.emit('reader.changed', [reader('Virtual PCD 00 00', { cardPresent: true, card: 'piv' }), reader('Virtual PCD 00 01', { cardPresent: true, card: 'unknown' })]));
    const kinds = screen.getAllByTestId('reader-card-kind').map((k) => k.textContent);
    expect(kinds).toEqual(['PIV card', 'Reading…']);

    act(() => api.emit('reader.changed', [reader('Virtual PCD 00 00', { cardPresent: true, card: 'station-locked' })]));
    expect(screen.getAllByTestId('reader-row')).toHaveLength(1);
    expect(screen.getByTestId('reader-card-kind').textContent).toBe('Locked by this station');
  });

  it("says why there is no reader: the core's sentence on how to start pcscd", async () => {
    const api = createFakeApi({
      'readers.list': () => {
        throw new ApiError({ code: 'PCSC_UNAVAILABLE', message: PCSCD_NOT_RUNNING });
      },
    });
    const { stores } = renderWithStores(<ReadersPanel />, api);
    await act(async () => {
      stores.readers.getState().start();
      await flush();
    });
    expect(screen.getByTestId('readers-error').textContent).toContain('pcscd is not running: start it with');
    expect(screen.queryByText('No reader is connected. Plug in a smart-card reader.')).toBeNull();
  });
});
