import { describe, expect, it } from 'vitest';
import { watchSession } from '../../../../renderer/src/stores/session-watch';
import { ApiError } from '../../../../renderer/src/api-error';
import { createFakeApi } from '../support/fake-api';

describe('watchSession', () => {
  it('reports SESSION_LOCKED and NOT_AUTHENTICATED answers and still throws them; auth.* answers are not reported', async () => {
    const seen: string[] = [];
    const fake = createFakeApi({
      'readers.list': () => {
        throw new ApiError({ code: 'SESSION_LOCKED', message: 'Locked.' });
      },
      'jobs.list': () => {
        throw new ApiError({ code: 'NOT_AUTHENTICATED', message: 'Log in.' });
      },
      'requests.list': () => {
        throw new ApiError({ code: 'FORBIDDEN', message: 'Needs a role.' });
      },
      'auth.login': () => {
        throw new ApiError({ code: 'SESSION_LOCKED', message: 'odd' });
      },
      'station.info': () => ({ version: '1', organization: 'A', training: false, separationOfDuties: { producerDiffersFromRequester: true } }),
    });
    const api = watchSession(fake, () => ({ locked: () => seen.push('locked'), unauthenticated: () => seen.push('unauthenticated') }));
    await expect(api.call('readers.list', {})).rejects.toMatchObject({ code: 'SESSION_LOCKED' });
    await expect(api.call('jobs.list', {})).rejects.toMatchObject({ code: 'NOT_AUTHENTICATED' });
    await expect(api.call('requests.list', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(api.call('auth.login', { username: 'abc', password: 'x' })).rejects.toMatchObject({ code: 'SESSION_LOCKED' });
    expect(await api.call('station.info', {})).toEqual({ version: '1', organization: 'A', training: false, separationOfDuties: { producerDiffersFromRequester: true } });
    expect(seen).toEqual(['locked', 'unauthenticated']);
  });
});
