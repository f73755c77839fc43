// @vitest-environment jsdom
/**
 * Issue 12, observation 5, in the renderer: the session's resume token is
 * kept for a reload of the tab and given back to the core at the next
 * start; logout forgets it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionStore } from '../../../../renderer/src/stores/session-store';
import { keptResumeToken } from '../../../../renderer/src/reload/page-memory';
import { createFakeApi } from '../support/fake-api';

afterEach(() => sessionStorage.clear());

const OFFICER = { id: 'o-1', username: 'ada', displayName: 'Ada', roles: ['production' as const], personId: null, status: 'active' as const, createdAt: '2031-01-01T00:00:00Z' };

describe('session store across a reload', () => {
  it('keeps the token after login, resumes with it after a reload, forgets it at logout', async () => {
    let session: 'none' | 'first' | 'resumed' = 'none';
    const status = () => ({ firstRun: false, officer: session === 'none' ? null : OFFICER, locked: false, lockAfterSeconds: 900, ...(session === 'first' ? { resumeToken: 'token-1' } : session === 'resumed' ? { resumeToken: 'token-2' } : {}) });
    const api = createFakeApi({
      'auth.status': status,
      'auth.login': () => {
        session = 'first';
        return OFFICER;
      },
      'auth.resume': ({ token }: { token: string }) => {
        if (token !== 'token-1') throw new Error('stale');
        session = 'resumed';
        return status();
      },
      'auth.logout': () => {
        session = 'none';
        return {};
      },
    });
    const before = createSessionStore(api);
    await before.getState().load();
    expect(keptResumeToken()).toBeNull();
    expect(await before.getState().login('ada', 'a password')).toBe(true);
    expect(keptResumeToken()).toBe('token-1');

    // The reload: a new connection (no session on it), a new store, the same tab.
    session = 'none';
    const after = createSessionStore(api);
    await after.getState().load();
    expect(api.callsTo('auth.resume')).toEqual([{ token: 'token-1' }]);
    expect(after.getState().officer?.username).toBe('ada');
    expect(keptResumeToken()).toBe('token-2');

    await after.getState().logout();
    expect(keptResumeToken()).toBeNull();
  });
});
