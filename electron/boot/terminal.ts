/**
 * The terminal side of opening a station, shared by the two faces started
 * from a terminal (the `station` CLI and the browser host): a hidden prompt,
 * and the data dir's passphrase from STATION_PASSPHRASE or that prompt.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { StationError } from '../core/errors.js';
import { openStation, type OpenStationOptions, type StationHandle } from './open-station.js';

/** Reads a line from the terminal without echoing it. Never used without a TTY (CI has none). */
export async function promptHidden(question: string): Promise<string> {
  const muted = new Writable({ write: (_chunk, _enc, cb) => cb() });
  process.stderr.write(question);
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return answer;
}

/**
 * Opens the station with the passphrase of STATION_PASSPHRASE, asking for it
 * on a terminal when it is not set and the data dir needs one.
 * @throws StationError SECRETS_LOCKED (wrong or missing passphrase, no terminal), and what openStation throws
 */
export async function openStationFromTerminal(opts: Omit<OpenStationOptions, 'passphrase'>): Promise<StationHandle> {
  let passphrase = process.env.STATION_PASSPHRASE;
  try {
    return await openStation({ ...opts, passphrase });
  } catch (e) {
    if (e instanceof StationError && e.code === 'SECRETS_LOCKED' && !passphrase && process.stdin.isTTY) {
      passphrase = await promptHidden('Station passphrase: ');
      return openStation({ ...opts, passphrase });
    }
    throw e;
  }
}
