/**
 * `station batch run` through the real pcscd: a CSV batch of two requests on
 * one vpcd reader, the test inserting a blank card each time the reader is
 * empty; the command follows the batch until done and exits 0 with the
 * batch's figures. A file with bad lines, and a registration officer, are
 * refused by the core (exit 2, INVALID_INPUT naming every bad line; exit 1, FORBIDDEN).
 *
 * A crash: the station running a batch is killed (SIGKILL) in the middle of a
 * card; the station opened again on the same data dir resumes the batch, the
 * card still in the reader continues its own job, and the next blank card
 * takes the next request.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualPivCard } from '../../native/virtual-card/card.js';
import type { VpcdLink } from '../../native/vpcd/link.js';
import { openDatabase } from '../../native/sqlite.js';
import { openStore, type StationStore } from '../../electron/core/store/store.js';
import { PcscReaderProvider } from '../../native/pcsc/index.js';
import { openStationRoot } from '../../electron/boot/open-station.js';
import type { BatchView, ChannelOutput } from '../../electron/contract/station-api.js';
import { waitForCardAbsent, VPCD_PORT, VPCD_READER } from '../support/vpcd-card.js';
import { CLI_OFFICER, station, stationJson } from '../support/station-cli.js';
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

/** Reads the station's database of `dir` while a CLI process works on it. */
function readStore<T>(dir: string, read: (store: StationStore) => T): T {
  const db = openDatabase(join(dir, 'station.sqlite'));
  try {
    return read(openStore(db));
  } finally {
    db.close();
  }
}

/** The job of the card with this chip serial (once its identify step has read the serial). */
function jobOfSerial(dir: string, serial: number): { status: string; steps: { name: string; status: string }[] } | undefined {
  return readStore(dir, (store) => {
    const card = store.cards.findByChipSerial(serial)[0];
    const job = card && store.jobs.list().find((j) => j.cardId === card.id);
    return job && { status: job.status, steps: store.jobs.steps(job.id).map((st) => ({ name: st.name, status: st.status })) };
  });
}

/** The job status of the card with this chip serial, read from the station's database while the CLI runs. */
function jobStatusOfSerial(serial: number): string | undefined {
  return jobOfSerial(dataDir, serial)?.status;
}

/** Two visitor requests (approved at once) made through the CLI. @returns their ids */
async function twoRequests(dir: string): Promise<string[]> {
  const ids: string[] = [];
  for (const surname of ['Lovelace', 'Hopper']) {
    const person = await stationJson<{ id: string }>(dir, ['person', 'add', '--given-name', 'Ada', '--surname', surname, '--affiliation', 'visitor']);
    const request = await stationJson<{ id: string; state: string }>(dir, ['request', 'create', '--person', person.id, '--profile', 'visitor']);
    expect(request.state).toBe('approved');
    ids.push(request.id);
  }
  return ids;
}

describe('station batch run', () => {
  test('a CSV batch on one vpcd reader: the command follows it until both cards are produced', async () => {
    const ids = await twoRequests(dataDir);
    const csv = join(dir, 'batch.csv');
    writeFileSync(csv, `name,request\nAda Lovelace,${ids[0]}\nAda Hopper,${ids[1]}\n`);

    // A file with bad lines starts nothing: the core names every one.
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `request\n${ids[0]}\nnot an id\nno-such-request\n`);
    const refusedFile = await station(dataDir, ['batch', 'run', '--csv', bad, '--readers', VPCD_READER]);
    expect(refusedFile.code).toBe(2); // bad input (electron/cli/main.ts exit codes)
    expect(refusedFile.stderr).toContain('starts no batch: Line 3 of the batch file has no valid request number. Line 4: There is no card request no-such-request. [INVALID_INPUT]');

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

  test('the station is killed mid-card: opened again, it resumes the batch; the card in the reader continues its own job', async () => {
    const crashDir = join(dir, 'crash');
    const ids = await twoRequests(crashDir);
    await waitReaderFree(VPCD_READER);
    const kill = new AbortController();
    const running = station(crashDir, ['batch', 'run', '--requests', ids.join(','), '--readers', VPCD_READER], { timeoutMs: 300_000, kill: kill.signal });
    const first = VirtualPivCard.create();
    links.push(await insertCard(first, VPCD_READER, VPCD_PORT));
    // Killed once the card has its CHUID: keys are being generated or certified.
    const end = Date.now() + 120_000;
    while (!jobOfSerial(crashDir, first.serial)?.steps.some((st) => st.name === 'chuid' && st.status === 'done')) {
      if (Date.now() > end) throw new Error('the first card never got its CHUID');
      await sleep(50);
    }
    kill.abort();
    const killed = await running;
    expect(killed.code).not.toBe(0);
    expect(jobOfSerial(crashDir, first.serial)!.status).toBe('running'); // as the crash left it
    const batchId = readStore(crashDir, (store) => store.db.prepare('SELECT id FROM batches').pluck().get() as string);

    // The station opens again on the data dir, the card still in the reader; the officer follows the batch through the StationApi.
    const reopened = await openStationRoot({ dataDir: crashDir, training: true, readers: await PcscReaderProvider.open() });
    try {
      const core = reopened.core();
      const call = async <T,>(channel: string, input: unknown): Promise<T> => {
        const r = await core.dispatch(channel, input, 'desk');
        if (!r.ok) throw new Error(`${channel}: [${r.error.code}] ${r.error.message}`);
        return r.value as T;
      };
      await call('auth.login', CLI_OFFICER);
      const waitItem = async (index: number, state: string): Promise<BatchView> => {
        const until = Date.now() + 120_000;
        for (;;) {
          const view = await call<BatchView>('batches.get', { batchId });
          if (view.items[index]?.state === state) return view;
          if (Date.now() > until) throw new Error(`item ${index} not ${state}: ${JSON.stringify(view.items)}`);
          await sleep(250);
        }
      };
      const resumed = await waitItem(0, 'done');
      const jobId = resumed.items[0]!.jobId!;
      const interrupted = reopened.store.audit.list({ jobId }).find((e) => e.action === 'batch.item.interrupted');
      expect(interrupted?.details).toMatchObject({ batchId, requestId: ids[0] });
      expect(reopened.store.audit.list({ jobId }).some((e) => e.action === 'batch.item.run' && e.outcome === 'failed')).toBe(false);
      const detail = await call<ChannelOutput<'jobs.get'>>('jobs.get', { jobId });
      expect(detail).toMatchObject({ status: 'done', card: { serial: first.serial } });
      const valid = detail.certificates.filter((c) => c.status === 'valid');
      expect(valid.map((c) => c.slot).sort()).toEqual(['9A', '9C', '9D', '9E']);
      expect(await certificateSerialsByOpenSc(VPCD_READER)).toEqual(valid.map((c) => c.serial).sort());
      await links.at(-1)!.detach();
      await waitForCardAbsent(VPCD_READER);

      // The next blank card takes the second request; the batch ends with both produced, one job each.
      links.push(await insertCard(VirtualPivCard.create(), VPCD_READER, VPCD_PORT));
      const view = await waitItem(1, 'done');
      expect(view).toMatchObject({ status: 'done', done: 2, failed: 0, remaining: 0 });
      expect(await certificateSerialsByOpenSc(VPCD_READER)).toHaveLength(4);
      await links.at(-1)!.detach();
      await waitForCardAbsent(VPCD_READER);
      for (const id of ids) expect((await call<{ state: string }>('requests.get', { requestId: id })).state).toBe('produced');
      expect(await call<unknown[]>('jobs.list', {})).toHaveLength(2);
    } finally {
      await reopened.close();
    }
  });
});
