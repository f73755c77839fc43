/**
 * Watches every StationApi call for the session answers of the core:
 * `SESSION_LOCKED` (idle too long: the lock overlay asks for the password,
 * the screen behind stays) and `NOT_AUTHENTICATED` (no officer on this
 * connection any more: back to the login screen). The error still reaches the
 * caller, so each screen shows its own sentence as before.
 */
import type { StationApi } from '../api';
import { ApiError } from '../api-error';

/** Error codes the core answers for session problems (electron/core/errors.ts). */
export const SESSION_LOCKED = 'SESSION_LOCKED';
export const NOT_AUTHENTICATED = 'NOT_AUTHENTICATED';

export interface SessionListener {
  /** A call was refused because the session is locked. */
  locked(): void;
  /** A call was refused because no officer is logged in on this connection. */
  unauthenticated(): void;
}

/**
 * Wraps `api` so session refusals are reported to `listener` (resolved lazily:
 * the stores that listen are built after the wrapped API).
 * @returns a StationApi with the same behaviour (same values, same ApiErrors)
 */
export function watchSession(api: StationApi, listener: () => SessionListener | undefined): StationApi {
  return {
    async call(channel, input) {
      try {
        return await api.call(channel, input);
      } catch (e) {
        // auth.* answers are the session store's own business (a wrong password is not a lock).
        if (e instanceof ApiError && !channel.startsWith('auth.')) {
          if (e.code === SESSION_LOCKED) listener()?.locked();
          else if (e.code === NOT_AUTHENTICATED) listener()?.unauthenticated();
        }
        throw e;
      }
    },
    subscribe: (event, l) => api.subscribe(event, l),
  };
}
