/**
 * `station batch run` through the real pcscd: a CSV batch of two requests on
 * one vpcd reader, the test inserting a blank card each time the reader is
 * empty; the command follows the batch until done and exits 0 with the
 * batch's figures. A registration officer is refused by the core (exit 1, FORBIDDEN).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualPivCard } from '../../native/virtual-card/card.js';
import type { VpcdLink } from '../../native/vpcd/link.js';
import { openDatabase } from '../../native/sqlite.js';
import { openStore } from '../../electron/core/store/store.js';
import { waitForCardAbsent, VPCD_PORT, VPCD_READER } from '../support/vpcd-card.js';
import { station, stationJson } from '../support/station-cli.js';
import { certificateSerialsByOpenSc, insertCard, waitReaderFree } from './batch-operator.js';

const CLERK = { username: 'clerk', password: 'clerk officer password' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
let dataDir: string;
const links: VpcdLink[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-batch-cli-'));
  dataDir = join(dir, 'station');
});
afterAll(async () => {
  for (const l of links) await l.detach().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

/** The job status of the card with this chip serial, read from the station's database while the CLI runs. */
function jobStatusOfSerial(serial: number): string | undefined {
  const db = openDatabase(join(dataDir, 'station.sqlite'));
  try {
    const store = openStore(db);
    const card = store.cards.findByChipSerial(serial)[0];
    return card ? store.jobs.list().find((j) => j.cardId === card.id)?.status : undefined;
  } finally {
    db.close();
  }
}

describe('station batch run', () => {
  test('a CSV batch on one vpcd reader: the command follows it until both cards are produced', async () => {
    const ids: string[] = [];
    for (const surname of ['Lovelace', 'Hopper']) {
      const person = await stationJson<{ id: string }>(dataDir, ['person', 'add', '--given-name', 'Ada', '--surname', surname, '--affiliation', 'visitor']);
      const request = await stationJson<{ id: string; state: string }>(dataDir, ['request', 'create', '--person', person.id, '--profile', 'visitor']);
      expect(request.state).toBe('approved');
      ids.push(request.id);
    }
    const csv = join(dir, 'batch.csv');
    writeFileSync(csv, `name,request\nAda Lovelace,${ids[0]}\nAda Hopper,${ids[1]}\n`);

    // A registration officer may not run batches: the core refuses, the command says why.
    await stationJson(dataDir, ['officer', 'add', '--username', CLERK.username, '--roles', 'registration'], 0, { env: { STATION_NEW_PASSWORD: CLERK.password } });
    const refused = await station(dataDir, ['batch', 'run', '--csv', csv, '--readers', VPCD_READER], { as: CLERK });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\[FORBIDDEN\]/);

    await waitReaderFree(VPCD_READER);
    const running = station(dataDir, ['batch', 'run', '--csv', csv, '--readers', VPCD_READER, '--json'], { timeoutMs: 300_000 });
    const onCard: string[][] = [];
    for (let n = 0; n < 2; n++) {
      const card = VirtualPivCard.create();
      const link = await insertCard(card, VPCD_READER, VPCD_PORT);
      links.push(link);
      const end = Date.now() + 120_000;
      while (jobStatusOfSerial(card.serial) !== 'done') {
        if (Date.now() > end) throw new Error(`card ${n + 1} was not produced`);
        await sleep(250);
      }
      onCard.push(await certificateSerialsByOpenSc(VPCD_READER));
      await link.detach();
      await waitForCardAbsent(VPCD_READER);
    }
    const r = await running;
    expect(r.code, r.stderr).toBe(0);
    const view = JSON.parse(r.stdout) as { status: string; done: number; total: number; items: { requestId: string; state: string }[] };
    expect(view).toMatchObject({ status: 'done', done: 2, total: 2 });
    expect(view.items.map((i) => i.requestId)).toEqual(ids);
    expect(onCard.map((serials) => serials.length)).toEqual([4, 4]);
  });
});
