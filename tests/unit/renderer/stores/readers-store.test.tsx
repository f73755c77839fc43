// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { createReadersStore, readersForChoice } from '../../../../renderer/src/stores/readers-store';
import { ApiError } from '../../../../renderer/src/api-error';
import { PCSCD_NOT_RUNNING } from '../../../../native/pcsc/errors';
import { createFakeApi, flush, reader } from '../support/fake-api';

describe('readers store', () => {
  it('lists readers at start and follows reader.changed', async () => {
    const api = createFakeApi({ 'readers.list': () => [reader('A')] });
    const store = createReadersStore(api);
    const stop = store.getState().start();
    await flush();
    expect(store.getState().readers.map((r) => r.name)).toEqual(['A']);
    expect(store.getState().loaded).toBe(true);

    api.emit('reader.changed', [reader('A', { cardPresent: true, card: 'not-piv' }), reader('B')]);
    expect(store.getState().readers).toHaveLength(2);
    expect(store.getState().readers[0]).toMatchObject({ cardPresent: true, card: 'not-piv' });

    stop();
    expect(api.listenerCount('reader.changed')).toBe(0);
    api.emit('reader.changed', []);
    expect(store.getState().readers).toHaveLength(2);
  });

  it('keeps an event that arrived while the list call was in flight', async () => {
    let answer: (v: ReturnType<typeof reader>[]) => void = () => {};
    const api = createFakeApi({ 'readers.list': () => new Promise((r) => (answer = r)) });
    const store = createReadersStore(api);
    store.getState().start();
    api.emit('reader.changed', [reader('New', { cardPresent: true, card: 'piv' })]);
    answer([reader('Old')]);
    await flush();
    expect(store.getState().readers.map((r) => r.name)).toEqual(['New']);
  });

  it("says why the smart-card service is down in the core's words (how to start pcscd)", async () => {
    const api = createFakeApi({
      'readers.list': () => {
        throw new ApiError({ code: 'PCSC_UNAVAILABLE', message: PCSCD_NOT_RUNNING });
      },
    });
    const store = createReadersStore(api);
    store.getState().start();
    await flush();
    expect(store.getState().error).toBe(PCSCD_NOT_RUNNING);
  });

  it('orders readers holding a card first', () => {
    const sorted = readersForChoice([reader('B'), reader('C', { cardPresent: true }), reader('A')]);
    expect(sorted.map((r) => r.name)).toEqual(['C', 'A', 'B']);
  });
});
