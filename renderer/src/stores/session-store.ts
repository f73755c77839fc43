/**
 * Session store: who is logged in on this window's connection (the core binds
 * the session to the connection), whether the station still needs its first
 * administrator, and whether the session is locked by inactivity. Passwords
 * pass through the actions to the core and are never kept here.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelInput, OfficerView } from '../../../electron/contract/station-api';
import type { StationApi } from '../api';
import { errorSentence } from '../api-error';
import { keepResumeToken, keepView, keptResumeToken } from '../reload/page-memory';

export interface SessionState {
  /** True once `auth.status` has answered. */
  loaded: boolean;
  /** No officer exists yet: the first-run screen creates the administrator. */
  firstRun: boolean;
  /** The officer logged in on this connection, or null. */
  officer: OfficerView | null;
  /** The session is locked: the overlay asks for the password again. */
  locked: boolean;
  /** A login, first-run or unlock call is in flight. */
  busy: boolean;
  /** Sentence of the last failed login/first-run/unlock, or of a failed status. */
  error: string | null;
  /** Subscribes to `session.locked`; returns the unsubscribe function. */
  start(): () => void;
  /** Asks the core for `auth.status`. */
  load(): Promise<void>;
  /** `auth.firstRunAdmin`: creates the administrator and logs them in. @returns whether it worked */
  firstRunAdmin(input: ChannelInput<'auth.firstRunAdmin'>): Promise<boolean>;
  /** `auth.login` (also unlocks a locked session). @returns whether it worked */
  login(username: string, password: string): Promise<boolean>;
  /** `auth.logout`; the window shows the login screen whatever the core answers. */
  logout(): Promise<void>;
  /** The core said the session is locked (event or a SESSION_LOCKED answer). */
  markLocked(): void;
  /** The core said nobody is logged in (NOT_AUTHENTICATED). */
  markLoggedOut(): void;
}

export type SessionStore = StoreApi<SessionState>;

/** Builds the session store over a StationApi. */
export function createSessionStore(api: StationApi): SessionStore {
  /** Keeps the new session's resume token for a reload (a failure only costs the reload its session). */
  const keepTokenOfSession = () =>
    api.call('auth.status', {}).then(
      (s) => keepResumeToken(s.resumeToken),
      () => keepResumeToken(null),
    );
  return createStore<SessionState>()((set, get) => ({
    loaded: false,
    firstRun: false,
    officer: null,
    locked: false,
    busy: false,
    error: null,
    start() {
      return api.subscribe('session.locked', () => get().markLocked());
    },
    async load() {
      try {
        let s = await api.call('auth.status', {});
        // A reload of this page (same launch) takes its session back; the core says whether the token holds.
        const token = keptResumeToken();
        if (!s.officer && token) s = await api.call('auth.resume', { token }).catch(() => s);
        keepResumeToken(s.resumeToken);
        set({ loaded: true, firstRun: s.firstRun, officer: s.officer, locked: s.officer !== null && s.locked, error: null });
      } catch (e) {
        set({ loaded: true, error: errorSentence(e) });
      }
    },
    async firstRunAdmin(input) {
      set({ busy: true, error: null });
      try {
        const officer = await api.call('auth.firstRunAdmin', input);
        set({ busy: false, firstRun: false, officer, locked: false });
        await keepTokenOfSession();
        return true;
      } catch (e) {
        set({ busy: false, error: errorSentence(e) });
        return false;
      }
    },
    async login(username, password) {
      set({ busy: true, error: null });
      try {
        const officer = await api.call('auth.login', { username, password });
        set({ busy: false, officer, locked: false, firstRun: false });
        await keepTokenOfSession();
        return true;
      } catch (e) {
        set({ busy: false, error: errorSentence(e) });
        return false;
      }
    },
    async logout() {
      try {
        await api.call('auth.logout', {});
      } catch {
        // Logged out or not, this window forgets the officer: the login screen follows.
      }
      keepResumeToken(null);
      keepView(null);
      set({ officer: null, locked: false, error: null });
    },
    markLocked() {
      if (get().officer) set({ locked: true, error: null });
    },
    markLoggedOut() {
      keepResumeToken(null);
      set({ officer: null, locked: false });
    },
  }));
}

