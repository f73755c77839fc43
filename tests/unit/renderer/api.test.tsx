// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import type { StationBridge } from '../../../electron/contract/station-api';
import { ApiError, bridgeUrl, createStationApi, errorSentence, getBridge } from '../../../renderer/src/api';

const bridge = (invoke: StationBridge['invoke']): StationBridge => ({ invoke, subscribe: () => () => {} });

describe('renderer api', () => {
  afterEach(() => {
    delete window.station;
  });

  it('unwraps an ok Result', async () => {
    const api = createStationApi(bridge(async () => ({ ok: true, value: { version: '1', organization: 'Org', training: true } }) as never));
    await expect(api.call('station.info', {})).resolves.toEqual({ version: '1', organization: 'Org', training: true });
  });

  it('throws an ApiError with the code and sentence of a failed Result', async () => {
    const api = createStationApi(
      bridge(async () => ({ ok: false, error: { code: 'CARD_REMOVED', message: 'The card was removed.', details: {}, retryable: true } })),
    );
    const err = await api.call('readers.list', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'CARD_REMOVED', message: 'The card was removed.', retryable: true });
    expect(errorSentence(err)).toBe('The card was removed. Put it back in the reader and try again.');
  });

  it('turns a broken link into an ApiError, not a raw exception', async () => {
    const api = createStationApi(
      bridge(async () => {
        throw new TypeError('socket closed');
      }),
    );
    await expect(api.call('readers.list', {})).rejects.toMatchObject({ code: 'BRIDGE' });
  });

  it('shows the core message for codes without friendlier words, and no stack for other errors', () => {
    expect(errorSentence(new ApiError({ code: 'CA_ERROR', message: 'The CA refused the request.' }))).toBe('The CA refused the request.');
    expect(errorSentence(new Error('at foo (bar.js:1)'))).not.toContain('bar.js');
  });

  it('builds the bridge URL from the page host and token', () => {
    expect(bridgeUrl({ host: '127.0.0.1:4567', search: '?token=abc123' })).toBe('ws://127.0.0.1:4567/bridge?token=abc123');
  });

  it('uses the Electron preload bridge when present', () => {
    const preload = bridge(async () => ({ ok: true, value: [] }) as never);
    window.station = preload;
    expect(getBridge()).toBe(preload);
  });
});
