/**
 * Electron fuses of the packaged app (issue 13 "Hardening: Electron fuses";
 * https://www.electronjs.org/docs/latest/tutorial/fuses): switches compiled
 * into the Electron binary that no command-line flag or environment variable
 * can turn back on. The station's settings are electron-builder.yml's
 * `electronFuses`; this module maps them onto the fuse wire, reads a binary's
 * wire back and says where it differs.
 *
 * The wire, as @electron/fuses (1.8) reads and writes it: the ASCII sentinel
 * `dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX`, one byte the wire version (1), one byte
 * the number of fuses, then one byte per fuse: `0` (0x30) disabled, `1` (0x31)
 * enabled, `r` (0x72) removed. Positions are @electron/fuses' FuseV1Options.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** @type {typeof import('@electron/fuses')} */
const fuses = require('@electron/fuses');
// The fuse states and the sentinel are not re-exported by the package's index.
const { FuseState, SENTINEL } = require('@electron/fuses/dist/constants.js');
const { FuseV1Options, FuseVersion } = fuses;

/** The sentinel in front of the fuse wire. */
export const FUSE_SENTINEL = SENTINEL;

/** electron-builder's `electronFuses` keys → positions on the wire. */
export const FUSE_POSITIONS = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

/** The states an unmodified Electron binary ships with, by electron-builder key (Electron's defaults). */
export const ELECTRON_DEFAULT_FUSES = {
  runAsNode: true,
  enableCookieEncryption: false,
  enableNodeOptionsEnvironmentVariable: true,
  enableNodeCliInspectArguments: true,
  enableEmbeddedAsarIntegrityValidation: false,
  onlyLoadAppFromAsar: false,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: true,
};

/**
 * The @electron/fuses configuration of electron-builder's `electronFuses` settings.
 * @param {Record<string, boolean>} electronFuses
 * @throws Error on a key this module does not know (a misspelt setting must not pass silently)
 */
export function fuseConfigOf(electronFuses) {
  const config = { version: FuseVersion.V1 };
  for (const [key, value] of Object.entries(electronFuses)) {
    if (key === 'resetAdHocDarwinSignature') continue;
    if (!(key in FUSE_POSITIONS)) throw new Error(`electronFuses.${key} is not a fuse this station knows`);
    config[FUSE_POSITIONS[key]] = value;
  }
  return config;
}

/**
 * The fuse states of the binary at `path` (an Electron executable, or a `.app` bundle).
 * @returns {Promise<Record<string, boolean | 'removed' | 'absent'>>} by electron-builder key
 */
export async function readFuses(path) {
  const wire = await fuses.getCurrentFuseWire(path);
  return Object.fromEntries(
    Object.entries(FUSE_POSITIONS).map(([key, position]) => {
      const state = wire[position];
      return [key, state === FuseState.ENABLE ? true : state === FuseState.DISABLE ? false : state === FuseState.REMOVED ? 'removed' : 'absent'];
    }),
  );
}

/**
 * Compares the binary's fuses with the settings.
 * @param {string} path the packaged executable
 * @param {Record<string, boolean>} electronFuses the wanted states (electron-builder.yml)
 * @returns {Promise<{ name: string; want: boolean; got: boolean | 'removed' | 'absent'; ok: boolean }[]>}
 */
export async function checkFuses(path, electronFuses) {
  const got = await readFuses(path);
  return Object.entries(electronFuses)
    .filter(([key]) => key in FUSE_POSITIONS)
    .map(([name, want]) => ({ name, want, got: got[name], ok: got[name] === want }));
}

/** Flips the fuses of the binary at `path` to the settings (what electron-builder does with `electronFuses`). */
export async function flipFuses(path, electronFuses) {
  await fuses.flipFuses(path, fuseConfigOf(electronFuses));
}

/**
 * A stand-in for the Electron executable where none is installed: a shell script that says what
 * it is, carrying the fuse sentinel and a wire in Electron's default states, so flipping and
 * reading fuses work on it as on the real binary.
 * @returns {Buffer}
 */
export function placeholderElectron() {
  const states = Object.entries(FUSE_POSITIONS)
    .sort(([, a], [, b]) => a - b)
    .map(([key]) => (ELECTRON_DEFAULT_FUSES[key] ? FuseState.ENABLE : FuseState.DISABLE));
  return Buffer.concat([
    Buffer.from('#!/bin/sh\necho "placeholder Electron: package:check only" >&2\nexit 1\n# fuse wire: ', 'utf8'),
    Buffer.from(FUSE_SENTINEL, 'ascii'),
    Buffer.from([Number(FuseVersion.V1), states.length, ...states]),
    Buffer.from('\n', 'utf8'),
  ]);
}
