#!/usr/bin/env node
/**
 * package:check — packs the app with electron-builder (`--linux dir`) OFFLINE
 * and checks that the package holds what the shell needs at run time.
 *
 * This machine has no Electron binary (ELECTRON_SKIP_BINARY_DOWNLOAD), so
 * electron-builder gets a placeholder `electronDist`: a temporary directory
 * holding one executable file named `electron` (all electron-builder needs for
 * a Linux `dir` target: it copies the directory and renames that file to
 * `executableName`; the Electron version comes from node_modules/electron).
 * The placeholder carries the fuse sentinel and a fuse wire in Electron's
 * default states (scripts/build/fuses.mjs), so the fuses are flipped and
 * checked on it as on a real binary; `--electron-dist DIR` packs a real
 * Electron instead (the release host: node_modules/electron/dist).
 * Any download attempt is made to fail fast (proxies pointed at a closed
 * port), so "it packed" means "it packed without the network".
 *
 * Checks (each printed; exit 1 when one fails):
 *  - resources/app.asar exists and holds package.json (main = the shell),
 *    dist/electron/shell/main.js, dist/preload/preload.cjs,
 *    renderer/dist/index.html and every asset index.html references;
 *  - the native addons (better-sqlite3, pcsclite) are unpacked:
 *    app.asar.unpacked/node_modules/<addon>/build/Release/<addon>.node exists
 *    and the archive marks it unpacked;
 *  - every file of resources/app is in resources/app (extraResources) and in the archive;
 *  - the addons' ABI vs the packaged Electron's (native/abi-check): a warning
 *    here (dev addons are built for Node), an error with `--release`;
 *  - the packaged binary's Electron fuses are electron-builder.yml's `electronFuses`
 *    (read back from the binary, independently of the afterPack hook that set them);
 *  - resources/THIRD_PARTY_NOTICES.txt lists the production dependencies
 *    (better-sqlite3 and zod named as witnesses).
 *
 * Usage: node scripts/package-check.mjs [--no-build] [--keep] [--release] [--electron-dist DIR]
 *   --no-build  use the existing dist/ and renderer/dist/ (default: build dist/ first, and
 *               renderer/dist/ when it is missing)
 *   --build-renderer  rebuild renderer/dist/ even when present
 *   --keep      keep the output directory and print its path
 *   --release   an addon ABI mismatch is an error (on the release host, after install-app-deps)
 *   --electron-dist DIR  pack this Electron (a directory holding the `electron` executable) instead of the placeholder
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkFuses, placeholderElectron } from './build/fuses.mjs';
import { NOTICES_FILE } from './build/third-party-notices.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const argv = process.argv.slice(2);
const args = new Set(argv);
const realElectronDist = args.has('--electron-dist') ? argv[argv.indexOf('--electron-dist') + 1] : undefined;
const build = !args.has('--no-build');
const keep = args.has('--keep');
const release = args.has('--release');

/** Native addons and their binaries (mirrors native/abi-check.ts STATION_ADDONS). */
const ADDONS = [
  { name: 'better-sqlite3', binary: 'better_sqlite3.node' },
  { name: 'pcsclite', binary: 'pcsclite.node' },
];
/** A closed local port: any HTTP(S) request electron-builder tries fails at once. */
const NO_NETWORK_PROXY = 'http://127.0.0.1:9';
/** Where a Linux `dir` target is written under the output directory. */
const LINUX_UNPACKED = 'linux-unpacked';

const results = [];
const check = (ok, what, detail = '') => results.push({ level: ok ? 'ok' : 'FAIL', what, detail });
const warn = (what, detail = '') => results.push({ level: 'warn', what, detail });

function run(title, cmd, cmdArgs, env = {}) {
  process.stdout.write(`== ${title}\n`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

const bin = (name) => join(root, 'node_modules', '.bin', name);

// ---------- build ----------
if (build) {
  // Type errors are the typecheck steps' business; tsc still emits, and the checks below judge the output.
  if (!run('build core, cli, native (tsc -p tsconfig.json)', bin('tsc'), ['-p', 'tsconfig.json'])) warn('tsc -p tsconfig.json reported errors');
  if (!run('build shell (tsc -p tsconfig.shell.json)', bin('tsc'), ['-p', 'tsconfig.shell.json'])) warn('tsc -p tsconfig.shell.json reported errors');
  const esbuild = require('esbuild');
  process.stdout.write('== bundle preload (esbuild → dist/preload/preload.cjs)\n');
  esbuild.buildSync({
    entryPoints: [join(root, 'electron/preload/preload.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['electron'],
    outfile: join(root, 'dist/preload/preload.cjs'),
    logLevel: 'warning',
  });
  // The renderer build belongs to its own script; build it here only when absent (or asked), so a
  // check never empties renderer/dist under a running browser-host test.
  const rendererMissing = !existsSync(join(root, 'renderer/dist/index.html'));
  if ((rendererMissing || args.has('--build-renderer')) && existsSync(join(root, 'renderer/vite.config.ts'))) {
    if (!run('build renderer (vite)', bin('vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'])) warn('vite build failed');
  }
}

// ---------- pack ----------
const placeholderDist = realElectronDist ? undefined : mkdtempSync(join(tmpdir(), 'station-electron-dist-'));
const electronDist = realElectronDist ?? placeholderDist;
const out = mkdtempSync(join(tmpdir(), 'station-package-'));
if (placeholderDist) {
  writeFileSync(join(placeholderDist, 'electron'), placeholderElectron());
  chmodSync(join(placeholderDist, 'electron'), 0o755);
}

const packed = run(
  `electron-builder --linux dir (offline, ${placeholderDist ? 'placeholder' : 'real'} Electron)`,
  bin('electron-builder'),
  [
    '--linux',
    'dir',
    '--publish',
    'never',
    '--config.npmRebuild=false',
    `--config.electronDist=${electronDist}`,
    `--config.directories.output=${out}`,
  ],
  {
    ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
    HTTP_PROXY: NO_NETWORK_PROXY,
    HTTPS_PROXY: NO_NETWORK_PROXY,
    http_proxy: NO_NETWORK_PROXY,
    https_proxy: NO_NETWORK_PROXY,
    NO_PROXY: '',
    no_proxy: '',
    CSC_IDENTITY_AUTO_DISCOVERY: 'false',
  },
);
check(packed, 'electron-builder packed offline');

// ---------- inspect ----------
const resources = join(out, LINUX_UNPACKED, 'resources');
const asarPath = join(resources, 'app.asar');
const unpackedDir = join(resources, 'app.asar.unpacked');
check(existsSync(asarPath), 'resources/app.asar exists', asarPath);

if (existsSync(asarPath)) {
  const asar = require('@electron/asar');
  const entries = new Set(asar.listPackage(asarPath).map((p) => p.split(sep).join('/')));
  const has = (p) => entries.has(`/${p}`);
  const readText = (p) => asar.extractFile(asarPath, p).toString('utf8');

  let main;
  try {
    main = JSON.parse(readText('package.json')).main;
  } catch {
    main = undefined;
  }
  check(main === 'dist/electron/shell/main.js', 'package.json in the archive: main is dist/electron/shell/main.js', String(main));
  for (const p of ['dist/electron/shell/main.js', 'dist/preload/preload.cjs', 'renderer/dist/index.html', 'dist/native/abi-check.js', 'dist/electron/boot/open-station.js']) {
    check(has(p), `archive holds ${p}`);
  }
  if (has('renderer/dist/index.html')) {
    const html = readText('renderer/dist/index.html');
    const refs = [...html.matchAll(/(?:src|href)="(\.?\/?assets\/[^"]+)"/g)].map((m) => m[1].replace(/^\.?\//, ''));
    check(refs.length > 0, 'renderer index.html references its assets', refs.join(', '));
    for (const ref of refs) check(has(`renderer/dist/${ref}`), `archive holds renderer/dist/${ref}`);
  }
  check(!has('dist/preload/preload.ts') && ![...entries].some((p) => p.startsWith('/electron/')), 'archive holds no TypeScript sources');

  for (const addon of ADDONS) {
    const rel = `node_modules/${addon.name}/build/Release/${addon.binary}`;
    const file = join(unpackedDir, ...rel.split('/'));
    check(existsSync(file), `${addon.name} unpacked at app.asar.unpacked/${rel}`);
    let unpacked = false;
    try {
      unpacked = asar.statFile(asarPath, rel).unpacked === true;
    } catch {
      unpacked = false;
    }
    check(unpacked, `archive marks ${rel} unpacked`);
  }

  // resources/app → extraResources (resources/app) and files (archive)
  const srcApp = join(root, 'resources', 'app');
  const appFiles = existsSync(srcApp) ? listFiles(srcApp).map((f) => relative(srcApp, f).split(sep).join('/')) : [];
  if (appFiles.length === 0) warn('resources/app holds no files yet: nothing to check there');
  for (const f of appFiles) {
    check(existsSync(join(resources, 'app', ...f.split('/'))), `resources/app/${f} in the package's resources`);
    check(has(`resources/app/${f}`), `resources/app/${f} in the archive`);
  }

  // ABI of the packaged addons vs the Electron they will run in.
  const abiCheckJs = join(root, 'dist', 'native', 'abi-check.js');
  const electronAbi = electronModulesVersion();
  if (existsSync(abiCheckJs) && electronAbi !== undefined) {
    const abi = await import(pathToFileURL(abiCheckJs).href);
    const electronVersion = require('electron/package.json').version;
    const rt = { modules: electronAbi, electron: electronVersion, node: process.versions.node };
    const checks = abi.checkAddons(rt, abi.STATION_ADDONS, (spec) => {
      const p = join(unpackedDir, 'node_modules', spec.name, 'build', 'Release', spec.binary);
      return existsSync(p) ? p : undefined;
    });
    for (const c of checks) {
      if (c.ok) check(true, `${c.name} ABI matches Electron ${electronVersion}`);
      else if (release) check(false, `${c.name} ABI`, c.problem);
      else warn(`${c.name} ABI (expected on a dev machine; the release host rebuilds)`, c.problem);
    }
  } else {
    warn('ABI check skipped', existsSync(abiCheckJs) ? "Electron's ABI is unknown" : 'dist/native/abi-check.js missing');
  }
}

// ---------- fuses and notices ----------
const binary = join(out, LINUX_UNPACKED, readBuilderConfig().executableName ?? 'piv-station');
const wantedFuses = readBuilderConfig().electronFuses;
check(!!wantedFuses, 'electron-builder.yml sets electronFuses');
if (wantedFuses && existsSync(binary)) {
  for (const f of await checkFuses(binary, wantedFuses)) check(f.ok, `fuse ${f.name} is ${f.want ? 'on' : 'off'} in the packaged binary`, f.ok ? '' : `found ${f.got}`);
}
const notices = join(resources, NOTICES_FILE);
check(existsSync(notices), `resources/${NOTICES_FILE} exists`);
if (existsSync(notices)) {
  const text = readFileSync(notices, 'utf8');
  for (const dep of ['better-sqlite3', 'zod']) check(new RegExp(`^${dep} \\d`, 'm').test(text), `${NOTICES_FILE} lists ${dep} with its license`);
}

// ---------- summary ----------
process.stdout.write('\npackage:check summary\n');
for (const r of results) process.stdout.write(`  ${r.level.padEnd(4)}  ${r.what}${r.detail ? `  — ${r.detail}` : ''}\n`);
const failed = results.filter((r) => r.level === 'FAIL').length;
const passed = results.filter((r) => r.level === 'ok').length;
process.stdout.write(`${passed} ok, ${failed} failed, ${results.length - passed - failed} warnings\n`);
if (keep) process.stdout.write(`output kept in ${out}\n`);
else rmSync(out, { recursive: true, force: true });
if (placeholderDist) rmSync(placeholderDist, { recursive: true, force: true });
process.exit(failed === 0 ? 0 : 1);

/** electron-builder.yml as electron-builder reads it (js-yaml, its own YAML parser). */
function readBuilderConfig() {
  return require('js-yaml').load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
}

/** Every file under `dir`, recursively. */
function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

/** NODE_MODULE_VERSION of the installed Electron: its abi_version file, else node-abi's table. */
function electronModulesVersion() {
  try {
    const file = join(dirname(require.resolve('electron/package.json')), 'abi_version');
    if (existsSync(file)) return Number(readFileSync(file, 'utf8').trim());
  } catch {
    // fall through to node-abi
  }
  try {
    return Number(require('node-abi').getAbi(require('electron/package.json').version, 'electron'));
  } catch {
    return undefined;
  }
}
