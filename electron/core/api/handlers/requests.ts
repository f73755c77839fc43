/** StationApi handlers, card requests: create, decide, produce. */
import type { requestsChannels } from '../../../contract/channels/requests.js';
import { StationError } from '../../errors.js';
import { officerOf, type HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';

export function requestsHandlers({ requests, production, readerReady, jobs }: CoreServices): HandlerTable<keyof typeof requestsChannels> {
  return {
    'requests.create': async (input, { caller }) => requests.create(input, caller),
    'requests.list': async ({ state, personId }) => requests.list({ states: state, personId }),
    'requests.get': async ({ requestId }) => requests.show(requestId),
    'requests.approve': async ({ requestId }, { caller }) => requests.approve(requestId, caller),
    'requests.reject': async ({ requestId, reason }, { caller }) => requests.reject(requestId, reason, caller),
    'requests.produce': async ({ requestId, readerName, pin }, ctx) => {
      await readerReady(readerName);
      const { job, resumed } = requests.startProduction(requestId, readerName, pin, ctx.caller);
      if (resumed && jobs.isRunning(job.id)) throw new StationError('JOB_STATE', 'This job is already running.');
      jobs.launch(job.id, readerName, (claim) => production.retry(job.id, readerName, pin, jobs.listener, claim), officerOf(ctx).username);
      return { jobId: job.id };
    },
  };
}
