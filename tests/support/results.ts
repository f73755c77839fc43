/** Helpers for StationApi results in tests. */
import type { Result } from '../../electron/contract/station-api.js';

/** The value of an ok result; throws with the error's code and message otherwise. */
export function ok<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}
