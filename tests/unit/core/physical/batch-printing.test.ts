/**
 * Mass production with printing (issue 11): each card of a batch is printed with its encoding, in
 * the batch's order; a print that fails mid-batch is retried for that card only (batches.retryItem,
 * with the card already gone from the reader), and the batch shows each card's print status.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../electron/core/config/station-config.js';
import type { BatchView, CardRequestView } from '../../../../electron/contract/station-api.js';
import type { StationCore } from '../../../../electron/core/dispatch.js';
import { VirtualPivCard } from '../../../../native/virtual-card/card.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';
import { MemorySpooler } from '../../../support/memory-spooler.js';
import { syntheticPhoto } from '../../../support/portrait-images.js';
import { ok } from '../../../support/results.js';

const QUEUE = 'PIV-Test-Printer';
const FRAME = { x: 0.21875, y: 0, width: 0.5625, height: 1 };

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** The batch once `pred` holds, woken by the core's batch.changed events (no polling). */
function batchWhen(core: StationCore, batchId: string, pred: (b: BatchView) => boolean): Promise<BatchView> {
  return new Promise((resolve, reject) => {
    let off = () => {};
    const look = async () => {
      const r = await core.dispatch('batches.get', { batchId });
      if (!r.ok) return reject(new Error(r.error.message));
      if (pred(r.value as BatchView)) {
        off();
        resolve(r.value as BatchView);
      }
    };
    off = core.on('batch.changed', (e) => {
      if (e.batchId === batchId) void look();
    });
    void look();
  });
}

describe('a batch that prints', () => {
  it('prints and encodes four cards in order; a print failing mid-batch is retried for that card only', async () => {
    const spooler = new MemorySpooler();
    const profiles = DEFAULT_CONFIG.profiles.map((p) => ({ ...p, approvalRequired: false, printing: 'after-encoding', biometrics: ['facial'] }));
    // The officer who requests the cards starts the batch too: the agency setting that allows it.
    t = await openTrainingStation({}, { config: { profiles, cardPrinter: { queue: QUEUE }, separationOfDuties: { producerDiffersFromRequester: false } }, spooler });
    const ts = t;
    ts.reader.remove();
    await ts.login();
    const core = ts.station.core();
    const image = Buffer.from(await syntheticPhoto({ width: 640, height: 480 })).toString('base64');
    const requestIds: string[] = [];
    for (const name of ['One', 'Two', 'Three', 'Four']) {
      const personId = ts.addPerson({ surname: name });
      ok(await core.dispatch('persons.setPhoto', { personId, image, source: 'camera', crop: FRAME }));
      requestIds.push(ok<CardRequestView>(await core.dispatch('requests.create', { personId, profile: 'employee' })).id);
    }
    const { batchId } = ok<{ batchId: string }>(await core.dispatch('batches.start', { requestIds, readers: 'all' }));
    const itemOf = (b: BatchView, i: number) => b.items[i]!;

    // Card 1 prints.
    ts.reader.insert(VirtualPivCard.create());
    let view = await batchWhen(core, batchId, (b) => itemOf(b, 0).state === 'done');
    expect(itemOf(view, 0).print).toBe('printed');
    ts.reader.remove();

    // Card 2: the printer runs out of cards; the chip is made, only the print fails.
    spooler.stop(QUEUE, 'out of cards');
    ts.reader.insert(VirtualPivCard.create());
    view = await batchWhen(core, batchId, (b) => itemOf(b, 1).state === 'failed');
    expect(itemOf(view, 1)).toMatchObject({ print: 'failed', failure: expect.stringContaining('out of cards') });
    ts.reader.remove();

    // Loaded again: card 2 is retried alone, without its card in the reader.
    spooler.start(QUEUE);
    ok(await core.dispatch('batches.retryItem', { batchId, requestId: requestIds[1] }));
    view = await batchWhen(core, batchId, (b) => itemOf(b, 1).state === 'done');
    expect(itemOf(view, 1).print).toBe('printed');

    // Cards 3 and 4.
    for (const i of [2, 3]) {
      ts.reader.insert(VirtualPivCard.create());
      await batchWhen(core, batchId, (b) => itemOf(b, i).state === 'done');
      ts.reader.remove();
    }
    view = await batchWhen(core, batchId, (b) => b.status === 'done');
    expect(view.items.map((i) => [i.state, i.print])).toEqual([
      ['done', 'printed'],
      ['done', 'printed'],
      ['done', 'printed'],
      ['done', 'printed'],
    ]);
    // Printed in the batch's order, each card once.
    expect(spooler.printed(QUEUE).map((j) => j.title)).toEqual(view.items.map((i) => `PIV card ${i.jobId}`));
    expect(ts.station.store.audit.list().filter((e) => e.action === 'batch.item.retried')).toHaveLength(1);
  });
});
