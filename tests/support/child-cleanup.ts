/**
 * Setup file of the integration and e2e projects: at the end of every test
 * file, stop the CLI processes that file started and that still run. The test
 * files share one worker, so a leftover `batch run` or card process would
 * otherwise take the next file's cards.
 */
import { afterAll } from 'vitest';
import { stopLiveCliProcesses } from './station-cli.js';

afterAll(async () => {
  await stopLiveCliProcesses();
});
