/**
 * Mass production rules the core applies and the batch screen shows (issue 4
 * "Single and mass production"; issue 12, observation 2): which batches and
 * items are still open, which items an officer may cancel, when a batch may be
 * paused or resumed, and from how many cards a production rate means
 * something. The batch service (electron/core/issuance/batch-service.ts) and
 * its store decide with these; the screen only asks them, so a button is
 * offered exactly when the core would accept it.
 */
import type { BatchView } from './channels/batches.js';

export type BatchStatusName = BatchView['status'];
export type BatchItemStateName = BatchView['items'][number]['state'];

/** Batches that still hold requests: a request in one of their open items cannot go into another batch. */
export const OPEN_BATCH_STATUSES: readonly BatchStatusName[] = ['running', 'paused'];
/** Items not finished: waiting for a card, being produced, or failed and waiting for their card or a retry. */
export const OPEN_ITEM_STATES: readonly BatchItemStateName[] = ['queued', 'running', 'failed'];

/**
 * True when an officer may cancel an item in this state with a reason: one
 * waiting for a card leaves the queue, a failed one has its job cancelled. A
 * card being produced finishes or fails first; a produced card is revoked instead.
 */
export function isCancellableItem(state: BatchItemStateName): boolean {
  return state === 'queued' || state === 'failed';
}

/** True when a batch in this status may be paused: blank cards inserted meanwhile are left alone. */
export const mayPauseBatch = (status: BatchStatusName): boolean => status === 'running';
/** True when a batch in this status may be resumed: it takes blank cards again. */
export const mayResumeBatch = (status: BatchStatusName): boolean => status === 'paused';

/**
 * Cards a batch must have produced before its cards-per-hour figure is shown:
 * one card's time is the set-up, not a rate.
 */
export const RATE_MIN_CARDS = 2;

/**
 * The requests held by open items of open batches: the "New batch" form
 * leaves them out, as `batches.start` would refuse them (REQUEST_STATE).
 */
export function requestsInOpenBatches(batches: readonly Pick<BatchView, 'status' | 'items'>[]): Set<string> {
  const held = new Set<string>();
  for (const b of batches) {
    if (!OPEN_BATCH_STATUSES.includes(b.status)) continue;
    for (const item of b.items) if (OPEN_ITEM_STATES.includes(item.state)) held.add(item.requestId);
  }
  return held;
}
