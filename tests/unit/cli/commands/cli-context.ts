/** A CLI context over a training station's core for command tests (no station process, no terminal). */
import type { CliContext } from '../../../../electron/cli/context.js';
import { StationError } from '../../../../electron/core/errors.js';
import type { TrainingStation } from '../../../support/training-station.js';

/** A CLI context over the station's core on the local connection (logged in), keeping each printed result. */
export function contextOf(ts: TrainingStation): { ctx: CliContext; results: unknown[] } {
  const core = ts.station.core();
  const results: unknown[] = [];
  const ctx = {
    options: {},
    station: () => Promise.reject(new Error('not used')),
    async call(channel: string, input: unknown) {
      const r = await core.dispatch(channel, input);
      if (!r.ok) throw new StationError(r.error.code as never, r.error.message);
      return r.value;
    },
    loginWith: () => Promise.resolve(),
    on: (event: string, listener: (p: unknown) => void) => Promise.resolve(core.on(event as never, listener as never)),
    say: () => {},
    result: (value: unknown) => void results.push(value),
  } as unknown as CliContext;
  return { ctx, results };
}
