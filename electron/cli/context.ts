/**
 * What every `station` command receives: parsed global options, output
 * helpers, and a lazily opened station (commands that need no data dir, like
 * `virtual-card attach`, never open one).
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { openStation, type Station } from '../boot/open-station.js';
import { defaultDataDir } from '../boot/data-dir.js';
import { StationError } from '../core/errors.js';

/** Global options of every command. */
export interface GlobalOptions {
  dataDir: string;
  json: boolean;
  training: boolean;
}

/** Command context. */
export interface CliContext {
  readonly options: GlobalOptions;
  /** Opens the station once (prompting for the passphrase on a terminal if needed). */
  station(): Promise<Station>;
  /** Prints a human line (suppressed with --json). */
  say(line: string): void;
  /** Prints the command's result: JSON with --json, else `human()`. */
  result(value: unknown, human: () => void): void;
}

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

/** Builds the context for one CLI invocation. */
export function createCliContext(options: GlobalOptions): CliContext & { close(): Promise<void> } {
  let opened: Promise<Station> | undefined;
  return {
    options,
    station() {
      opened ??= (async () => {
        let passphrase = process.env.STATION_PASSPHRASE;
        try {
          return await openStation({ dataDir: options.dataDir, passphrase, training: options.training });
        } catch (e) {
          if (e instanceof StationError && e.code === 'SECRETS_LOCKED' && !passphrase && process.stdin.isTTY) {
            passphrase = await promptHidden('Station passphrase: ');
            return openStation({ dataDir: options.dataDir, passphrase, training: options.training });
          }
          throw e;
        }
      })();
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
