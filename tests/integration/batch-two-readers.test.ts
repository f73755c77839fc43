/**
 * Issue 4 acceptance, mass production, through the StationApi as the faces
 * use it: officers log in on their own connection ids, the registration
 * officer registers 8 visitors and requests their cards (approved at once),
 * and the production administrator starts a batch with `batches.start` on
 * the two vpcd readers of the real pcscd, follows it with `batches.get`,
 * `jobs.get` and the `batch.changed` event, and never touches the store.
 *
 * The test plays the operator: whenever a reader is empty it inserts the next
 * blank card; it pulls the third card out of its reader once that card's
 * CHUID is written (key generation or certification under way). Once another
 * card was produced meanwhile, the station is restarted (closed, the pulled
 * card put back while it is down, opened again on the same data dir): the
 * batch resumes, the pulled card continues its own job. Every card ends
 * produced, and OpenSC (pkcs15-tool) lists on each card exactly the four
 * certificates the station holds as valid for it.
 *
 * Readers: PCSC_TEST_READER / PCSC_TEST_VPCD_PORT ("Virtual PCD 00 00", 35963)
 * and PCSC_TEST_READER_2 / PCSC_TEST_VPCD_PORT_2 ("Virtual PCD 00 01", 35964).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualPivCard } from '../../native/virtual-card/card.js';
import type { VpcdLink } from '../../native/vpcd/link.js';
import { PcscReaderProvider } from '../../native/pcsc/index.js';
import { openStationRoot, type Station } from '../../electron/boot/open-station.js';
import type { StationCore } from '../../electron/core/dispatch.js';
import type { BatchView, Channel, ChannelOutput, EventPayload, JobDetail } from '../../electron/contract/station-api.js';
import { waitForCardAbsent, VPCD_PORT, VPCD_READER } from '../support/vpcd-card.js';
import { certificateSerialsByOpenSc, insertCard, waitReaderFree } from './batch-operator.js';

const READERS = [
  { name: VPCD_READER, port: VPCD_PORT },
  { name: process.env.PCSC_TEST_READER_2 ?? 'Virtual PCD 00 01', port: Number(process.env.PCSC_TEST_VPCD_PORT_2 ?? 35964) },
];
const REQUESTS = 8;
/** The third card inserted is pulled by the operator once its CHUID is written (during key generation or certification). */
const PULLED_CARD = 3;
const PULL_AFTER_STEP = 'chuid';
/** Per GENERATE on the card to pull: a real card's RSA-2048 generation takes seconds (bench/scale.ts cites the figures). */
const PULLED_CARD_KEYGEN_MS = 4000;
const OPERATOR_TICK_MS = 200;
const BATCH_DEADLINE_MS = 8 * 60_000;
/** Time for the whole test: the readers may first have to be freed by other test runs on this machine. */
const TEST_TIMEOUT_MS = 12 * 60_000;
const SLOTS = ['9A', '9C', '9D', '9E'];

/** Officers and the connection ids their faces use (one WebSocket or window each). */
const PASSWORD = 'batch acceptance officer password';
const ADMIN = { username: 'chief', connection: 'admin-desk' };
const REGISTRAR = { username: 'registrar', connection: 'registration-desk' };
const PRODUCER = { username: 'prod.admin', connection: 'production-desk' };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A card the operator put in a reader. */
interface InReader {
  card: VirtualPivCard;
  link: VpcdLink;
  /** The operator pulls this card once its production has passed PULL_AFTER_STEP. */
  pullMe?: boolean;
}

let dir: string;
let dataDir: string;
let station: Station;
let core: StationCore;
/** Every batch.changed event, from the first core and the one after the restart. */
const changes: EventPayload<'batch.changed'>[] = [];
/** Every card link this test started, stopped in afterAll even when the test timed out. */
const started: { stop(): Promise<void> }[] = [];

/** One StationApi call on a connection; a refusal fails the test with the core's sentence. */
async function call<C extends Channel>(channel: C, input: unknown, connection: string): Promise<ChannelOutput<C>> {
  const r = await core.dispatch(channel, input, connection);
  if (!r.ok) throw new Error(`${channel} refused: [${r.error.code}] ${r.error.message}`);
  return r.value as ChannelOutput<C>;
}

/** Opens the station on the data dir with a fresh PC/SC provider; the production administrator logs in on its connection. */
async function openStationCore(firstRun: boolean): Promise<void> {
  station = await openStationRoot({ dataDir, training: true, readers: await PcscReaderProvider.open() });
  core = station.core();
  core.on('batch.changed', (c) => changes.push(c));
  if (firstRun) {
    await call('auth.firstRunAdmin', { username: ADMIN.username, displayName: 'Chief', password: PASSWORD }, ADMIN.connection);
    await call('officers.add', { username: REGISTRAR.username, displayName: 'Registrar', password: PASSWORD, roles: ['registration'] }, ADMIN.connection);
    await call('officers.add', { username: PRODUCER.username, displayName: 'Production Admin', password: PASSWORD, roles: ['production'] }, ADMIN.connection);
    await call('auth.login', { username: REGISTRAR.username, password: PASSWORD }, REGISTRAR.connection);
  }
  await call('auth.login', { username: PRODUCER.username, password: PASSWORD }, PRODUCER.connection);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-batch-it-'));
  dataDir = join(dir, 'station');
  await openStationCore(true);
});
afterAll(async () => {
  for (const s of started) await s.stop().catch(() => undefined);
  await station?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('mass production through the StationApi and pcscd on two vpcd readers', () => {
  test('8 requests, a card pulled mid-batch, a station restart: every card produced and listed by OpenSC', async () => {
    for (const r of READERS) await waitReaderFree(r.name);
    const requestIds: string[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const p = await call('persons.add', { givenName: 'Batch', surname: `Holder${i}`, employeeId: String(700100 + i), affiliation: 'visitor' }, REGISTRAR.connection);
      // Visitor cards need no approval: approved with their card object (card number, FASC-N, escrowed PUK) at once.
      const request = await call('requests.create', { personId: p.id, profile: 'visitor' }, REGISTRAR.connection);
      expect(request.state).toBe('approved');
      requestIds.push(request.id);
    }
    const { batchId } = await call('batches.start', { requestIds, readers: READERS.map((r) => r.name) }, PRODUCER.connection);
    const batch = () => call('batches.get', { batchId }, PRODUCER.connection);
    const job = (jobId: string) => call('jobs.get', { jobId }, PRODUCER.connection);

    /** Chip serial of each job's card, once its identify step has read it. */
    const serialOfJob = new Map<string, number>();
    /** The batch item producing the card with this serial, or undefined while no job has identified it. */
    const itemOfCard = async (view: BatchView, serial: number) => {
      for (const item of view.items) {
        if (!item.jobId) continue;
        if (!serialOfJob.has(item.jobId)) {
          const s = (await job(item.jobId)).card?.serial;
          if (s != null) serialOfJob.set(item.jobId, s);
        }
        if (serialOfJob.get(item.jobId) === serial) return item;
      }
      return undefined;
    };
    /** OpenSC lists exactly the station's four valid certificates of a produced card, while it is still in the reader. */
    const verifiedByOpenSc = new Set<number>();
    const verifyWithOpenSc = async (readerName: string, detail: JobDetail) => {
      const valid = detail.certificates.filter((c) => c.status === 'valid');
      expect(valid.map((c) => c.slot).sort()).toEqual(SLOTS);
      expect(await certificateSerialsByOpenSc(readerName)).toEqual(valid.map((c) => c.serial).sort());
      verifiedByOpenSc.add(detail.card!.serial!);
    };

    let inserted = 0;
    let pulledCard: VirtualPivCard | undefined;
    let doneWhenPulled = 0;
    let restarted = false;
    /** What the operator did, for the failure message. */
    const log: string[] = [];
    const slots = new Map<string, InReader | undefined>(READERS.map((r) => [r.name, undefined]));

    /**
     * The station stops (a graceful close waits for the job in the other
     * reader), the operator puts the pulled card back in the empty reader
     * while it is down, and the station opens again: the production
     * administrator logs in again and the batch goes on.
     */
    const restartWithPulledCardBack = async (reader: (typeof READERS)[number]) => {
      await station.close();
      const link = await insertCard(pulledCard!, reader.name, reader.port);
      started.push({ stop: () => link.detach() });
      slots.set(reader.name, { card: pulledCard!, link });
      log.push(`restart; put back ${pulledCard!.serial} in ${reader.name}`);
      await openStationCore(false);
      restarted = true;
    };

    const deadline = Date.now() + BATCH_DEADLINE_MS;
    try {
      for (let view = await batch(); view.status !== 'done'; view = await batch()) {
        if (Date.now() > deadline) {
          const slotsNow = [...slots].map(([r, c]) => [r, c?.card.serial ?? 'empty']);
          const items = view.items.map((i) => [i.state, i.readerName, i.failure, i.jobId && serialOfJob.get(i.jobId)]);
          throw new Error(`batch not done in time: ${JSON.stringify(items)} readers ${JSON.stringify(slotsNow)}\noperator: ${log.join('; ')}`);
        }
        for (const reader of READERS) {
          const current = slots.get(reader.name);
          if (current) {
            const item = await itemOfCard(view, current.card.serial);
            const detail = item?.jobId ? await job(item.jobId) : undefined;
            if (current.pullMe && item?.state === 'running' && detail?.steps.some((st) => st.name === PULL_AFTER_STEP && st.status === 'done')) {
              // The operator pulls the card in the middle of its production.
              await current.link.detach();
              await waitForCardAbsent(reader.name);
              const end = Date.now() + 60_000;
              let failed = await itemOfCard(await batch(), current.card.serial);
              while (failed?.state !== 'failed') {
                if (Date.now() > end) throw new Error('the pulled card did not fail its item');
                await sleep(100);
                failed = await itemOfCard(await batch(), current.card.serial);
              }
              expect(failed.failure).toMatch(/^The card was removed while /);
              pulledCard = current.card;
              doneWhenPulled = (await batch()).done;
              log.push(`pulled ${current.card.serial} from ${reader.name}`);
              slots.set(reader.name, undefined);
            } else if (item?.state === 'done') {
              await verifyWithOpenSc(reader.name, detail!);
              log.push(`verified ${current.card.serial} in ${reader.name}`);
              await current.link.detach();
              await waitForCardAbsent(reader.name);
              slots.set(reader.name, undefined);
            }
            continue;
          }
          // The reader is empty: once another card was produced after the pull, the restart with the pulled card back.
          if (pulledCard && !restarted && (await batch()).done > doneWhenPulled) {
            await restartWithPulledCardBack(reader);
            continue;
          }
          if (inserted >= REQUESTS) continue;
          inserted++;
          // The card to pull generates its keys as slowly as a real card (seconds, not the
          // virtual card's milliseconds): the operator sees it mid-production and pulls it there.
          const card = VirtualPivCard.create(inserted === PULLED_CARD ? { faults: { keygenDelayMs: PULLED_CARD_KEYGEN_MS } } : {});
          const link = await insertCard(card, reader.name, reader.port);
          started.push({ stop: () => link.detach() });
          slots.set(reader.name, { card, link, pullMe: inserted === PULLED_CARD });
          log.push(`inserted ${card.serial} in ${reader.name}`);
        }
        await sleep(OPERATOR_TICK_MS);
      }
      // The last cards: verified by OpenSC like the others.
      const view = await batch();
      for (const reader of READERS) {
        const current = slots.get(reader.name);
        if (!current) continue;
        const item = await itemOfCard(view, current.card.serial);
        expect(item?.state).toBe('done');
        await verifyWithOpenSc(reader.name, await job(item!.jobId!));
      }
    } finally {
      for (const reader of READERS) {
        await slots.get(reader.name)?.link.detach();
        await waitForCardAbsent(reader.name).catch(() => undefined);
      }
    }

    const view = await batch();
    expect(view).toMatchObject({ status: 'done', total: REQUESTS, done: REQUESTS, failed: 0, remaining: 0 });
    expect(view.cardsPerHour).toBeGreaterThan(0);
    expect(restarted).toBe(true);
    expect(verifiedByOpenSc.size).toBe(REQUESTS);
    expect(verifiedByOpenSc.has(pulledCard!.serial)).toBe(true);
    // Both readers produced cards.
    expect(new Set(view.items.map((i) => i.readerName))).toEqual(new Set(READERS.map((r) => r.name)));
    // Every request is produced on its own card, and the pulled card's job was resumed (after the restart), not replaced.
    const cardIds: string[] = [];
    for (const item of view.items) {
      const request = await call('requests.get', { requestId: item.requestId }, PRODUCER.connection);
      expect(request.state).toBe('produced');
      expect((await job(item.jobId!)).card?.id).toBe(request.cardId);
      cardIds.push(request.cardId!);
    }
    expect(view.items.map((i) => i.requestId)).toEqual(requestIds);
    expect(new Set(cardIds).size).toBe(REQUESTS);
    expect(await call('jobs.list', {}, PRODUCER.connection)).toHaveLength(REQUESTS);
    // The batch.changed events told the faces about the failed card and the end.
    expect(changes.some((c) => c.batchId === batchId && c.failed === 1)).toBe(true);
    expect(changes.at(-1)).toEqual({ batchId, done: REQUESTS, failed: 0, remaining: 0 });
  }, TEST_TIMEOUT_MS);
});
