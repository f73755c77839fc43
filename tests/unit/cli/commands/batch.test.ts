/**
 * `station batch pause|resume BATCH` (issue 12, observation 2) through the
 * core's dispatch of a training station: the command pauses and resumes the
 * batch, and the core's refusal comes back as the command's error.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { batchCommand } from '../../../../electron/cli/commands/batch.js';
import type { BatchView } from '../../../../electron/contract/station-api.js';
import { batchNumberText } from '../../../../electron/contract/request-number.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';
import { contextOf } from './cli-context.js';

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('station batch pause|resume', () => {
  test('pauses and resumes a batch; pausing a paused batch is refused by the core', async () => {
    t = await openTrainingStation();
    await t.login();
    const core = t.station.core();
    // Visitor cards need no approval: a request from the IDPRS is approved at once.
    const requestId = t.station.requests.create({ personId: t.addPerson({ affiliation: 'visitor' }), profile: 'visitor' }, { kind: 'idprs' }).id;
    // A reader no card will ever be in: the batch waits.
    const started = await core.dispatch('batches.start', { requestIds: [requestId], readers: ['No Such Reader'] });
    if (!started.ok) throw new Error(started.error.message);
    const { batchId, number } = started.value as { batchId: string; number: number };
    const { ctx, results } = contextOf(t);

    // The officer names the batch by its short number (issue 12, observation 6), as the core's messages do.
    expect(await batchCommand(ctx, 'pause', [batchNumberText(number)], {})).toBe(0);
    expect((results.at(-1) as BatchView).status).toBe('paused');
    await expect(batchCommand(ctx, 'pause', [batchId], {})).rejects.toMatchObject({ code: 'JOB_STATE', message: `Batch ${batchNumberText(number)} is paused; only a running batch can be paused.` });
    expect(await batchCommand(ctx, 'resume', [batchId], {})).toBe(0);
    expect((results.at(-1) as BatchView).status).toBe('running');
    await expect(batchCommand(ctx, 'resume', [], {})).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'Usage: station batch resume BATCH' });
  });
});
