import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  assertAddonsMatchRuntime,
  checkAddons,
  compareAddonAbi,
  currentRuntime,
  describeAbi,
  locateAddon,
  readAddonAbi,
  STATION_ADDONS,
  type RuntimeAbi,
} from '../../../native/abi-check.js';
import { StationError } from '../../../electron/core/errors.js';

const electron41: RuntimeAbi = { modules: 145, electron: '41.7.2', node: '22.20.0' };
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

describe('readAddonAbi', () => {
  it('reads the NODE_MODULE_VERSION from the registration symbol', () => {
    expect(readAddonAbi(bytes('\x7fELF\0\0junk\0node_register_module_v115\0more'))).toEqual({ kind: 'node', modules: 115 });
  });
  it('recognizes Node-API addons', () => {
    expect(readAddonAbi(bytes('\0napi_register_module_v1\0'))).toEqual({ kind: 'napi' });
  });
  it('says unknown for anything else', () => {
    expect(readAddonAbi(bytes('not an addon'))).toEqual({ kind: 'unknown' });
  });
});

describe('the installed addons', () => {
  it('are found and were built for this Node (the ABI the tests run in)', () => {
    const checks = checkAddons();
    expect(checks.map((c) => c.name)).toEqual(STATION_ADDONS.map((a) => a.name));
    for (const c of checks) {
      expect(c.path).toMatch(/\.node$/);
      expect(c.abi).toEqual({ kind: 'node', modules: Number(process.versions.modules) });
      expect(c.ok).toBe(true);
    }
    expect(() => assertAddonsMatchRuntime()).not.toThrow();
  });

  it('the ABI read from the real binary is the one Node itself reports', () => {
    const path = locateAddon(STATION_ADDONS[0]!)!;
    expect(readAddonAbi(readFileSync(path))).toEqual({ kind: 'node', modules: currentRuntime().modules });
  });
});

describe('mismatch', () => {
  it('refuses a Node-built addon in Electron 41 with the release-host instruction', () => {
    let err: unknown;
    try {
      assertAddonsMatchRuntime({ ...electron41 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StationError);
    const e = err as StationError;
    expect(e.code).toBe('INTERNAL');
    expect(e.retryable).toBe(false);
    const built = Number(process.versions.modules);
    expect(e.message).toContain(`better-sqlite3 was built for ${describeAbi(built)} but this is Electron 41 (ABI 145): run electron-builder install-app-deps on a networked release host`);
    expect(e.message).toContain('pcsclite was built for');
    expect(e.details).toEqual({ addons: 'better-sqlite3,pcsclite', runtimeAbi: 145 });
  });

  it('names Node versions in the message', () => {
    const c = compareAddonAbi({ name: 'better-sqlite3', binary: 'x.node' }, '/x.node', { kind: 'node', modules: 115 }, electron41);
    expect(c.ok).toBe(false);
    expect(c.problem).toMatch(/^better-sqlite3 was built for ABI 115 \(Node 20\) but this is Electron 41 \(ABI 145\): run electron-builder install-app-deps on a networked release host/);
    const back = compareAddonAbi({ name: 'pcsclite', binary: 'x.node' }, '/x.node', { kind: 'node', modules: 145 }, { modules: 115, node: '20.20.2' });
    expect(back.problem).toBe('pcsclite was built for ABI 145 but this is Node 20 (ABI 115): run npm rebuild for this Node version.');
  });

  it('accepts Node-API addons in any runtime and refuses a missing or unrecognizable binary', () => {
    expect(compareAddonAbi({ name: 'n', binary: 'n.node' }, '/n.node', { kind: 'napi' }, electron41).ok).toBe(true);
    expect(compareAddonAbi({ name: 'n', binary: 'n.node' }, '/n.node', { kind: 'unknown' }, electron41).ok).toBe(false);
    const missing = checkAddons(electron41, [{ name: 'no-such-addon-package', binary: 'x.node' }]);
    expect(missing[0]!.ok).toBe(false);
    expect(missing[0]!.problem).toContain('no-such-addon-package is not installed');
  });
});
