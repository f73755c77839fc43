/**
 * The Electron main module's wiring, run under Node with a fake `electron`
 * and a fake station: single-instance lock, app:// protocol, hardened window,
 * permission and navigation guards, sender-checked IPC into dispatch, events
 * forwarded, and the safeStorage refusal shown as a dialog.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PASSPHRASE_FILE } from '../../../electron/shell/secrets.js';
import { CONTENT_SECURITY_POLICY } from '../../../electron/shell/app-protocol.js';

type Handler = (...args: never[]) => unknown;

const h = vi.hoisted(() => {
  const state = {
    appPath: '',
    userData: '',
    backend: 'gnome_libsecret',
    singleInstance: true,
    schemes: [] as unknown[],
    protocolHandlers: new Map<string, (req: { url: string }) => Promise<Response>>(),
    ipcHandlers: new Map<string, Handler>(),
    appEvents: new Map<string, Handler[]>(),
    windows: [] as Array<{ options: Record<string, unknown>; webContents: unknown; loaded: string[]; shown: boolean }>,
    permissionRequest: undefined as Handler | undefined,
    permissionCheck: undefined as Handler | undefined,
    errorBoxes: [] as string[][],
    exitCodes: [] as number[],
    quits: 0,
    opened: [] as unknown[],
    dispatched: [] as unknown[][],
    coreListeners: new Map<string, (p: unknown, target?: string) => void>(),
    /** The core's per-connection event subscriptions (StationCore.subscribe), by connection id. */
    subscriptions: new Map<string, (event: string, payload: unknown) => void>(),
    resolveReady: undefined as undefined | (() => void),
    /** Stations the delivery was started for, and the shutdown steps in order. */
    deliveryStarted: [] as unknown[],
    /** Stations the CRL distribution point was started for. */
    crlStarted: [] as unknown[],
    shutdown: [] as string[],
  };
  return state;
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  let nextContentsId = 1;
  class FakeWebContents extends Emitter {
    id = nextContentsId++;
    sent: unknown[][] = [];
    windowOpenHandler: Handler | undefined;
    send(...args: unknown[]) {
      this.sent.push(args);
    }
    setWindowOpenHandler(fn: Handler) {
      this.windowOpenHandler = fn;
    }
  }
  class FakeBrowserWindow extends Emitter {
    webContents = new FakeWebContents();
    record: { options: Record<string, unknown>; webContents: unknown; loaded: string[]; shown: boolean };
    constructor(options: Record<string, unknown>) {
      super();
      this.record = { options, webContents: this.webContents, loaded: [], shown: false };
      h.windows.push(this.record);
      const created = h.appEvents.get('web-contents-created') ?? [];
      for (const fn of created) (fn as (e: unknown, c: unknown) => void)({}, this.webContents);
    }
    async loadURL(url: string) {
      this.record.loaded.push(url);
      this.emit('ready-to-show');
    }
    show() {
      this.record.shown = true;
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
  }
  return {
    app: {
      requestSingleInstanceLock: () => h.singleInstance,
      on: (name: string, fn: Handler) => h.appEvents.set(name, [...(h.appEvents.get(name) ?? []), fn]),
      whenReady: () => new Promise<void>((r) => (h.resolveReady = r)),
      getPath: (name: string) => (name === 'userData' ? h.userData : '/nonexistent'),
      setPath: (name: string, value: string) => {
        if (name === 'userData') h.userData = value;
      },
      getAppPath: () => h.appPath,
      quit: () => h.quits++,
      exit: (code: number) => h.exitCodes.push(code),
    },
    BrowserWindow: FakeBrowserWindow,
    dialog: { showErrorBox: (title: string, text: string) => h.errorBoxes.push([title, text]) },
    ipcMain: { handle: (channel: string, fn: Handler) => h.ipcHandlers.set(channel, fn) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => h.schemes.push(...schemes),
      handle: (scheme: string, fn: (req: { url: string }) => Promise<Response>) => h.protocolHandlers.set(scheme, fn),
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(`enc:${s}`),
      decryptString: (b: Buffer) => b.toString().slice(4),
      getSelectedStorageBackend: () => h.backend,
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: Handler) => (h.permissionRequest = fn),
        setPermissionCheckHandler: (fn: Handler) => (h.permissionCheck = fn),
      },
    },
  };
});

vi.mock('../../../electron/boot/open-station.js', () => ({
  openStation: async (opts: unknown) => {
    h.opened.push(opts);
    const station = {
      // The real composition of the services (boot/station-services.ts), over the mocked delivery and CRL server below.
      startServices: async (log: (line: string) => void) => (await import('../../../electron/boot/station-services.js')).startStationServices(station as never, log),
      core: () => ({
        dispatch: async (channel: string, raw: unknown, connectionId: string) => {
          h.dispatched.push([channel, raw, connectionId]);
          return { ok: true, value: { channel } };
        },
        on: (event: string, fn: (p: unknown, target?: string) => void) => {
          h.coreListeners.set(event, fn);
          return () => h.coreListeners.delete(event);
        },
        subscribe: (connectionId: string, fn: (event: string, payload: unknown) => void) => {
          h.subscriptions.set(connectionId, fn);
          return () => h.subscriptions.delete(connectionId);
        },
        close: async () => undefined,
      }),
      close: async () => void h.shutdown.push('station closed'),
    };
    return station;
  },
}));

vi.mock('../../../electron/boot/notification-delivery.js', () => ({
  startNotificationDelivery: (station: unknown) => {
    h.deliveryStarted.push(station);
    return {
      stop: async () => {
        // The worker's requests end before the station (and its store) closes.
        await new Promise((r) => setTimeout(r, 5));
        h.shutdown.push('delivery stopped');
      },
    };
  },
}));

vi.mock('../../../electron/boot/crl-distribution.js', () => ({
  startCrlDistribution: async (station: unknown) => {
    h.crlStarted.push(station);
    return { port: 8780, url: 'http://127.0.0.1:8780/crl/issuing.crl', close: async () => void h.shutdown.push('crl stopped') };
  },
}));

let dir: string;
const argv = process.argv;

async function startMain(): Promise<void> {
  vi.resetModules();
  await import('../../../electron/shell/main.js');
  h.resolveReady!();
  await vi.waitFor(() => {
    if (h.windows.length === 0 && h.exitCodes.length === 0) throw new Error('not started yet');
    if (h.windows.length > 0 && h.windows[0]!.loaded.length === 0) throw new Error('not loaded yet');
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shell-main-'));
  h.appPath = join(dir, 'app');
  h.userData = join(dir, 'user-data');
  mkdirSync(join(h.appPath, 'renderer', 'dist'), { recursive: true });
  writeFileSync(join(h.appPath, 'renderer', 'dist', 'index.html'), '<!doctype html><title>PIV Station</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer build');
  Object.assign(h, { backend: 'gnome_libsecret', singleInstance: true, schemes: [], windows: [], errorBoxes: [], exitCodes: [], quits: 0, opened: [], dispatched: [], resolveReady: undefined, deliveryStarted: [], crlStarted: [], shutdown: [] });
  h.protocolHandlers.clear();
  h.ipcHandlers.clear();
  h.appEvents.clear();
  h.coreListeners.clear();
  h.subscriptions.clear();
  delete process.env.STATION_DATA_DIR;
});

const signalListeners = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
afterEach(() => {
  // main.ts registers its signal handlers on every (re)import: drop them.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const l of process.listeners(signal)) if (!signalListeners[signal].includes(l)) process.off(signal, l);
  }
  process.argv = argv;
  rmSync(dir, { recursive: true, force: true });
});

describe('electron/shell/main', () => {
  it('opens a protected station with a safeStorage passphrase and shows one hardened window on app://', async () => {
    await startMain();
    expect(h.exitCodes, JSON.stringify(h.errorBoxes)).toEqual([]);
    expect(h.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(h.opened).toHaveLength(1);
    const opened = h.opened[0] as { dataDir: string; training: boolean; passphrase: string };
    expect(opened.dataDir).toBe(h.userData);
    expect(opened.training).toBe(false);
    expect(opened.passphrase).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(existsSync(join(h.userData, PASSPHRASE_FILE))).toBe(true);

    expect(h.windows).toHaveLength(1);
    const win = h.windows[0]!;
    const web = win.options.webPreferences as Record<string, unknown>;
    expect(web).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(web.preload).toBe(join(h.appPath, 'dist', 'preload', 'preload.cjs'));
    expect(win.loaded).toEqual(['app://station/index.html']);
    expect(win.shown).toBe(true);
  });

  it('serves renderer/dist on app:// with the CSP and refuses what is outside it', async () => {
    await startMain();
    const serve = h.protocolHandlers.get('app')!;
    const ok = await serve({ url: 'app://station/index.html' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await ok.text()).toContain('PIV Station');
    expect((await serve({ url: 'app://station/assets/..%2f..%2f..%2fsecret.txt' })).status).toBe(403);
    expect((await serve({ url: 'app://station/missing.js' })).status).toBe(404);
  });

  it('grants only the camera to the station’s own origin; denies every other permission, new window and navigation away from app://', async () => {
    await startMain();
    const answers: boolean[] = [];
    const request = h.permissionRequest as unknown as (c: unknown, p: string, cb: (b: boolean) => void, d: { requestingUrl: string; mediaTypes?: string[] }) => void;
    request({}, 'media', (b) => answers.push(b), { requestingUrl: 'app://station/index.html', mediaTypes: ['video'] });
    request({}, 'media', (b) => answers.push(b), { requestingUrl: 'app://station/index.html', mediaTypes: ['video', 'audio'] });
    request({}, 'media', (b) => answers.push(b), { requestingUrl: 'https://example.test/', mediaTypes: ['video'] });
    request({}, 'notifications', (b) => answers.push(b), { requestingUrl: 'app://station/index.html' });
    expect(answers).toEqual([true, false, false, false]);
    const check = h.permissionCheck as unknown as (c: unknown, p: string, origin: string, d: { mediaType?: string }) => boolean;
    expect(check({}, 'media', 'app://station', { mediaType: 'video' })).toBe(true);
    expect(check({}, 'media', 'app://station', { mediaType: 'audio' })).toBe(false);
    expect(check({}, 'geolocation', 'app://station', {})).toBe(false);
    const contents = h.windows[0]!.webContents as EventEmitter & { windowOpenHandler: () => unknown };
    expect(contents.windowOpenHandler()).toEqual({ action: 'deny' });
    const nav = (url: string) => {
      let prevented = false;
      contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(nav('https://evil.example/')).toBe(true);
    expect(nav('file:///etc/passwd')).toBe(true);
    expect(nav('app://station/index.html')).toBe(false);
    let webviewPrevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (webviewPrevented = true) });
    expect(webviewPrevented).toBe(true);
  });

  it('station:invoke reaches dispatch only from its own window on app://; events go to the window', async () => {
    await startMain();
    const invoke = h.ipcHandlers.get('station:invoke') as unknown as (e: unknown, c: unknown, i: unknown) => Promise<{ ok: boolean }>;
    const ours = h.windows[0]!.webContents;
    expect(await invoke({ sender: ours, senderFrame: { url: 'app://station/index.html' } }, 'station.info', {})).toEqual({ ok: true, value: { channel: 'station.info' } });
    expect((await invoke({ sender: ours, senderFrame: { url: 'https://evil.example/' } }, 'station.info', {})).ok).toBe(false);
    expect((await invoke({ sender: new EventEmitter(), senderFrame: { url: 'app://station/index.html' } }, 'station.info', {})).ok).toBe(false);
    // The session is bound to the window's webContents.
    expect(h.dispatched).toEqual([['station.info', {}, `webcontents:${(ours as unknown as { id: number }).id}`]]);

    // The window hears what the core lets its own connection hear (the core decides: tests/unit/core/events.test.ts), nothing more.
    const connection = `webcontents:${(ours as unknown as { id: number }).id}`;
    expect([...h.subscriptions.keys()]).toEqual([connection]);
    expect([...h.coreListeners.keys()]).toEqual([]);
    h.subscriptions.get(connection)!('job.event', { type: 'job.started', jobId: 'j1' });
    expect((ours as { sent: unknown[][] }).sent).toEqual([['station:event', { event: 'job.event', payload: { type: 'job.started', jobId: 'j1' } }]]);
    h.subscriptions.get(connection)!('session.locked', {});
    expect((ours as { sent: unknown[][] }).sent[1]).toEqual(['station:event', { event: 'session.locked', payload: {} }]);
  });

  it('starts notification delivery and the CRL distribution point with the station; a quit (window closed, SIGTERM) stops both before the station closes', async () => {
    await startMain();
    expect(h.deliveryStarted).toHaveLength(1);
    expect(h.crlStarted).toEqual(h.deliveryStarted);
    const quitsBefore = h.quits;
    process.emit('SIGTERM');
    expect(h.quits).toBe(quitsBefore + 1);
    // The quit reaches will-quit, which holds the exit until delivery and station are closed.
    let prevented = false;
    for (const fn of h.appEvents.get('will-quit') ?? []) (fn as (e: unknown) => void)({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await vi.waitFor(() => expect(h.shutdown).toEqual(['crl stopped', 'delivery stopped', 'station closed']));
    await vi.waitFor(() => expect(h.quits).toBe(quitsBefore + 2));
    // The second will-quit (after closing) lets the app exit.
    let preventedAgain = false;
    for (const fn of h.appEvents.get('will-quit') ?? []) (fn as (e: unknown) => void)({ preventDefault: () => (preventedAgain = true) });
    expect(preventedAgain).toBe(false);
    for (const fn of h.appEvents.get('window-all-closed') ?? []) (fn as () => void)();
    expect(h.quits).toBe(quitsBefore + 3);
  });

  it('refuses the basic_text keyring fallback with a dialog and exits, opening nothing', async () => {
    h.backend = 'basic_text';
    await startMain();
    expect(h.exitCodes).toEqual([1]);
    expect(h.opened).toEqual([]);
    expect(h.windows).toEqual([]);
    expect(h.errorBoxes).toHaveLength(1);
    expect(h.errorBoxes[0]![1]).toMatch(/keyring/i);
  });

  it('--training opens a training station without safeStorage, even on basic_text', async () => {
    h.backend = 'basic_text';
    process.argv = [...argv, '--training'];
    await startMain();
    expect(h.exitCodes).toEqual([]);
    expect(h.opened).toEqual([{ dataDir: h.userData, training: true, passphrase: undefined }]);
    expect(existsSync(join(h.userData, PASSPHRASE_FILE))).toBe(false);
  });

  it('STATION_DATA_DIR replaces the userData dir', async () => {
    process.env.STATION_DATA_DIR = join(dir, 'elsewhere');
    process.argv = [...argv, '--training'];
    await startMain();
    expect((h.opened[0] as { dataDir: string }).dataDir).toBe(join(dir, 'elsewhere'));
    delete process.env.STATION_DATA_DIR;
  });

  it('a second instance quits at once and opens nothing', async () => {
    h.singleInstance = false;
    vi.resetModules();
    await import('../../../electron/shell/main.js');
    expect(h.quits).toBe(1);
    expect(h.resolveReady).toBeUndefined();
    expect(h.schemes).toHaveLength(1);
    expect(h.appEvents.has('second-instance')).toBe(false);
  });
});
