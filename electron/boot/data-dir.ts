/**
 * The station's data directory: where the database, the CA, the keyring and
 * config.json live. Default: the OS user-data dir Electron would use for an
 * app named "piv-station" (Linux: $XDG_CONFIG_HOME/piv-station or ~/.config/piv-station).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, parseStationConfig, type StationConfig } from '../core/config/station-config.js';
import { StationError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-file.js';

/** The keyring file of a data dir and how station files are written (write to a temporary name, then rename): for the shell's safeStorage passphrase. */
export { KEYRING_FILE } from '../core/pki/keyring.js';

/** App name of the data directory. */
export const APP_DIR_NAME = 'piv-station';

/** The default data dir for this OS. */
export function defaultDataDir(): string {
  if (process.env.STATION_DATA_DIR) return process.env.STATION_DATA_DIR;
  const home = homedir();
  if (platform() === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform() === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_DIR_NAME);
}

/** Reads dataDir/config.json, creating it with the defaults on first use (mode 0600 dir 0700). */
export function loadConfig(dataDir: string): StationConfig {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'config.json');
  if (!existsSync(path)) {
    writeFileAtomic(path, JSON.stringify(DEFAULT_CONFIG, null, 2) + '\n');
    return DEFAULT_CONFIG;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new StationError('INVALID_INPUT', `The station configuration ${path} is not valid JSON.`);
  }
  return parseStationConfig(raw);
}
