/**
 * The one IPC entry of the shell: `station:invoke` calls, each checked for its
 * sender before it reaches the core's dispatch. Type-only Electron imports, so
 * tests drive it with fake events.
 */
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import type { ApiError, Result } from '../contract/station-api.js';
import { isTrustedSender } from './ipc-guard.js';

/** Longest channel name accepted before the core sees it (contract names are short `domain.verb`). */
const MAX_CHANNEL_LENGTH = 64;

/** The core's dispatch, as the shell uses it. */
export type Dispatch = (channel: string, raw: unknown, connectionId: string) => Promise<Result<unknown>>;

/** The connection id of a window's calls: the officer session is bound to its webContents. */
export function connectionIdOf(sender: Pick<WebContents, 'id'>): string {
  return `webcontents:${sender.id}`;
}

const refused = (code: ApiError['code'], message: string): Result<unknown> => ({ ok: false, error: { code, message, details: {}, retryable: false } });

/**
 * Builds the `ipcMain.handle('station:invoke', …)` listener.
 *
 * @param dispatch     the core's dispatch (validates input and result itself), called with the sender's connection id `webcontents:<id>`
 * @param isOurWindow  true for the webContents of the station's window
 * @returns a listener answering a Result: the core's, or `{ok:false}` with
 *          code INTERNAL when the sender is not the station's app:// frame in
 *          its own window, INVALID_INPUT when the channel is not a string
 */
export function makeInvokeHandler(dispatch: Dispatch, isOurWindow: (contents: WebContents) => boolean) {
  return async (event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, channel: unknown, input: unknown): Promise<Result<unknown>> => {
    const url = event.senderFrame?.url ?? '';
    if (!isTrustedSender(url) || !isOurWindow(event.sender)) {
      return refused('INTERNAL', 'This call did not come from the station window and was refused.');
    }
    if (typeof channel !== 'string' || channel.length > MAX_CHANNEL_LENGTH) {
      return refused('INVALID_INPUT', 'The station received a call without a valid name.');
    }
    return dispatch(channel, input, connectionIdOf(event.sender));
  };
}
