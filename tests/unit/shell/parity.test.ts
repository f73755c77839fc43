import { describe, expect, it, vi } from 'vitest';
import { BRIDGE_KEYS, type StationBridge } from '../../../electron/contract/station-api.js';
import { createBridgeClient, type BridgeSocket } from '../../../electron/bridge/client.js';

const captured = vi.hoisted(() => ({ bridge: undefined as unknown }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (_name: string, api: unknown) => (captured.bridge = api) },
  ipcRenderer: { invoke: async () => ({ ok: true, value: null }), on: () => undefined, removeListener: () => undefined },
}));

/** A WebSocket that never connects: the client's shape is what is compared. */
class FakeSocket implements BridgeSocket {
  readyState = 0;
  onopen = null;
  onmessage = null;
  onclose = null;
  onerror = null;
  constructor(readonly url: string) {}
  send(): void {}
  close(): void {}
}

describe('bridge parity: preload, browser-host client and contract', () => {
  it('expose the same keys, all functions', async () => {
    await import('../../../electron/preload/preload.js');
    const preload = captured.bridge as StationBridge;
    const client = createBridgeClient('ws://127.0.0.1:1/bridge?token=t', FakeSocket);
    const contract = [...BRIDGE_KEYS].sort();
    expect(Object.keys(preload).sort()).toEqual(contract);
    expect(Object.keys(client).sort()).toEqual(contract);
    for (const k of BRIDGE_KEYS) {
      expect(typeof preload[k]).toBe('function');
      expect(typeof client[k]).toBe('function');
    }
  });

  it('both subscribe functions return an unsubscribe function', async () => {
    await import('../../../electron/preload/preload.js');
    const preload = captured.bridge as StationBridge;
    const client = createBridgeClient('ws://127.0.0.1:1/bridge?token=t', FakeSocket);
    expect(typeof preload.subscribe('job.event', () => undefined)).toBe('function');
    expect(typeof client.subscribe('job.event', () => undefined)).toBe('function');
  });
});
