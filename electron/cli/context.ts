/**
 * What every `station` command receives: parsed global options, output
 * helpers, and a lazily opened station (commands that need no data dir, like
 * `virtual-card attach`, never open one).
 */
import { randomUUID } from 'node:crypto';
import type { Station } from '../boot/open-station.js';
import { openStationFromTerminal, promptHidden } from '../boot/terminal.js';
import { defaultDataDir } from '../boot/data-dir.js';
import { StationError } from '../core/errors.js';
import type { Channel } from '../contract/station-api.js';
import { authorizeChannel } from '../core/workflow/authorization.js';
import type { Caller } from '../core/workflow/types.js';

/** Global options of every command. */
export interface GlobalOptions {
  dataDir: string;
  json: boolean;
  training: boolean;
  /** `--as USERNAME`: the officer this invocation runs as (password from STATION_PASSWORD or a hidden prompt). */
  as?: string;
}

/** A logged-in officer caller. */
export type OfficerCaller = Extract<Caller, { kind: 'officer' }>;

/** Command context. */
export interface CliContext {
  readonly options: GlobalOptions;
  /** Opens the station once (prompting for the passphrase on a terminal if needed). */
  station(): Promise<Station>;
  /**
   * Logs in as `--as` (once per invocation, on a one-shot connection id) and
   * checks the channel's roles, exactly as the core's dispatch does.
   * @throws StationError NOT_AUTHENTICATED (no --as, no password, wrong password), FORBIDDEN (role missing)
   */
  authorize(channel?: Channel): Promise<OfficerCaller>;
  /** Logs in with a password the command itself holds (the demo's one-off officer); later `authorize` calls use it. */
  loginWith(username: string, password: string): Promise<void>;
  /** Prints a human line (suppressed with --json). */
  say(line: string): void;
  /** Prints the command's result: JSON with --json, else `human()`. */
  result(value: unknown, human: () => void): void;
}

/** The officer's password: STATION_PASSWORD, else a hidden prompt on a terminal. */
export async function officerPassword(username: string): Promise<string> {
  const fromEnv = process.env.STATION_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) return promptHidden(`Password for ${username}: `);
  throw new StationError('NOT_AUTHENTICATED', 'Give the password of --as in the STATION_PASSWORD environment variable.');
}

/** Builds the context for one CLI invocation. */
export function createCliContext(options: GlobalOptions): CliContext & { close(): Promise<void> } {
  let opened: Promise<Station> | undefined;
  let loggedIn: Promise<void> | undefined;
  // One session per invocation, never shared with another run.
  const connectionId = `cli:${randomUUID()}`;
  let asUser = options.as;
  return {
    options,
    async loginWith(username, password) {
      const station = await this.station();
      asUser = username;
      loggedIn = station.officers.login(connectionId, username, password).then(() => undefined);
      await loggedIn;
    },
    async authorize(channel) {
      const station = await this.station();
      const username = asUser;
      if (!username) throw new StationError('NOT_AUTHENTICATED', 'Say which officer you are: --as USERNAME (password from STATION_PASSWORD).');
      loggedIn ??= (async () => {
        await station.officers.login(connectionId, username, await officerPassword(username));
      })();
      await loggedIn;
      const caller = station.officers.caller(connectionId);
      if (channel) authorizeChannel(channel, caller.officer);
      return caller;
    },
    station() {
      opened ??= openStationFromTerminal({ dataDir: options.dataDir, training: options.training });
      return opened;
    },
    say(line) {
      if (!options.json) process.stdout.write(line + '\n');
    },
    result(value, human) {
      if (options.json) process.stdout.write(JSON.stringify(value, null, 2) + '\n');
      else human();
    },
    async close() {
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  };
}

export { defaultDataDir };
