// @vitest-environment jsdom
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../../../renderer/src/App';
import { ApiError } from '../../../../../renderer/src/api-error';
import { authStatus, cardRequest, createFakeApi, officer, person, reader, type FakeApi, matches } from '../../support/fake-api';
import { renderWithStores } from '../../support/render';

afterEach(() => {
  cleanup();
  sessionStorage.clear(); // a reload's memory (page-memory.ts) belongs to one test
});

const PASSWORD = 'correct horse battery staple';

/** A fake core with one officer `grace` and a real-looking session: login binds, logout unbinds, lock refuses calls. */
function station(opts: { firstRun?: boolean } = {}) {
  const core = { firstRun: opts.firstRun ?? false, officer: null as ReturnType<typeof officer> | null, locked: false };
  const guard = () => {
    if (!core.officer) throw new ApiError({ code: 'NOT_AUTHENTICATED', message: 'Log in first.' });
    if (core.locked) throw new ApiError({ code: 'SESSION_LOCKED', message: 'The session is locked: log in again.' });
  };
  const api: FakeApi = createFakeApi({
    'station.info': () => ({ version: '0.1.0', organization: 'Agency', training: true, separationOfDuties: { producerDiffersFromRequester: true } }),
    'auth.status': () => authStatus(core.officer, { firstRun: core.firstRun, locked: core.locked }),
    'auth.firstRunAdmin': (i) => {
      core.firstRun = false;
      core.officer = officer({ username: i.username, displayName: i.displayName, roles: ['admin'] });
      return core.officer;
    },
    'auth.login': (i) => {
      if (i.username !== 'grace' || i.password !== PASSWORD) throw new ApiError({ code: 'NOT_AUTHENTICATED', message: 'The username or password is wrong.' });
      core.officer = officer();
      core.locked = false;
      return core.officer;
    },
    'auth.logout': () => {
      core.officer = null;
      return {};
    },
    'readers.list': () => (guard(), [reader('Virtual PCD 00 00')]),
    'jobs.list': () => (guard(), []),
    'requests.list': () => (guard(), []),
    'officers.list': () => (guard(), core.officer ? [core.officer] : []),
  });
  return { api, core };
}

describe('first run, login, lock, logout', () => {
  it('first run: creates the administrator, who lands on the officers screen', async () => {
    const { api } = station({ firstRun: true });
    renderWithStores(<App />, api);
    await screen.findByTestId('first-run-screen');
    expect(screen.queryByTestId('nav-produce')).toBeNull();
    const user = userEvent.setup();
    await user.type(screen.getByTestId('first-run-username'), 'admin');
    await user.type(screen.getByTestId('first-run-display-name'), 'Station Admin');
    await user.type(screen.getByTestId('first-run-password'), PASSWORD);
    await user.type(screen.getByTestId('first-run-password-confirm'), PASSWORD + 'x');
    expect(screen.getByTestId('first-run-mismatch').textContent).toBe('The two passwords do not match.');
    expect((screen.getByTestId('first-run-submit') as HTMLButtonElement).disabled).toBe(true);
    await user.type(screen.getByTestId('first-run-password-confirm'), '{Backspace}');
    await user.click(screen.getByTestId('first-run-submit'));

    await screen.findByTestId('officers-screen');
    expect(api.callsTo('auth.firstRunAdmin')).toEqual([{ username: 'admin', displayName: 'Station Admin', password: PASSWORD }]);
    expect(screen.getByTestId('session-officer').getAttribute('data-username')).toBe('admin');
  });

  it('login: a wrong password is refused with the core’s sentence and cleared; the right one opens the station', async () => {
    const { api } = station();
    renderWithStores(<App />, api);
    await screen.findByTestId('login-screen');
    const user = userEvent.setup();
    await user.type(screen.getByTestId('login-username'), 'grace');
    await user.type(screen.getByTestId('login-password'), 'not the password');
    await user.click(screen.getByTestId('login-submit'));
    expect((await screen.findByTestId('login-error')).textContent).toBe('The username or password is wrong.');
    expect((screen.getByTestId('login-password') as HTMLInputElement).value).toBe('');
    expect(screen.queryByTestId('nav-requests')).toBeNull();

    await user.type(screen.getByTestId('login-password'), PASSWORD);
    await user.keyboard('{Enter}');
    await screen.findByTestId('requests-screen');
    await waitFor(() => screen.getByTestId('reader-row'));
    // The password never appears in the page.
    expect(document.body.innerHTML).not.toContain(PASSWORD);
  });

  it('session.locked covers the screen, which stays behind; the password unlocks it', async () => {
    const { api, core } = station();
    core.officer = officer();
    renderWithStores(<App />, api);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('nav-queue'));
    await screen.findByTestId('queue-screen');

    core.locked = true;
    act(() => api.emit('session.locked', {}));
    expect(screen.getByTestId('lock-overlay').textContent).toContain('Password for grace');
    expect(screen.getByTestId('queue-screen')).toBeTruthy();
    // The screen behind cannot be reached while locked.
    expect(screen.getByTestId('queue-screen').closest('[inert]')).not.toBeNull();
    expect(screen.getByTestId('lock-overlay').closest('[inert]')).toBeNull();

    await user.type(screen.getByTestId('lock-password'), 'wrong password!');
    await user.click(screen.getByTestId('lock-submit'));
    expect((await screen.findByTestId('lock-error')).textContent).toBe('The username or password is wrong.');
    expect(screen.getByTestId('lock-overlay')).toBeTruthy();

    await user.type(screen.getByTestId('lock-password'), PASSWORD);
    await user.click(screen.getByTestId('lock-submit'));
    await waitFor(() => expect(screen.queryByTestId('lock-overlay')).toBeNull());
    expect(screen.getByTestId('queue-screen')).toBeTruthy();
    expect(screen.getByTestId('queue-screen').closest('[inert]')).toBeNull();
    expect(api.callsTo('auth.login')).toEqual([
      { username: 'grace', password: 'wrong password!' },
      { username: 'grace', password: PASSWORD },
    ]);
  });

  it('another officer at a locked station logs the first one out from the overlay', async () => {
    const { api, core } = station();
    core.officer = officer();
    renderWithStores(<App />, api);
    await screen.findByTestId('requests-screen');
    core.locked = true;
    act(() => api.emit('session.locked', {}));
    await userEvent.setup().click(screen.getByTestId('lock-logout'));
    await screen.findByTestId('login-screen');
    expect(screen.queryByTestId('lock-overlay')).toBeNull();
    expect(screen.queryByTestId('requests-screen')).toBeNull();
    expect(api.callsTo('auth.logout')).toHaveLength(1);
  });

  it('a SESSION_LOCKED answer to any call brings up the lock overlay', async () => {
    const { api, core } = station();
    core.officer = officer();
    renderWithStores(<App />, api);
    const user = userEvent.setup();
    await screen.findByTestId('requests-screen');
    core.locked = true;
    // No event: the next call (the queue's list) finds the session locked.
    await user.click(screen.getByTestId('nav-queue'));
    await screen.findByTestId('lock-overlay');
    expect(screen.getByTestId('queue-screen')).toBeTruthy();
  });

  it('logout returns to the login screen and forgets what the officer saw; NOT_AUTHENTICATED does too', async () => {
    const { api, core } = station();
    core.officer = officer();
    api.handlers['persons.search'] = () => matches(person());
    api.handlers['requests.list'] = () => [cardRequest()];
    const { stores } = renderWithStores(<App />, api);
    const user = userEvent.setup();
    await screen.findByTestId('requests-screen');
    await user.type(screen.getByTestId('person-search'), 'Ada');
    await screen.findByTestId('person-result');
    await waitFor(() => expect(stores.requests.getState().list).toHaveLength(1));
    act(() => stores.issue.getState().setPin('123456'));
    await user.click(screen.getByTestId('logout-button'));
    await screen.findByTestId('login-screen');
    expect(api.callsTo('auth.logout')).toHaveLength(1);
    expect(stores.persons.getState().results).toEqual([]);
    expect(stores.persons.getState().query).toBe('');
    expect(stores.requests.getState().list).toEqual([]);
    expect(stores.issue.getState().pin).toBe('');

    await user.type(screen.getByTestId('login-username'), 'grace');
    await user.type(screen.getByTestId('login-password'), PASSWORD);
    await user.click(screen.getByTestId('login-submit'));
    await screen.findByTestId('requests-screen');
    // The core forgot the session (e.g. restarted): the next call sends the officer back to login.
    core.officer = null;
    await user.click(screen.getByTestId('nav-queue'));
    await screen.findByTestId('login-screen');
  });
});
