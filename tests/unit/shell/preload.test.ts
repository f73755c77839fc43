import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BRIDGE_KEYS, type StationBridge } from '../../../electron/contract/station-api.js';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../../electron/shell/ipc-guard.js';

/** A fake ipcRenderer: a real emitter, plus an invoke that records calls. */
class FakeIpcRenderer extends EventEmitter {
  calls: unknown[][] = [];
  invoke = vi.fn(async (...args: unknown[]) => {
    this.calls.push(args);
    return { ok: true, value: { echoed: args } };
  });
}

const fake = vi.hoisted(() => ({ exposeInMainWorld: (..._args: unknown[]): unknown => undefined, ipc: undefined as unknown }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (...args: unknown[]) => fake.exposeInMainWorld(...args) },
  get ipcRenderer() {
    return fake.ipc;
  },
}));

async function loadPreload(): Promise<{ ipc: FakeIpcRenderer; expose: ReturnType<typeof vi.fn> }> {
  const ipc = new FakeIpcRenderer();
  const expose = vi.fn();
  fake.ipc = ipc;
  fake.exposeInMainWorld = expose;
  vi.resetModules();
  await import('../../../electron/preload/preload.js');
  return { ipc, expose };
}

describe('preload', () => {
  let ipc: FakeIpcRenderer;
  let expose: ReturnType<typeof vi.fn>;
  let bridge: StationBridge;

  beforeEach(async () => {
    ({ ipc, expose } = await loadPreload());
    bridge = expose.mock.calls[0]?.[1] as StationBridge;
  });

  it('exposes exactly one global, "station", whose keys are exactly BRIDGE_KEYS', () => {
    expect(expose).toHaveBeenCalledTimes(1);
    expect(expose.mock.calls[0]![0]).toBe('station');
    expect(Object.keys(bridge).sort()).toEqual([...BRIDGE_KEYS].sort());
    for (const k of BRIDGE_KEYS) expect(typeof bridge[k]).toBe('function');
  });

  it('invoke sends (channel, input) on station:invoke and returns the main process answer', async () => {
    const result = await bridge.invoke('persons.search', { query: 'Ada' });
    expect(ipc.calls).toEqual([[INVOKE_CHANNEL, 'persons.search', { query: 'Ada' }]]);
    expect(result).toEqual({ ok: true, value: { echoed: [INVOKE_CHANNEL, 'persons.search', { query: 'Ada' }] } });
  });

  it('subscribe delivers only the named event, payload only, until unsubscribed', () => {
    const seen: unknown[] = [];
    const off = bridge.subscribe('reader.changed', (p) => seen.push(p));
    const sender = { secret: 'event object must not leak' };
    ipc.emit(EVENT_CHANNEL, sender, { event: 'job.event', payload: { type: 'job.started', jobId: 'j1' } });
    ipc.emit(EVENT_CHANNEL, sender, { event: 'reader.changed', payload: [{ name: 'R1' }] });
    ipc.emit('other-channel', sender, { event: 'reader.changed', payload: 'wrong channel' });
    expect(seen).toEqual([[{ name: 'R1' }]]);
    off();
    ipc.emit(EVENT_CHANNEL, sender, { event: 'reader.changed', payload: [] });
    expect(seen).toHaveLength(1);
    expect(ipc.listenerCount(EVENT_CHANNEL)).toBe(0);
  });

  it('two subscriptions are independent', () => {
    const a: unknown[] = [];
    const b: unknown[] = [];
    const offA = bridge.subscribe('job.event', (p) => a.push(p));
    bridge.subscribe('job.event', (p) => b.push(p));
    offA();
    ipc.emit(EVENT_CHANNEL, {}, { event: 'job.event', payload: 1 });
    expect(a).toEqual([]);
    expect(b).toEqual([1]);
  });
});

describe('preload bundle (dist/preload/preload.cjs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'preload-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is one CommonJS file that requires only electron and exposes exactly BRIDGE_KEYS', async () => {
    const outfile = join(dir, 'preload.cjs');
    await build({
      entryPoints: ['electron/preload/preload.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['electron'],
      outfile,
      logLevel: 'silent',
    });
    const code = readFileSync(outfile, 'utf8');
    const required: string[] = [];
    const exposed: unknown[][] = [];
    const ipc = new FakeIpcRenderer();
    // A sandboxed preload's require: only what we allow; anything else would throw in Electron.
    const sandboxRequire = (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`sandboxed preload cannot require ${name}`);
      return { contextBridge: { exposeInMainWorld: (...a: unknown[]) => exposed.push(a) }, ipcRenderer: ipc };
    };
    const module = { exports: {} };
    runInNewContext(code, { require: sandboxRequire, module, exports: module.exports });
    expect([...new Set(required)]).toEqual(['electron']);
    expect(exposed).toHaveLength(1);
    expect(exposed[0]![0]).toBe('station');
    const bridge = exposed[0]![1] as StationBridge;
    expect(Object.keys(bridge).sort()).toEqual([...BRIDGE_KEYS].sort());
    await bridge.invoke('station.info', {});
    expect(ipc.calls[0]).toEqual([INVOKE_CHANNEL, 'station.info', {}]);
  });
});
