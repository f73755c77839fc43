/**
 * What every `station` command receives: parsed global options, output
 * helpers, the station opened lazily (commands that need no data dir, like
 * `virtual-card attach`, never open one), and `call`: one typed StationApi
 * call through the core's dispatch on this run's own connection — the same
 * door as every other face, so the core validates, authenticates, authorizes
 * and audits each command. The CLI holds no store, no service and no rule.
 */
import { randomUUID } from 'node:crypto';
import type { StationHandle } from '../boot/open-station.js';
import { defaultDataDir } from '../boot/data-dir.js';
import { StationError } from '../core/errors.js';
import { CHANNEL_ROLES, type Channel, type ChannelInput, type ChannelOutput, type EventName, type EventPayload } from '../contract/station-api.js';

/** Global options of every command. */
export interface GlobalOptions {
  dataDir: string;
  json: boolean;
  training: boolean;
  /** `--as USERNAME`: the officer this invocation runs as (password from STATION_PASSWORD or a hidden prompt). */
  as?: string;
}

/** Which command-line option each input field comes from, so a refusal names the option (`Invalid --email: …`). */
export type OptionNames = Readonly<Record<string, string>>;

/** Command context. */
export interface CliContext {
  readonly options: GlobalOptions;
  /** Opens the station once (prompting for the passphrase on a terminal if needed). */
  station(): Promise<StationHandle>;
  /**
   * Calls a channel on this run's connection. Before the first call that is
   * not public, logs in as `--as` through `auth.login` (password from
   * STATION_PASSWORD or a hidden prompt).
   * @param optionNames input field → CLI option, for the words of an INVALID_INPUT refusal
   * @returns the channel's output
   * @throws StationError with the core's code, sentence and details (NOT_AUTHENTICATED without --as)
   */
  call<C extends Channel>(channel: C, input: ChannelInput<C>, optionNames?: OptionNames): Promise<ChannelOutput<C>>;
  /** Logs in with a password the command itself holds (the demo's one-off officer). */
  loginWith(username: string, password: string): Promise<void>;
  /** Listens to a core event (job progress, batch progress); returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Promise<() => void>;
  /** Prints a human line (suppressed with --json). */
  say(line: string): void;
  /** Prints the command's result: JSON with --json, else `human()`. */
  result(value: unknown, human: () => void): void;
}

/** The officer's password: STATION_PASSWORD, else a hidden prompt on a terminal. */
export async function officerPassword(username: string): Promise<string> {
  const fromEnv = process.env.STATION_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) return (await import('../boot/terminal.js')).promptHidden(`Password for ${username}: `);
  throw new StationError('NOT_AUTHENTICATED', 'Give the password of --as in the STATION_PASSWORD environment variable.');
}

/**
 * A refusal of the core as the CLI says it: an INVALID_INPUT on a field that
 * came from an option names the option.
 */
function refusal(error: { code: StationError['code']; message: string; details: Record<string, string | number | boolean | null | undefined>; retryable: boolean }, optionNames: OptionNames | undefined): StationError {
  const field = typeof error.details.field === 'string' ? error.details.field.split('.')[0]! : undefined;
  const option = error.code === 'INVALID_INPUT' && field !== undefined ? optionNames?.[field] : undefined;
  const message = option ? `Invalid ${option}: ${error.message.replace(/^Invalid request: /, '')}` : error.message;
  return new StationError(error.code, message, { ...error.details, ...(option ? { option } : {}) }, error.retryable);
}

/** Builds the context for one CLI invocation. */
export function createCliContext(options: GlobalOptions): CliContext & { close(): Promise<void> } {
  let opened: Promise<StationHandle> | undefined;
  let loggedIn: Promise<void> | undefined;
  // One connection (and so one officer session) per invocation, never shared with another run.
  const connectionId = `cli:${randomUUID()}`;
  const dispatch = async <C extends Channel>(channel: C, input: ChannelInput<C>, optionNames?: OptionNames): Promise<ChannelOutput<C>> => {
    const r = await (await ctx.station()).core().dispatch(channel, input, connectionId);
    if (!r.ok) throw refusal(r.error, optionNames);
    return r.value as ChannelOutput<C>;
  };
  const ctx: CliContext & { close(): Promise<void> } = {
    options,
    station() {
      // A one-shot face: no batch resumes and no reader is watched behind a command that does not ask for it.
      // The station's modules (the core, SQLite, PC/SC, the PKI libraries) load with the first command that needs it.
      opened ??= import('../boot/terminal.js').then((terminal) =>
        terminal.openStationFromTerminal({ dataDir: options.dataDir, training: options.training, background: false }),
      );
      return opened;
    },
    async call(channel, input, optionNames) {
      if (CHANNEL_ROLES[channel] !== 'public') {
        loggedIn ??= (async () => {
          const username = options.as;
          if (!username) throw new StationError('NOT_AUTHENTICATED', 'Say which officer you are: --as USERNAME (password from STATION_PASSWORD).');
          await dispatch('auth.login', { username, password: await officerPassword(username) });
        })();
        await loggedIn;
      }
      const value = await dispatch(channel, input, optionNames);
      // The first administrator is logged in on this connection by the call that creates them.
      if (channel === 'auth.firstRunAdmin') loggedIn = Promise.resolve();
      return value;
    },
    async loginWith(username, password) {
      loggedIn = dispatch('auth.login', { username, password }).then(() => undefined);
      await loggedIn;
    },
    async on(event, listener) {
      return (await ctx.station()).core().on(event, (payload, target) => {
        // Events for one connection only (session.locked) are for that connection.
        if (target === undefined || target === connectionId) listener(payload);
      });
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
  return ctx;
}

export { defaultDataDir };
