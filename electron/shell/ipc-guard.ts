/**
 * Who may talk to the core over IPC (VS Code's ValidatedIpcMain idea): only
 * frames loaded from the station's own `app://` origin. Pure, for tests.
 */

/** The privileged scheme serving renderer/dist. */
export const APP_SCHEME = 'app';
/** The host name under app:// (`app://station/index.html`). */
export const APP_HOST = 'station';
/** The renderer's origin. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** Entry page of the renderer. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** IPC channel of calls (renderer → main). */
export const INVOKE_CHANNEL = 'station:invoke';
/** IPC channel of events (main → renderer). */
export const EVENT_CHANNEL = 'station:event';

/**
 * True when `url` belongs to the station's own renderer: scheme `app:` and
 * host {@link APP_HOST}. Everything else (http, https, file, data, blob,
 * about:blank, another app:// host, unparsable) is refused.
 *
 * @param url the sender frame's URL (`event.senderFrame.url`)
 */
export function isTrustedSender(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
}

/** True when a navigation to `url` stays inside the renderer (will-navigate): the same rule as the IPC sender. */
export function isAllowedNavigation(url: string): boolean {
  return isTrustedSender(url);
}
