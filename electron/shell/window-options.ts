/**
 * The hardened BrowserWindow options (Electron security checklist): the
 * renderer runs sandboxed, isolated from the preload, without Node, and can
 * reach the core only through `window.station`.
 *
 * Pure: imports Electron's types only, so tests load it without Electron.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/** Window size in device-independent pixels. */
export const WINDOW_WIDTH = 1280;
export const WINDOW_HEIGHT = 800;
/** Smallest usable officer screen, in device-independent pixels. */
export const WINDOW_MIN_WIDTH = 1024;
export const WINDOW_MIN_HEIGHT = 640;

/**
 * Options of the station's only window.
 *
 * @param preloadPath absolute path of the bundled preload (dist/preload/preload.cjs)
 * @returns options with contextIsolation, sandbox and webSecurity on; Node
 *          integration, insecure content, <webview> and spellcheck off; hidden
 *          until `ready-to-show` so no blank frame flashes.
 */
export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: WINDOW_WIDTH,
    height: WINDOW_HEIGHT,
    minWidth: WINDOW_MIN_WIDTH,
    minHeight: WINDOW_MIN_HEIGHT,
    show: false,
    title: 'PIV Station',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}
