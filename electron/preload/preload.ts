/**
 * Preload (DESIGN.md "preload"): exposes `window.station` — `invoke` and
 * `subscribe`, nothing else — to the sandboxed, context-isolated renderer.
 * Runs sandboxed, so it is bundled into one CommonJS file (esbuild →
 * dist/preload/preload.cjs) and imports only `electron` at runtime.
 *
 * The shape is the contract's StationBridge, the same as the browser host's
 * bridge client (tests/unit/shell/parity.test.ts).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { StationBridge } from '../contract/station-api.js';

// Duplicated from shell/ipc-guard.ts on purpose: the preload bundle must not pull main-process code.
const INVOKE_CHANNEL = 'station:invoke';
const EVENT_CHANNEL = 'station:event';
/** Global name of the bridge in the renderer. */
const BRIDGE_GLOBAL = 'station';

/** The message main sends on `station:event`. */
interface EventMessage {
  event: string;
  payload: unknown;
}

/**
 * The bridge object: `invoke(channel, input)` → the core's Result (never
 * rejects for a core failure); `subscribe(event, listener)` → unsubscribe.
 * Only plain values cross: the renderer never sees `ipcRenderer` or an event object.
 */
const bridge: StationBridge = {
  invoke: (channel, input) => ipcRenderer.invoke(INVOKE_CHANNEL, channel, input),
  subscribe: (event, listener) => {
    const onMessage = (_e: IpcRendererEvent, message: EventMessage) => {
      if (message && message.event === event) listener(message.payload as Parameters<typeof listener>[0]);
    };
    ipcRenderer.on(EVENT_CHANNEL, onMessage);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, onMessage);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
