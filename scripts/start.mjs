#!/usr/bin/env node
/**
 * `npm start`: the officer's station.
 * - With an Electron binary (require('electron') names an existing file, or
 *   STATION_ELECTRON_PATH is set): launches Electron with the built shell,
 *   dist/electron/shell/main.js.
 * - Without one (this machine installs with ELECTRON_SKIP_BINARY_DOWNLOAD):
 *   starts the browser host and prints its URL with the reason there is no
 *   window. It never opens a browser by itself.
 * Flags forwarded: --data-dir DIR, --training, --port N (the host also takes --no-pcsc).
 * Exit code: the child's; 2 for a usage error; 1 when nothing could be started.
 */
import process from 'node:process';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The line the host prints with its URL (electron/host/main.ts URL_LINE_PREFIX). */
const URL_LINE_PREFIX = 'PIV Station browser host: ';
const NO_WINDOW_SENTENCE = 'No Electron binary is installed on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD); open this URL in a browser:';

/** Keeps only the flags the station understands; anything else is a usage error. */
function forwardedFlags(argv) {
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--training' || a === '--no-pcsc') out.push(a);
    else if (a === '--data-dir' || a === '--port') {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value.`);
      out.push(a, argv[++i]);
    } else if (a.startsWith('--data-dir=') || a.startsWith('--port=')) out.push(a);
    else throw new Error(`Unknown option ${a}. Use --data-dir DIR, --training, --port N, --no-pcsc.`);
  }
  return out;
}

/** Path of an installed Electron binary, or undefined. */
function electronBinary() {
  if (process.env.STATION_ELECTRON_PATH) return process.env.STATION_ELECTRON_PATH;
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    // the electron package throws when its binary was never downloaded
    return undefined;
  }
}

/** Forwards SIGINT/SIGTERM to the child and exits with its code. */
function follow(child) {
  const forward = (signal) => () => child.kill(signal);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (e) => {
    process.stderr.write(`PIV Station: could not start: ${e.message}\n`);
    process.exit(1);
  });
}

function startElectron(binary, flags) {
  const shell = join(root, 'dist', 'electron', 'shell', 'main.js');
  if (!existsSync(shell)) {
    process.stderr.write('The Electron shell is not built: run npm run build first.\n');
    process.exit(1);
  }
  follow(spawn(binary, [shell, ...flags], { stdio: 'inherit' }));
}

/** The newest modification time (ms) of the TypeScript sources under `dirs`, 0 when there are none (a packaged app). */
function newestSource(dirs) {
  let newest = 0;
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
    }
  }
  return newest;
}

function startBrowserHost(flags) {
  const source = join(root, 'electron', 'host', 'main.ts');
  const bundled = join(root, 'dist', 'host-bundle', 'main.mjs');
  const built = join(root, 'dist', 'electron', 'host', 'main.js');
  let args;
  // The bundle (npm run build:host) when no source is newer: it starts in about a third of the time of
  // the sources through tsx (issue 14). Else, from a source checkout, the sources (never a stale build).
  if (existsSync(bundled) && statSync(bundled).mtimeMs >= newestSource([join(root, 'electron'), join(root, 'native')])) args = [bundled];
  else if (existsSync(source) && existsSync(join(root, 'node_modules', 'tsx'))) args = ['--import', 'tsx', source];
  else if (existsSync(built)) args = [built];
  else {
    process.stderr.write('The browser host is not built: run npm run build first.\n');
    process.exit(1);
  }
  const child = spawn(process.execPath, [...args, ...flags], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  follow(child);
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith(URL_LINE_PREFIX)) process.stdout.write(`${NO_WINDOW_SENTENCE}\n${line.slice(URL_LINE_PREFIX.length)}\n`);
    else process.stdout.write(line + '\n');
  });
}

let flags;
try {
  flags = forwardedFlags(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  process.exit(2);
}
const binary = electronBinary();
if (binary) startElectron(binary, flags.filter((f) => f !== '--no-pcsc'));
else startBrowserHost(flags);
