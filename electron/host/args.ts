/**
 * Command line of the browser host:
 * `main.js [--data-dir DIR] [--training] [--port N] [--no-pcsc]`.
 */
import { parseArgs } from 'node:util';
import { StationError } from '../core/errors.js';

/** Highest TCP port number. */
const MAX_PORT = 65535;

/** Usage text printed with --help and after a usage error. */
export const HOST_USAGE = `Usage: piv-station-host [--data-dir DIR] [--training] [--port N] [--no-pcsc]

  --data-dir DIR  station data directory (default: the OS user-data dir, or STATION_DATA_DIR)
  --training      create/open an unprotected training data dir (test keys, not for real cards)
  --port N        TCP port on 127.0.0.1 (default: a free port)
  --no-pcsc       use only the in-process training reader (no pcscd)

Secrets: STATION_PASSPHRASE unlocks the data dir.`;

/** Parsed host options. */
export interface HostArgs {
  dataDir?: string;
  training: boolean;
  /** 0: a free port chosen by the OS. */
  port: number;
  noPcsc: boolean;
  help: boolean;
}

/**
 * Parses the host's arguments (without `node` and the script).
 * @throws StationError INVALID_INPUT for unknown options or a port outside 0..65535
 */
export function parseHostArgs(argv: string[]): HostArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string' },
        training: { type: 'boolean' },
        port: { type: 'string' },
        'no-pcsc': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (e) {
    throw new StationError('INVALID_INPUT', e instanceof Error ? e.message : 'Unknown option.');
  }
  let port = 0;
  if (values.port !== undefined) {
    port = /^\d{1,5}$/.test(values.port) ? Number(values.port) : -1;
    if (port < 0 || port > MAX_PORT) throw new StationError('INVALID_INPUT', `--port must be a number from 0 to ${MAX_PORT}.`);
  }
  return { dataDir: values['data-dir'], training: !!values.training, port, noPcsc: !!values['no-pcsc'], help: !!values.help };
}
