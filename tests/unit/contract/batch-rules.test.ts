/**
 * The batch rules the core applies and the batch screen asks (issue 12,
 * observation 2): which requests open batches hold, which items may be
 * cancelled, when a batch may be paused or resumed.
 */
import { describe, expect, it } from 'vitest';
import { isCancellableItem, mayPauseBatch, mayResumeBatch, requestsInOpenBatches } from '../../../electron/contract/batch-rules.js';
import type { BatchView } from '../../../electron/contract/station-api.js';

type Item = BatchView['items'][number];
const item = (requestId: string, state: Item['state']): Item => ({ requestId, requestNumber: null, personName: '', state, readerName: null, jobId: null, failure: null });

describe('batch rules', () => {
  it('an open batch holds its waiting, running and failed items; finished items and finished batches hold nothing', () => {
    const held = requestsInOpenBatches([
      { status: 'running', items: [item('q', 'queued'), item('r', 'running'), item('f', 'failed'), item('d', 'done'), item('c', 'cancelled')] },
      { status: 'paused', items: [item('p', 'queued')] },
      { status: 'done', items: [item('old', 'failed')] },
    ]);
    expect([...held].sort()).toEqual(['f', 'p', 'q', 'r']);
  });

  it('only waiting and failed cards are cancelled; only a running batch pauses and only a paused one resumes', () => {
    expect((['queued', 'running', 'done', 'failed', 'cancelled'] as const).filter(isCancellableItem)).toEqual(['queued', 'failed']);
    expect((['running', 'paused', 'done', 'cancelled'] as const).filter(mayPauseBatch)).toEqual(['running']);
    expect((['running', 'paused', 'done', 'cancelled'] as const).filter(mayResumeBatch)).toEqual(['paused']);
  });
});
