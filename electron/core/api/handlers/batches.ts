/** StationApi handlers, mass production: batches across readers. */
import type { batchesChannels } from '../../../contract/channels/batches.js';
import type { BatchActor } from '../../issuance/batch-service.js';
import { officerOf, type CallContext, type HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';

/** The officer of a batch call, as the batch service records them. */
function batchActor(ctx: CallContext): BatchActor {
  const o = officerOf(ctx);
  return { officerId: o.id, username: o.username, personId: o.personId };
}

export function batchesHandlers({ batches, openBatches, requests }: CoreServices): HandlerTable<keyof typeof batchesChannels> {
  return {
    'batches.start': async ({ requestIds, readers }, ctx) => {
      await openBatches();
      const batch = await batches.start(requestIds, readers, batchActor(ctx));
      return { batchId: batch.id, number: batch.number };
    },
    // Reading or cancelling needs no running batch service: a one-shot face must not resume (and so interrupt) the batches of a running station.
    'batches.list': async () => batches.list(),
    'batches.get': async ({ batchId }) => batches.get(batchId),
    'batches.cancelItem': async ({ batchId, requestId, reason }, ctx) => batches.cancelItem(batchId, requestId, reason, batchActor(ctx)),
    'batches.setPaused': async ({ batchId, action }, ctx) => batches.setPaused(batchId, action === 'pause', batchActor(ctx)),
    // The rule book's retry rows, as for jobs.retry: a retried card has a producer, who may not be its cardholder or approver.
    'batches.retryItem': async ({ batchId, requestId }, ctx) =>
      batches.retryItem(batchId, requestId, batchActor(ctx), (jobId) => requests.retryJob(jobId, ctx.caller, 'batches.retryItem')),
    'batches.parseCsv': async ({ csv }, ctx) => batches.checkCsv(csv, batchActor(ctx)),
  };
}
