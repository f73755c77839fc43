// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { cardProblem, createIssueStore } from '../../../../renderer/src/stores/issue-store';
import { ApiError } from '../../../../renderer/src/api-error';
import { createFakeApi, person, reader } from '../support/fake-api';

describe('issue store', () => {
  it('takes the profile from the person and starts production with the typed PIN, then forgets it', async () => {
    const api = createFakeApi({ 'production.start': () => ({ jobId: 'job-9' }) });
    const store = createIssueStore(api);
    store.getState().selectPerson(person({ affiliation: 'contractor' }));
    expect(store.getState().profile).toBe('contractor');
    store.getState().setReader('R1');
    store.getState().setPin('12a34-56');
    store.getState().setPinConfirm('123456');
    expect(store.getState().pin).toBe('123456');
    await expect(store.getState().produce()).resolves.toBe('job-9');
    expect(api.callsTo('production.start')).toEqual([{ personId: 'p-1', readerName: 'R1', profile: 'contractor', pin: '123456' }]);
    expect(store.getState().pin).toBe('');
    expect(store.getState().pinConfirm).toBe('');
  });

  it('sends no PIN when the station generates it', async () => {
    const api = createFakeApi({ 'production.start': () => ({ jobId: 'job-9' }) });
    const store = createIssueStore(api);
    store.getState().selectPerson(person());
    store.getState().setReader('R1');
    store.getState().setPin('123456');
    store.getState().setPinMode('generated');
    await store.getState().produce();
    expect(api.callsTo('production.start')[0]).not.toHaveProperty('pin');
  });

  it('shows the core refusal and clears the PIN', async () => {
    const api = createFakeApi({
      'production.start': () => {
        throw new ApiError({ code: 'READER_BUSY', message: 'A card is already being produced in R1.' });
      },
    });
    const store = createIssueStore(api);
    store.getState().selectPerson(person());
    store.getState().setReader('R1');
    store.getState().setPin('123456');
    store.getState().setPinConfirm('123456');
    await expect(store.getState().produce()).resolves.toBeNull();
    expect(store.getState().error).toMatch(/reader is busy/);
    expect(store.getState().pin).toBe('');
  });

  it('loads the chosen person\'s request history (the approval rule reads it)', async () => {
    const api = createFakeApi({ 'requests.list': () => [] });
    const store = createIssueStore(api);
    store.getState().selectPerson(person({ id: 'p-7' }));
    expect(store.getState().history).toBeNull();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().history).toEqual([]);
    expect(api.callsTo('requests.list')).toEqual([{ personId: 'p-7' }]);
  });

  it('refuses a reader holding a non-PIV card', () => {
    expect(cardProblem(reader('R1', { cardPresent: true, card: 'not-piv' }))).toBe('The card in R1 is not a PIV card. Insert a blank PIV card.');
    expect(cardProblem(reader('R1', { cardPresent: true, card: 'piv' }))).toBeNull();
    expect(cardProblem(reader('R1'))).toBeNull();
  });
});
