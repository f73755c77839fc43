/**
 * The batch service's view of the station: card requests from the store, and
 * production jobs through the ProductionService, with each request following
 * its card (in production → produced / production failed / cancelled) and
 * every transition audited. The core passes `track` so batch jobs count as
 * busy readers and stream job events like any other production.
 */
import { StationError } from '../errors.js';
import type { StationStore } from '../store/store.js';
import type { JobRecord } from '../store/records.js';
import type { CardRequest, RequestState } from '../workflow/types.js';
import type { ProductionOutcome, ProductionService } from './production-service.js';
import type { BatchJobs, BatchRequests } from './batch-service.js';

/** What the batch ports need. */
export interface BatchPortDeps {
  store: StationStore;
  production: Pick<ProductionService, 'retry' | 'cancel'>;
  /**
   * Creates the production job on the request's card object (created at
   * approval), with a generated PIN, for `readerName`.
   * @throws StationError REQUEST_STATE, NOT_FOUND_RECORD
   */
  createJobForRequest(request: CardRequest, readerName: string): JobRecord;
  /** Runs `work` as the core runs every production (reader busy, job events); defaults to running it. */
  track?: (jobId: string, readerName: string, work: () => Promise<ProductionOutcome>) => Promise<ProductionOutcome>;
  /** Called after a request changed state (the core emits request.changed). */
  onRequestChanged?: (requestId: string, state: RequestState) => void;
}

/** Card requests as the batch sees them. */
export function batchRequests(store: StationStore): BatchRequests {
  return {
    get(requestId) {
      const r = store.requests.get(requestId);
      if (!r) return undefined;
      const person = store.persons.get(r.personId);
      return { id: r.id, personId: r.personId, personName: person ? `${person.givenName} ${person.surname}` : '', state: r.state, cardId: r.cardId };
    },
  };
}

/** Production jobs for batch items; the request follows its job. */
export function batchJobs(deps: BatchPortDeps): BatchJobs {
  const { store } = deps;
  const follow = (jobId: string, state: RequestState, action: string) => {
    const job = store.jobs.get(jobId);
    const request = job ? store.requests.findByCard(job.cardId) : undefined;
    if (!request || request.state === state) return;
    store.requests.update(request.id, { state });
    store.audit.append({ actor: 'station', action, outcome: 'ok', personId: request.personId, cardId: request.cardId, jobId, details: { requestId: request.id, state } });
    deps.onRequestChanged?.(request.id, state);
  };
  return {
    createJob(requestId, readerName) {
      const request = store.requests.get(requestId);
      if (!request) throw new StationError('NOT_FOUND_RECORD', `There is no card request ${requestId}.`, { requestId });
      const job = deps.createJobForRequest(request, readerName);
      follow(job.id, 'in_production', 'request.in_production');
      return job.id;
    },
    async runJob(jobId, readerName) {
      follow(jobId, 'in_production', 'request.in_production');
      const work = () => deps.production.retry(jobId, readerName, undefined);
      const outcome = await (deps.track ? deps.track(jobId, readerName, work) : work());
      const job = outcome.job;
      follow(jobId, job.status === 'done' ? 'produced' : 'production_failed', job.status === 'done' ? 'request.produced' : 'request.production_failed');
      return { status: job.status, failure: job.error?.message ?? null };
    },
    async cancelJob(jobId, reason) {
      await deps.production.cancel(jobId, reason);
      follow(jobId, 'cancelled', 'request.cancelled');
    },
  };
}
