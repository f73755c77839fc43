/**
 * Issue 4 acceptance, mass production: a batch of 8 approved requests across
 * the two vpcd readers of the real pcscd, with one card pulled mid-production.
 * The test plays the operator: whenever a reader is empty it inserts the next
 * blank card (or, once another card was produced meanwhile, puts the pulled
 * card back); it pulls the third card out of its reader once that card's CHUID
 * is written (key generation or certification under way); every card ends produced, and OpenSC (pkcs15-tool) lists on each
 * card exactly the four certificates the store holds as valid for it.
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
import { openStation, type Station } from '../../electron/boot/open-station.js';
import { BatchService, type BatchChange } from '../../electron/core/issuance/batch-service.js';
import { batchJobs, batchRequests } from '../../electron/core/issuance/batch-ports.js';
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
const OPERATOR_TICK_MS = 200;
const BATCH_DEADLINE_MS = 8 * 60_000;
/** Time for the whole test: the readers may first have to be freed by other test runs on this machine. */
const TEST_TIMEOUT_MS = 12 * 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A card the operator put in a reader. */
interface InReader {
  serial: number;
  card: VirtualPivCard;
  link: VpcdLink;
  verified: boolean;
  /** The operator pulls this card once its production has passed PULL_AFTER_STEP. */
  pullMe?: boolean;
}

let dir: string;
let station: Station;
let pcsc: PcscReaderProvider;
let service: BatchService;
/** Every card link this test started, stopped in afterAll even when the test timed out. */
const started: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-batch-it-'));
  pcsc = await PcscReaderProvider.open();
  station = await openStation({ dataDir: join(dir, 'station'), training: true, readers: pcsc });
});
afterAll(async () => {
  for (const s of started) await s.stop().catch(() => undefined);
  await service?.close();
  await station?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('mass production through pcscd on two vpcd readers', () => {
  test('8 requests, a card pulled mid-batch and put back: every card produced and listed by OpenSC', async () => {
    for (const r of READERS) await waitReaderFree(r.name);
    const { store } = station;
    const requestIds: string[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const p = store.persons.add({ givenName: 'Batch', surname: `Holder${i}`, employeeId: String(700100 + i), affiliation: 'visitor' });
      // Visitor cards need no approval: approved with their card object (card number, FASC-N, escrowed PUK) at once.
      requestIds.push(station.requests.create({ personId: p.id, profile: 'visitor' }, { kind: 'idprs' }).id);
    }
    const changes: BatchChange[] = [];
    service = new BatchService({
      store,
      readers: pcsc,
      requests: batchRequests(store),
      jobs: batchJobs({ production: station.production, requests: station.requests }),
      training: true,
      onChange: (c) => changes.push(c),
    });
    await service.open();
    const batch = await service.start(requestIds, READERS.map((r) => r.name), { officerId: null, username: 'prod.admin', personId: null });

    let inserted = 0;
    let pulledCard: VirtualPivCard | undefined;
    let pulledBack = false;
    let doneWhenPulled = 0;
    /** Serials of the cards OpenSC listed correctly. */
    const verified = new Set<number>();
    /** What the operator did, for the failure message. */
    const log: string[] = [];
    const slots = new Map<string, InReader | undefined>(READERS.map((r) => [r.name, undefined]));
    const itemOfSerial = (serial: number | undefined) => {
      if (serial === undefined) return undefined;
      return service.get(batch.id).items.find((i) => i.jobId && store.cards.get(store.jobs.get(i.jobId)!.cardId)?.chipSerial === serial);
    };

    const deadline = Date.now() + BATCH_DEADLINE_MS;
    try {
      while (service.get(batch.id).status !== 'done') {
        if (Date.now() > deadline) {
          const slotsNow = [...slots].map(([r, c]) => [r, c?.serial ?? 'empty']);
          const audit = store.audit.list().filter((e) => e.action.startsWith('batch.') || e.action === 'job.step.failed').map((e) => `${e.action} ${e.jobId ?? ''} ${JSON.stringify(e.details)}`);
          const items = service.get(batch.id).items.map((i) => [i.state, i.readerName, i.failure, i.jobId && store.cards.get(store.jobs.get(i.jobId)!.cardId)?.chipSerial]);
          throw new Error(`batch not done in time: ${JSON.stringify(items)} readers ${JSON.stringify(slotsNow)}\noperator: ${log.join('; ')}\naudit:\n${audit.join('\n')}`);
        }
        for (const reader of READERS) {
          const current = slots.get(reader.name);
          if (current) {
            const item = itemOfSerial(current.serial);
            if (current.pullMe && item?.state === 'running' && store.jobs.steps(item.jobId!).some((st) => st.name === PULL_AFTER_STEP && st.status === 'done')) {
              // The operator pulls the card in the middle of its production.
              await current.link!.detach();
              await waitForCardAbsent(reader.name);
              const end = Date.now() + 60_000;
              while (itemOfSerial(current.serial)?.state !== 'failed') {
                if (Date.now() > end) throw new Error('the pulled card did not fail its item');
                await sleep(100);
              }
              expect(itemOfSerial(current.serial)!.failure).toMatch(/^The card was removed while /);
              pulledCard = current.card;
              doneWhenPulled = service.get(batch.id).done;
              log.push(`pulled ${current.serial} from ${reader.name}`);
              slots.set(reader.name, undefined);
              continue;
            }
            if (item?.state === 'done') {
              // Verified by OpenSC while the card is still in the reader.
              const valid = store.certificates.listByCard(store.jobs.get(item.jobId!)!.cardId).filter((c) => c.status === 'valid');
              expect(valid.map((c) => c.slot).sort()).toEqual(['9A', '9C', '9D', '9E']);
              const onCard = await certificateSerialsByOpenSc(reader.name);
              expect(onCard).toEqual(valid.map((c) => c.serial).sort());
              current.verified = true;
              log.push(`verified ${current.serial} in ${reader.name}`);
              verified.add(current.serial!);
              await current.link!.detach();
              await waitForCardAbsent(reader.name);
              slots.set(reader.name, undefined);
            }
            continue;
          }
          // The reader is empty: the pulled card goes back once another card was produced meanwhile.
          if (pulledCard && !pulledBack && service.get(batch.id).done > doneWhenPulled) {
            const link = await insertCard(pulledCard, reader.name, reader.port);
            started.push({ stop: () => link.detach() });
            slots.set(reader.name, { serial: pulledCard.serial, card: pulledCard, link, verified: false });
            pulledBack = true;
            log.push(`put back ${pulledCard.serial} in ${reader.name}`);
            continue;
          }
          if (inserted >= REQUESTS) continue;
          inserted++;
          const card = VirtualPivCard.create();
          const link = await insertCard(card, reader.name, reader.port);
          started.push({ stop: () => link.detach() });
          slots.set(reader.name, { serial: card.serial, card, link, verified: false, pullMe: inserted === PULLED_CARD });
          log.push(`inserted ${card.serial} in ${reader.name}`);
        }
        await sleep(OPERATOR_TICK_MS);
      }
      // The last cards: verified and removed like the others.
      for (const reader of READERS) {
        const current = slots.get(reader.name);
        if (!current) continue;
        const item = itemOfSerial(current.serial);
        expect(item?.state).toBe('done');
        const valid = store.certificates.listByCard(store.jobs.get(item!.jobId!)!.cardId).filter((c) => c.status === 'valid');
        const onCard = await certificateSerialsByOpenSc(reader.name);
        expect(onCard).toEqual(valid.map((c) => c.serial).sort());
        expect(onCard).toHaveLength(4);
        verified.add(current.serial!);
      }
    } finally {
      for (const reader of READERS) {
        const current = slots.get(reader.name);
        if (current?.link) await current.link.detach();
        await waitForCardAbsent(reader.name).catch(() => undefined);
      }
    }

    const view = service.get(batch.id);
    expect(view).toMatchObject({ status: 'done', total: REQUESTS, done: REQUESTS, failed: 0, remaining: 0 });
    expect(pulledBack).toBe(true);
    expect(verified.size).toBe(REQUESTS);
    expect(verified.has(pulledCard!.serial)).toBe(true);
    // Both readers produced cards.
    expect(new Set(view.items.map((i) => i.readerName))).toEqual(new Set(READERS.map((r) => r.name)));
    // Every request is produced on its own card, and the pulled card's job was resumed, not replaced.
    for (const id of requestIds) expect(store.requests.get(id)!.state).toBe('produced');
    const cards = view.items.map((i) => store.jobs.get(i.jobId!)!.cardId);
    expect(cards).toEqual(requestIds.map((id) => store.requests.get(id)!.cardId));
    expect(new Set(cards).size).toBe(REQUESTS);
    expect(store.jobs.list()).toHaveLength(REQUESTS);
    expect(changes.some((c) => c.failed === 1)).toBe(true);
    expect(view.cardsPerHour).toBeGreaterThan(0);
  }, TEST_TIMEOUT_MS);
});
