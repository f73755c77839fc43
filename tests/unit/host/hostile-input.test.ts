/**
 * The StationApi fed random and hostile input through the browser host's door
 * (issue 13 "Bad input"): the /bridge WebSocket with the launch token and the
 * host's Origin, as a compromised page would use it, into the real core of a
 * training station. Every call is refused with a validation error
 * (INVALID_INPUT) and the store is exactly as before (every table compared).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { startHost, type RunningHost } from '../../../electron/host/server.js';
import type { Result } from '../../../electron/contract/station-api.js';
import { openTrainingStation, TEST_OFFICER, type TrainingStation } from '../../support/training-station.js';
import { expectDoorRefusesHostileInput, storeSnapshot } from '../../support/hostile-api.js';
import { makeStaticDir, tryConnect } from './helpers.js';

let ts: TrainingStation;
const PERSON = { givenName: 'Wellformed', surname: 'Caller', affiliation: 'employee' };
let host: RunningHost;
/** A second launch of the host: its connections are another window, which becomes a kiosk. */
let kioskHost: RunningHost;
let statics: ReturnType<typeof makeStaticDir>;
let officer: WebSocket;
let kiosk: WebSocket;
let nextId = 1;

/** One call on an open bridge socket, answered by its id. */
function call(ws: WebSocket, channel: string, input: unknown): Promise<Result<unknown>> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: unknown) => {
      const msg = JSON.parse(String(data)) as { id?: number; result?: Result<unknown> };
      if (msg.id !== id) return;
      ws.off('message', onMessage);
      resolve(msg.result!);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, channel, input }));
  });
}

async function bridge(launch: RunningHost): Promise<WebSocket> {
  const attempt = await tryConnect(launch.port, `/bridge?token=${encodeURIComponent(launch.token)}`, `http://127.0.0.1:${launch.port}`);
  if (!attempt.open) throw new Error(`bridge refused: ${attempt.status}`);
  return attempt.ws;
}

beforeAll(async () => {
  ts = await openTrainingStation({}, { directProduction: true });
  await ts.login(); // creates the all-roles test officer
  statics = makeStaticDir();
  host = await startHost({ core: ts.station.core(), staticDir: statics.dir, port: 0 });
  kioskHost = await startHost({ core: ts.station.core(), staticDir: statics.dir, port: 0 });
  officer = await bridge(host);
  kiosk = await bridge(kioskHost);
  for (const ws of [officer, kiosk]) expect(await call(ws, 'auth.login', { username: TEST_OFFICER.username, password: TEST_OFFICER.password })).toMatchObject({ ok: true });
  expect(await call(kiosk, 'kiosk.start', {})).toMatchObject({ ok: true });
}, 60_000);
afterAll(async () => {
  officer?.close();
  kiosk?.close();
  await host?.close();
  await kioskHost?.close();
  await ts?.close();
  statics?.cleanup();
});

describe('/bridge under hostile input', () => {
  it('every channel refuses hostile and random input with INVALID_INPUT; nothing is written', async () => {
    await expectDoorRefusesHostileInput(ts.station.store.db, { officer: (c, i) => call(officer, c, i), kiosk: (c, i) => call(kiosk, c, i), structured: false });
  }, 600_000);

  it('the door still serves a well-formed call afterwards, and the snapshot sees what it writes', async () => {
    const before = storeSnapshot(ts.station.store.db);
    expect(await call(officer, 'persons.add', PERSON)).toMatchObject({ ok: true });
    expect(storeSnapshot(ts.station.store.db)).not.toEqual(before);
  });
});
