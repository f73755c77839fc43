/**
 * A one-shot face (the CLI) opens the station beside a running one (the
 * browser host, the Electron window) on the same data dir: its core runs
 * nothing behind the command (CorePorts.background false). It resumes no
 * batch — which would interrupt the running station's items — and touches no
 * card until readers are asked for; a station face's core does both at start.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { openStationRoot, type Station } from '../../../electron/boot/open-station.js';
import { batchRepository } from '../../../electron/core/issuance/batch-store.js';
import type { ReaderProvider } from '../../../electron/core/piv/transport.js';
import { TrainingReaderProvider } from '../../../native/virtual-card/training-reader.js';
import { VirtualPivCard } from '../../../native/virtual-card/card.js';
import { openTrainingStation, TEST_OFFICER, type TrainingStation } from '../../support/training-station.js';
import { ok } from '../../support/results.js';

let t: TrainingStation | undefined;
let other: Station | undefined;
afterEach(async () => {
  await other?.close();
  await t?.close();
  t = other = undefined;
});

/** A training reader with a blank card, counting sessions and watchers. */
function countingReader(): ReaderProvider & { connects: number; watchers: number } {
  const reader = new TrainingReaderProvider();
  reader.insert(VirtualPivCard.create());
  const counting = {
    connects: 0,
    watchers: 0,
    listReaders: () => reader.listReaders(),
    connect: (name: string) => {
      counting.connects++;
      return reader.connect(name);
    },
    watch: (onChange: Parameters<ReaderProvider['watch']>[0]) => {
      counting.watchers++;
      return reader.watch(onChange);
    },
    close: () => reader.close(),
  };
  return counting;
}

describe('the core of a one-shot face', () => {
  test('leaves the running station\'s batch items running and touches no card until readers are listed', async () => {
    t = await openTrainingStation();
    const officer = await t.login(); // the all-roles test officer
    const personId = t.addPerson({ affiliation: 'visitor' });
    const request = ok<{ id: string }>(await t.station.core().dispatch('requests.create', { personId, profile: 'visitor' }));
    // The running station's batch, one item in production.
    const batches = batchRepository(t.station.store.db);
    const batch = batches.create('all', officer.id, [request.id]);
    batches.updateItem(batch.id, request.id, { state: 'running' });

    const reader = countingReader();
    other = await openStationRoot({ dataDir: t.dataDir, training: true, readers: reader, background: false });
    const cli = other.core();
    ok(await cli.dispatch('auth.login', { username: TEST_OFFICER.username, password: TEST_OFFICER.password }, 'cli'));
    ok(await cli.dispatch('persons.search', { query: 'Dana' }, 'cli'));
    const listed = ok<{ items: { state: string }[] }[]>(await cli.dispatch('batches.list', {}, 'cli'));
    expect(listed[0]!.items[0]!.state).toBe('running');
    expect(batches.item(batch.id, request.id)!.state).toBe('running');
    expect(t.station.store.audit.list().filter((e) => e.action === 'batch.item.interrupted')).toEqual([]);
    expect({ connects: reader.connects, watchers: reader.watchers }).toEqual({ connects: 0, watchers: 0 });

    // Asked for the readers, it looks at them (and the card in them) like any face.
    ok(await cli.dispatch('readers.list', {}, 'cli'));
    expect(reader.watchers).toBe(1);
    expect(reader.connects).toBeGreaterThan(0);
  });

  test("a station face's core resumes the batches a stopped station left running at once: their running items are interrupted", async () => {
    t = await openTrainingStation();
    const officer = await t.login();
    const personId = t.addPerson({ affiliation: 'visitor' });
    const request = ok<{ id: string }>(await t.station.core().dispatch('requests.create', { personId, profile: 'visitor' }));
    const batches = batchRepository(t.station.store.db);
    const batch = batches.create('all', officer.id, [request.id]);
    batches.updateItem(batch.id, request.id, { state: 'running' });
    other = await openStationRoot({ dataDir: t.dataDir, training: true, readers: countingReader() });
    const changed = new Promise<unknown>((resolve) => other!.core().on('batch.changed', resolve));
    await changed;
    // The item was interrupted (failed, then it may be queued again and taken by the card in the reader).
    expect(t.station.store.audit.list().filter((e) => e.action === 'batch.item.interrupted')).toHaveLength(1);
  });
});
