/**
 * Electron main process (DESIGN.md "shell"): thin. Lifecycle, one instance,
 * the app:// protocol, one hardened window, navigation/permission guards, and
 * one IPC channel whose calls are sender-checked and handed to the core's
 * dispatch. Every rule lives in the core.
 *
 * Start order matters: the native addons' ABI is checked before anything
 * imports them (open-station is imported dynamically afterwards), so a
 * Node-built better-sqlite3 in an Electron package is a clear dialog, not a crash.
 *
 * The station's background services (boot/station-services.ts: the outbox's
 * delivery worker when config.json has `notifications`, the CRL distribution
 * point at config `crlUrl`) run while the app runs and are stopped before the
 * station closes (will-quit, so window-all-closed, SIGINT and SIGTERM, which
 * are turned into a quit, too).
 *
 * Flags: `--training` opens the data dir as a training station (unprotected
 * keys allowed; refused otherwise when safeStorage has no real keychain).
 * STATION_DATA_DIR, as for the CLI (electron/boot/data-dir.ts), replaces the
 * data dir (Electron's userData), e.g. for tests/electron.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, type WebContents } from 'electron';
import { assertAddonsMatchRuntime } from '../../native/abi-check.js';
import { toStationError } from '../core/errors.js';
import type { StationCore } from '../core/dispatch.js';
import { windowOptions } from './window-options.js';
import { APP_ENTRY_URL, APP_SCHEME, EVENT_CHANNEL, INVOKE_CHANNEL, isAllowedNavigation } from './ipc-guard.js';
import { isAllowedPermission } from './permissions.js';
import { resolveAppPath, responseHeaders } from './app-protocol.js';
import { shellSecrets } from './secrets.js';
import { connectionIdOf, makeInvokeHandler } from './ipc-handler.js';

/** Command-line flag opening a training station. */
const TRAINING_FLAG = '--training';
/** HTTP statuses of the app:// handler. */
const HTTP_NOT_FOUND = 404;
const HTTP_FORBIDDEN = 403;

const training = process.argv.includes(TRAINING_FLAG);
// Before `ready`, so Chromium's own profile data follows the station's data dir too.
if (process.env.STATION_DATA_DIR) app.setPath('userData', process.env.STATION_DATA_DIR);
let mainWindow: BrowserWindow | undefined;
let station: { core(): StationCore; close(): Promise<void> } | undefined;
let services: { stop(): Promise<void> } | undefined;

// Must run before `ready`: app:// behaves like https (standard URL parsing, secure context, fetch).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  // Another station window already owns the data dir and the readers.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
  app.on('window-all-closed', () => app.quit());
  // A signal quits like closing the window, so will-quit stops delivery and closes the station.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
  app.on('will-quit', (event) => {
    if (!station) return;
    // Let running jobs checkpoint and readers close before exiting.
    event.preventDefault();
    const closing = station;
    const servicesStopping = services;
    station = undefined;
    services = undefined;
    // The services first: the worker's in-flight requests end and its lease is released while the store is still open.
    void (servicesStopping?.stop() ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => closing.close())
      .finally(() => app.quit());
  });
  app.whenReady().then(start, (e: unknown) => fail(e));
}

/** Opens the station, serves the renderer and shows the window; a clear dialog and exit on any failure. */
async function start(): Promise<void> {
  try {
    assertAddonsMatchRuntime();
    const dataDir = app.getPath('userData');
    const secrets = shellSecrets(dataDir, safeStorage, training);
    const { openStation } = await import('../boot/open-station.js');
    const opened = await openStation({ dataDir, training: secrets.training, passphrase: secrets.training ? undefined : secrets.passphrase });
    station = opened;
    // Notification delivery and the CRL distribution point. Failures go to stderr for the release engineer; the log lines hold no secret and no payload.
    services = await opened.startServices((line) => console.error(`piv-station: ${line}`));
    denyPermissions();
    serveRenderer(join(app.getAppPath(), 'renderer', 'dist'));
    const core = station.core();
    mainWindow = createWindow();
    const window = mainWindow;
    ipcMain.handle(INVOKE_CHANNEL, makeInvokeHandler((channel, raw, connectionId) => core.dispatch(channel, raw, connectionId), (contents) => contents === window.webContents));
    forwardEvents(core, window);
    await window.loadURL(APP_ENTRY_URL);
  } catch (e) {
    fail(e);
  }
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow(windowOptions(join(app.getAppPath(), 'dist', 'preload', 'preload.cjs')));
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  return window;
}

/** Serves renderer/dist on app://station/ with the CSP; anything outside it is refused. */
function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppPath(root, request.url);
    if (file === undefined) return new Response(null, { status: HTTP_FORBIDDEN });
    try {
      return new Response(await readFile(file), { headers: responseHeaders(file) });
    } catch {
      return new Response(null, { status: HTTP_NOT_FOUND });
    }
  });
}

/**
 * The camera for the photo capture screen, to the station's own origin only; no microphone,
 * notification, geolocation…: every other request and check says no (permissions.ts).
 */
function denyPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(isAllowedPermission({ permission, url: details.requestingUrl, mediaTypes }));
  });
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isAllowedPermission({ permission, url: requestingOrigin, mediaTypes: details.mediaType ? [details.mediaType] : undefined }),
  );
}

/** Every webContents: no navigation away from app://, no new windows, no <webview>. */
function guardContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * Core events → `station:event` messages `{event, payload}` to the window while
 * it exists: the events its connection may hear (the core decides: none
 * before an officer logs in in this window).
 */
function forwardEvents(core: StationCore, window: BrowserWindow): void {
  const off = core.subscribe(connectionIdOf(window.webContents), (event, payload) => {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, { event, payload });
  });
  window.on('closed', off);
}

/** Shows the officer why the station cannot start (no secret in the text) and exits. */
function fail(e: unknown): void {
  const err = toStationError(e);
  // A foreign error's stack goes to stderr for the release engineer; the dialog stays plain. Nothing at startup holds a PIN or PUK.
  if (err !== e) console.error(e);
  dialog.showErrorBox('PIV Station cannot start', err.message);
  app.exit(1);
}
