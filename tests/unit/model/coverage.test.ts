/**
 * The model covers the whole door: every StationApi channel that changes
 * state (every channel but the contract's QUERY_CHANNELS) has a command in the
 * model-based suite, so a channel added to the contract without a command
 * fails here until the model learns it.
 */
import { describe, expect, it } from 'vitest';
import { CHANNELS, QUERY_CHANNELS } from '../../../electron/contract/station-api.js';
import { MODEL_CHANNELS } from './commands.js';

describe('the model covers every channel that changes state', () => {
  it('each non-query channel of the contract has a model command', () => {
    const stateChanging = CHANNELS.filter((c) => !QUERY_CHANNELS.has(c));
    expect(stateChanging.filter((c) => !MODEL_CHANNELS.has(c))).toEqual([]);
  });

  it('the model calls only channels the contract has, and no query channel needs a command', () => {
    expect([...MODEL_CHANNELS].filter((c) => !CHANNELS.includes(c))).toEqual([]);
    expect([...QUERY_CHANNELS].filter((c) => !CHANNELS.includes(c))).toEqual([]);
  });
});
