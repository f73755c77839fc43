import { describe, expect, it } from 'vitest';
import { windowOptions, WINDOW_HEIGHT, WINDOW_WIDTH } from '../../../electron/shell/window-options.js';
import { isAllowedNavigation, isTrustedSender, APP_ENTRY_URL } from '../../../electron/shell/ipc-guard.js';

describe('windowOptions', () => {
  const opts = windowOptions('/opt/piv-station/resources/app.asar/dist/preload/preload.cjs');
  const web = opts.webPreferences!;

  it('isolates and sandboxes the renderer, without Node', () => {
    expect(web.contextIsolation).toBe(true);
    expect(web.sandbox).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and refuses insecure content, <webview> and spellcheck', () => {
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.spellcheck).toBe(false);
  });

  it('uses the given preload, 1280x800, hidden until ready-to-show', () => {
    expect(web.preload).toBe('/opt/piv-station/resources/app.asar/dist/preload/preload.cjs');
    expect([opts.width, opts.height]).toEqual([1280, 800]);
    expect([WINDOW_WIDTH, WINDOW_HEIGHT]).toEqual([1280, 800]);
    expect(opts.show).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('accepts the station renderer on app://station', () => {
    expect(isTrustedSender(APP_ENTRY_URL)).toBe(true);
    expect(isTrustedSender('app://station/')).toBe(true);
    expect(isTrustedSender('app://station/features/issue?x=1#top')).toBe(true);
  });

  it.each([
    'http://station/index.html',
    'https://evil.example/index.html',
    'https://evil',
    'file:///opt/piv-station/renderer/dist/index.html',
    'app://evil/index.html',
    'app://user:pw@station/index.html',
    'data:text/html,<script>1</script>',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    'blob:app://station/1234',
    '',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isTrustedSender(url)).toBe(false);
  });

  it('navigation follows the same rule', () => {
    expect(isAllowedNavigation('app://station/index.html')).toBe(true);
    expect(isAllowedNavigation('https://evil.example/')).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd')).toBe(false);
  });
});
