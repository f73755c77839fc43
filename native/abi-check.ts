/**
 * Native addon ABI check (DESIGN.md "Layout": abi-check).
 *
 * A `.node` addon built against V8/NAN (better-sqlite3, pcsclite) only loads
 * in a runtime with the same NODE_MODULE_VERSION. Loading a mismatched one
 * crashes or throws an opaque "was compiled against a different Node.js
 * version". This module reads the version each addon was built for from the
 * binary itself (its exported `node_register_module_v<N>` symbol, which
 * node-gyp's NODE_MODULE macro names after NODE_MODULE_VERSION) WITHOUT
 * loading it, and refuses with one plain sentence before anything loads it.
 *
 * Why parse instead of load: loading is exactly what may crash, and loading in
 * a child process would need a second Electron runtime in the packaged app.
 *
 * Beware: the global npm setting `nodedir` makes `electron-builder
 * install-app-deps` report success while building for Node; this check is what
 * catches that.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { StationError } from '../electron/core/errors.js';

/** Prefix of the registration symbol a V8/NAN addon exports (node.h NODE_MODULE_X). */
const NODE_REGISTER_PREFIX = 'node_register_module_v';
/** Symbol a Node-API addon exports: ABI-stable across Node and Electron. */
const NAPI_REGISTER_SYMBOL = 'napi_register_module_v1';
/** Finds every registration symbol with its version number. */
const NODE_REGISTER_PATTERN = /node_register_module_v(\d+)/g;
/** Folder of the asar archive's unpacked files (electron-builder asarUnpack). */
const ASAR = `${sep}app.asar${sep}`;
const ASAR_UNPACKED = `${sep}app.asar.unpacked${sep}`;

/**
 * NODE_MODULE_VERSION → Node major, for messages only (nodejs/node doc/abi_version_registry.json).
 * An ABI not listed is shown as "ABI N" alone.
 */
const NODE_MAJOR_BY_ABI: Readonly<Record<number, number>> = {
  93: 16,
  108: 18,
  111: 19,
  115: 20,
  120: 21,
  127: 22,
  131: 23,
  137: 24,
  141: 25,
};

/** What an addon binary says it was built for. */
export type AddonAbi = { kind: 'node'; modules: number } | { kind: 'napi' } | { kind: 'unknown' };

/** The runtime the station is running in (or will run in). */
export interface RuntimeAbi {
  /** NODE_MODULE_VERSION of the runtime (`process.versions.modules`). */
  modules: number;
  /** Electron version when running in Electron (`process.versions.electron`), else undefined. */
  electron?: string;
  /** Node version (`process.versions.node`). */
  node: string;
}

/** One addon to check: its npm package name and the binary's file name under build/Release. */
export interface AddonSpec {
  name: string;
  binary: string;
}

/** The station's native addons (DESIGN.md: native/ is the only place they load). */
export const STATION_ADDONS: readonly AddonSpec[] = [
  { name: 'better-sqlite3', binary: 'better_sqlite3.node' },
  { name: 'pcsclite', binary: 'pcsclite.node' },
];

/** Result of checking one addon. */
export interface AddonCheck {
  name: string;
  path: string;
  abi: AddonAbi;
  ok: boolean;
  /** The officer/release-engineer sentence when not ok. */
  problem?: string;
}

/**
 * Reads the ABI an addon binary was built for from its bytes (ELF, Mach-O or
 * PE alike: the registration symbol name appears in the string/symbol table).
 *
 * @param binary the `.node` file's bytes
 * @returns `{kind:'node', modules}` for V8/NAN addons, `{kind:'napi'}` for
 *          Node-API addons, `{kind:'unknown'}` when neither symbol is present.
 *          When several versions appear (should not happen), the highest wins.
 */
export function readAddonAbi(binary: Uint8Array): AddonAbi {
  // latin1 maps each byte to one char, so ASCII symbol names survive unchanged.
  const text = Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength).toString('latin1');
  let best: number | undefined;
  if (text.includes(NODE_REGISTER_PREFIX)) {
    for (const m of text.matchAll(NODE_REGISTER_PATTERN)) {
      const v = Number(m[1]);
      if (best === undefined || v > best) best = v;
    }
  }
  if (best !== undefined) return { kind: 'node', modules: best };
  if (text.includes(NAPI_REGISTER_SYMBOL)) return { kind: 'napi' };
  return { kind: 'unknown' };
}

/** The runtime this process runs in. */
export function currentRuntime(): RuntimeAbi {
  return { modules: Number(process.versions.modules), electron: process.versions.electron, node: process.versions.node };
}

/** "ABI 115 (Node 20)" or "ABI 145" when the ABI is not a known Node one. */
export function describeAbi(modules: number): string {
  const major = NODE_MAJOR_BY_ABI[modules];
  return major === undefined ? `ABI ${modules}` : `ABI ${modules} (Node ${major})`;
}

/** "Electron 41 (ABI 145)" or "Node 20 (ABI 115)". */
export function describeRuntime(rt: RuntimeAbi): string {
  const [product, version] = rt.electron !== undefined ? ['Electron', rt.electron] : ['Node', rt.node];
  return `${product} ${version.split('.')[0]} (ABI ${rt.modules})`;
}

/**
 * Compares one addon's ABI with the runtime's.
 *
 * @returns the check; `problem` is the sentence to show when `ok` is false:
 *   "better-sqlite3 was built for ABI 115 (Node 20) but this is Electron 41 (ABI 145): run
 *   electron-builder install-app-deps on a networked release host, then package again."
 */
export function compareAddonAbi(spec: AddonSpec, path: string, abi: AddonAbi, rt: RuntimeAbi): AddonCheck {
  if (abi.kind === 'napi') return { name: spec.name, path, abi, ok: true };
  if (abi.kind === 'unknown') {
    return {
      name: spec.name,
      path,
      abi,
      ok: false,
      problem: `${spec.name} (${path}) is not a Node addon this station can recognize: reinstall it for ${describeRuntime(rt)}.`,
    };
  }
  if (abi.modules === rt.modules) return { name: spec.name, path, abi, ok: true };
  const fix =
    rt.electron !== undefined
      ? 'run electron-builder install-app-deps on a networked release host (without the npm nodedir setting), then package again.'
      : 'run npm rebuild for this Node version.';
  return {
    name: spec.name,
    path,
    abi,
    ok: false,
    problem: `${spec.name} was built for ${describeAbi(abi.modules)} but this is ${describeRuntime(rt)}: ${fix}`,
  };
}

/**
 * Finds an addon's binary: `<package dir>/build/Release/<binary>`, preferring
 * the `app.asar.unpacked` copy inside a packaged app (electron-builder
 * asarUnpack), since that is the file the runtime will dlopen.
 *
 * @param resolveFrom a file or directory URL/path to resolve the package from
 * @returns the absolute path, or undefined when the package or binary is missing
 */
export function locateAddon(spec: AddonSpec, resolveFrom: string = import.meta.url): string | undefined {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(resolveFrom).resolve(`${spec.name}/package.json`));
  } catch {
    return undefined;
  }
  const candidate = join(pkgDir, 'build', 'Release', spec.binary);
  const unpacked = candidate.includes(ASAR) ? candidate.replace(ASAR, ASAR_UNPACKED) : undefined;
  if (unpacked !== undefined && existsSync(unpacked)) return unpacked;
  return existsSync(candidate) ? candidate : undefined;
}

/**
 * Checks every addon against a runtime without loading any of them.
 *
 * @param rt      the runtime (default: this process)
 * @param addons  addons to check (default: {@link STATION_ADDONS})
 * @param locate  how to find an addon's binary (default: {@link locateAddon})
 * @returns one check per addon; a missing binary is a failed check
 */
export function checkAddons(
  rt: RuntimeAbi = currentRuntime(),
  addons: readonly AddonSpec[] = STATION_ADDONS,
  locate: (spec: AddonSpec) => string | undefined = (s) => locateAddon(s),
): AddonCheck[] {
  return addons.map((spec) => {
    const path = locate(spec);
    if (path === undefined) {
      return { name: spec.name, path: '', abi: { kind: 'unknown' }, ok: false, problem: `${spec.name} is not installed: its native module is missing.` };
    }
    return compareAddonAbi(spec, path, readAddonAbi(readFileSync(path)), rt);
  });
}

/**
 * Refuses to start when an addon does not match the runtime: call before
 * anything imports better-sqlite3 or pcsclite.
 *
 * @throws StationError INTERNAL (not retryable) whose message joins every problem sentence;
 *         details: `{ addons: "better-sqlite3,pcsclite", runtimeAbi: 145 }`
 */
export function assertAddonsMatchRuntime(
  rt: RuntimeAbi = currentRuntime(),
  addons: readonly AddonSpec[] = STATION_ADDONS,
  locate?: (spec: AddonSpec) => string | undefined,
): void {
  const bad = checkAddons(rt, addons, locate).filter((c) => !c.ok);
  if (bad.length === 0) return;
  throw new StationError('INTERNAL', bad.map((c) => c.problem).join(' '), { addons: bad.map((c) => c.name).join(','), runtimeAbi: rt.modules }, false);
}
