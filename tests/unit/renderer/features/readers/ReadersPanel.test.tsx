// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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
    expect(kinds).toEqual(['PIV card of an unfinished production', 'Reading…']);

    act(() => api.emit('reader.changed', [reader('Virtual PCD 00 00', { cardPresent: true, card: 'station-locked' })]));
    expect(screen.getAllByTestId('reader-row')).toHaveLength(1);
    expect(screen.getByTestId('reader-card-kind').textContent).toBe('Locked by this station');
  });

  it('says what the card is: blank, issued (number, cardholder, when), another issuer\'s (issue 12, obs. 1)', async () => {
    const producedAt = new Date().toISOString();
    const issued = { cardId: 'c-1', cardNumber: '00000002', cardholder: 'Ada Lovelace', status: 'produced' as const, producedAt };
    const api = createFakeApi({
      'readers.list': () => [
        reader('A', { cardPresent: true, card: 'blank' }),
        reader('B', { cardPresent: true, card: 'issued', issued }),
        reader('C', { cardPresent: true, card: 'foreign' }),
      ],
    });
    const { stores } = renderWithStores(<ReadersPanel />, api);
    await act(async () => {
      stores.readers.getState().start();
      await flush();
    });
    expect(screen.getAllByTestId('reader-card-kind').map((k) => k.textContent)).toEqual([
      'Blank PIV card',
      'Issued card 00000002 · Ada Lovelace · produced today',
      'Card from another issuer',
    ]);
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

  it('chooses the reader for the next card by keyboard: Tab to a reader’s button, Enter or Space', async () => {
    const api = createFakeApi({ 'readers.list': () => [reader('Virtual PCD 00 00', { cardPresent: true, card: 'blank' }), reader('Virtual PCD 00 01', { cardPresent: true, card: 'blank' })] });
    const { stores } = renderWithStores(<ReadersPanel />, api);
    await act(async () => {
      stores.readers.getState().start();
      await flush();
    });
    const user = userEvent.setup();
    await user.tab();
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Use for the next card: Virtual PCD 00 00');
    await user.tab();
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Use for the next card: Virtual PCD 00 01');
    await user.keyboard('{Enter}');
    // The production form's reader is the one chosen, and the panel marks it.
    expect(stores.issue.getState().readerName).toBe('Virtual PCD 00 01');
    const rows = screen.getAllByTestId('reader-row');
    expect(rows.map((r) => r.getAttribute('data-chosen'))).toEqual(['false', 'true']);
    expect(within(rows[1]!).getByTestId('reader-use').getAttribute('aria-pressed')).toBe('true');
    await user.tab({ shift: true });
    await user.keyboard(' ');
    expect(stores.issue.getState().readerName).toBe('Virtual PCD 00 00');
  });
});
