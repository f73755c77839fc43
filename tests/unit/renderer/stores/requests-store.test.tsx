import { describe, expect, it } from 'vitest';
import { createRequestsStore } from '../../../../renderer/src/stores/requests-store';
import type { CardRequestView } from '../../../../electron/contract/station-api';
import { cardRequest, createFakeApi, flush } from '../support/fake-api';

describe('requests store', () => {
  it('keeps only the newest answer of a list (a slow early answer never overwrites a later one)', async () => {
    const answers: ((rows: CardRequestView[]) => void)[] = [];
    const api = createFakeApi({ 'requests.list': () => new Promise<CardRequestView[]>((resolve) => answers.push(resolve)) });
    const store = createRequestsStore(api);
    const first = store.getState().setFilter('requested');
    const second = store.getState().setFilter('approved');
    answers[1]!([cardRequest({ id: 'new', state: 'approved' })]);
    answers[0]!([cardRequest({ id: 'old' })]);
    await Promise.all([first, second]);
    expect(store.getState().list.map((r) => r.id)).toEqual(['new']);
    expect(api.callsTo('requests.list')).toEqual([{ state: ['requested'] }, { state: ['approved'] }]);
  });

  it('request.changed reloads the lists a screen has loaded, and only those', async () => {
    const api = createFakeApi({ 'requests.list': () => [] });
    const store = createRequestsStore(api);
    store.getState().start();
    await store.getState().loadPending();
    api.emit('request.changed', { requestId: 'r', state: 'approved' });
    await flush();
    expect(api.callsTo('requests.list')).toEqual([{ state: ['requested'] }, { state: ['requested'] }]);
  });
});
