/**
 * The StationApi fed random and hostile input through the Electron shell's
 * door (issue 13 "Bad input"): the `station:invoke` handler (shell/ipc-handler.ts)
 * called as Electron calls it, from the station's own window, with values
 * Electron's structured clone can carry, into the real core of a training
 * station. Every call is refused with a validation error (INVALID_INPUT) and
 * the store is exactly as before (every table compared).
 */
import type { WebContents } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionIdOf, makeInvokeHandler } from '../../../electron/shell/ipc-handler.js';
import type { Result } from '../../../electron/contract/station-api.js';
import { openTrainingStation, type TrainingStation } from '../../support/training-station.js';
import { expectDoorRefusesHostileInput, storeSnapshot } from '../../support/hostile-api.js';

let ts: TrainingStation;
const PERSON = { givenName: 'Wellformed', surname: 'Caller', affiliation: 'employee' };
/** The officer's window and a window turned into a kiosk. */
const officerWindow = { id: 101 } as unknown as WebContents;
const kioskWindow = { id: 102 } as unknown as WebContents;
let invoke: (sender: WebContents, channel: unknown, input: unknown) => Promise<Result<unknown>>;

beforeAll(async () => {
  ts = await openTrainingStation({}, { directProduction: true });
  const core = ts.station.core();
  const handler = makeInvokeHandler((channel, raw, connectionId) => core.dispatch(channel, raw, connectionId), (c) => c === officerWindow || c === kioskWindow);
  invoke = (sender, channel, input) => handler({ sender, senderFrame: { url: 'app://station/index.html' } } as never, channel, input);
  await ts.login(core, connectionIdOf(officerWindow));
  await ts.login(core, connectionIdOf(kioskWindow));
  expect(await invoke(kioskWindow, 'kiosk.start', {})).toMatchObject({ ok: true });
}, 60_000);
afterAll(() => ts?.close());

describe('station:invoke under hostile input', () => {
  it('every channel refuses hostile and random input with INVALID_INPUT; nothing is written', async () => {
    await expectDoorRefusesHostileInput(ts.station.store.db, { officer: (c, i) => invoke(officerWindow, c, i), kiosk: (c, i) => invoke(kioskWindow, c, i), structured: true });
  }, 600_000);

  it('the door still serves a well-formed call afterwards, and the snapshot sees what it writes', async () => {
    const before = storeSnapshot(ts.station.store.db);
    expect(await invoke(officerWindow, 'persons.add', PERSON)).toMatchObject({ ok: true });
    expect(storeSnapshot(ts.station.store.db)).not.toEqual(before);
  });
});
