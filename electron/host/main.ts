#!/usr/bin/env node
/**
 * Entry of the browser host: `node dist/electron/host/main.js [--data-dir DIR]
 * [--training] [--port N] [--no-pcsc]` (or `node --import tsx electron/host/main.ts`).
 * Opens the station, serves renderer/dist on 127.0.0.1 and prints exactly one
 * line, `PIV Station browser host: <url>`, on stdout. While the host runs,
 * the outbox is delivered to the IDPRS (when config.json has `notifications`)
 * and the CRL is served at config `crlUrl` (boot/station-services.ts; problems
 * logged on stderr). SIGTERM/SIGINT stop them, close the host, the core and
 * the station, then exit 0.
 * Exit codes: 0 clean shutdown, 1 the station or host could not start, 2 usage.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StationHandle } from '../boot/open-station.js';
import { openStationFromTerminal } from '../boot/terminal.js';
import { defaultDataDir } from '../boot/data-dir.js';
import { StationError, toStationError } from '../core/errors.js';
import { HOST_USAGE, parseHostArgs } from './args.js';
import { startHost, type RunningHost } from './server.js';

/** The stdout line other tools (scripts/start.mjs, E2E tests) wait for. */
export const URL_LINE_PREFIX = 'PIV Station browser host: ';

/** Name in package.json that marks the app root. */
const APP_PACKAGE_NAME = 'piv-station';

/** The app root: the nearest ancestor of this file holding the station's package.json. */
export function appRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === APP_PACKAGE_NAME) return dir;
      } catch {
        // not ours: keep looking upwards
      }
    }
    if (dirname(dir) === dir) throw new StationError('INTERNAL', 'The PIV Station application folder was not found.');
  }
}

/**
 * Directory of the built renderer: STATION_RENDERER_DIR (tests, packaged
 * layouts) or <app root>/renderer/dist.
 * @throws StationError INVALID_INPUT when it has no index.html
 */
export function rendererDir(): string {
  const dir = process.env.STATION_RENDERER_DIR ?? join(appRoot(), 'renderer', 'dist');
  if (!existsSync(join(dir, 'index.html'))) throw new StationError('INVALID_INPUT', 'Build the renderer first: npm run build:renderer');
  return dir;
}

/** Runs the host until SIGTERM/SIGINT; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseHostArgs(argv);
  } catch (e) {
    process.stderr.write(`${toStationError(e).message}\n\n${HOST_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(HOST_USAGE + '\n');
    return 0;
  }

  let station: StationHandle | undefined;
  let host: RunningHost | undefined;
  try {
    const staticDir = rendererDir();
    station = await openStationFromTerminal({ dataDir: args.dataDir ?? defaultDataDir(), training: args.training, noPcsc: args.noPcsc });
    host = await startHost({ core: station.core(), staticDir, port: args.port });
  } catch (e) {
    process.stderr.write(`piv-station host: ${toStationError(e).message}\n`);
    await station?.close().catch(() => undefined);
    return 1;
  }
  process.stdout.write(`${URL_LINE_PREFIX}${host.url}\n`);
  // IDPRS notification delivery and the CRL distribution point run while the host does.
  const services = await station.startServices((line) => process.stderr.write(`piv-station host: ${line}\n`));

  const running = host;
  const opened = station;
  await new Promise<void>((resolveStop) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolveStop();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  try {
    await services.stop();
    await running.close();
    await opened.close(); // closes the core (waits for running jobs) and the readers
    return 0;
  } catch (e) {
    process.stderr.write(`piv-station host: ${toStationError(e).message}\n`);
    return 1;
  }
}

// Run only as the entry script, not when imported (tests import appRoot/rendererDir).
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  process.exitCode = await main(process.argv.slice(2));
  // pcsclite and timers may hold the event loop: the host is done.
  process.exit();
}
