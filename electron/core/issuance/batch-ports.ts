/**
 * The batch service's view of the station: card requests from the store, and
 * production jobs through the RequestService (the job is made on the card
 * object created at approval; the request follows its job, audited there)
 * and the ProductionService. The core passes `track` so batch jobs count as
 * busy readers and stream job events like any other production.
 */
import { StationError } from '../errors.js';
import type { StationStore } from '../store/store.js';
import type { RequestService } from '../workflow/requests.js';
import type { ProductionOutcome, ProductionService } from './production-service.js';
import type { JobListener } from './job-types.js';
import type { JobClaim } from './job-claims.js';
import type { BatchJobs, BatchRequests } from './batch-service.js';
import { parseRequestNumber } from '../../contract/request-number.js';

/** What the batch ports need. */
export interface BatchPortDeps {
  production: Pick<ProductionService, 'retry' | 'cancel'>;
  /**
   * The request side (RequestService): a batch job is made on the request's
   * card object (created at approval, generated PIN), and the request follows
   * its job (in production → produced / production failed / cancelled).
   */
  requests: Pick<RequestService, 'createProductionJob' | 'jobStarted' | 'jobSettled'>;
  /** Receives the job's progress events (the core streams them as job.event). */
  listener?: JobListener;
  /** Runs `work` as the core runs every production (reader busy, job events); defaults to running it. */
  track?: (jobId: string, readerName: string, work: (claim?: JobClaim) => Promise<ProductionOutcome>) => Promise<ProductionOutcome>;
}

/** Card requests as the batch sees them. */
export function batchRequests(store: StationStore): BatchRequests {
  return {
    get(reference) {
      const number = parseRequestNumber(reference);
      const r = number === null ? store.requests.get(reference) : store.requests.findByNumber(number);
      if (!r) return undefined;
      const person = store.persons.get(r.personId);
      return { id: r.id, number: r.number, personId: r.personId, personName: person ? `${person.givenName} ${person.surname}` : '', state: r.state, cardId: r.cardId };
    },
  };
}

/** Production jobs for batch items; the request follows its job. */
export function batchJobs(deps: BatchPortDeps): BatchJobs {
  return {
    createJob(requestId, readerName, producerId) {
      return deps.requests.createProductionJob(requestId, readerName, producerId);
    },
    async runJob(jobId, readerName) {
      deps.requests.jobStarted(jobId);
      // Under the claim `track` took (job-claims.ts), or the engine's own.
      const work = (claim?: JobClaim) => deps.production.retry(jobId, readerName, undefined, deps.listener, claim);
      let outcome: ProductionOutcome;
      try {
        outcome = await (deps.track ? deps.track(jobId, readerName, work) : work());
      } catch (e) {
        // Claimed elsewhere (a live lease, maybe a killed station's): an answer the batch may wait out, not a crash.
        if (e instanceof StationError && e.code === 'JOB_STATE') return { status: 'failed', failure: e.message, code: e.code };
        throw e;
      } finally {
        deps.requests.jobSettled(jobId);
      }
      return { status: outcome.job.status, failure: outcome.job.error?.message ?? null, code: outcome.job.error?.code ?? null };
    },
    async cancelJob(jobId, reason) {
      await deps.production.cancel(jobId, reason);
      deps.requests.jobSettled(jobId);
    },
  };
}
