/**
 * Production jobs started through the StationApi run in the background: the
 * call returns the job id at once, `job.event`s report progress, and the job's
 * reader is busy until it settles. A finished job's one-time secrets (PUK,
 * generated PIN) wait here, in memory only, for the officer whose call ran it.
 * Which jobs run is not kept here: the job claims of the data dir
 * (issuance/job-claims.ts) are the one registry, across processes.
 */
import type { EventPayload } from '../../contract/station-api.js';
import { StationError, toStationError } from '../errors.js';
import type { JobEvent } from '../issuance/job-types.js';
import type { ProductionOutcome } from '../issuance/production-service.js';
import type { JobClaim, JobClaims } from '../issuance/job-claims.js';
import type { ReaderWatch } from './reader-watch.js';

/** What the job runner needs. */
export interface JobRunnerDeps {
  /** The reader a job runs in is busy until it settles. */
  readers: Pick<ReaderWatch, 'claim' | 'release' | 'refreshIfWatched'>;
  /** The running jobs of the data dir (ProductionService.claims). */
  claims: JobClaims;
  /** Tells the card request its job settled (the request follows its job). */
  jobSettled(jobId: string): void;
  /** Receives every job event, in order. */
  emit(payload: EventPayload<'job.event'>): void;
}

/** How a launched job ended: its outcome, or the error that stopped it. */
export interface SettledJob {
  outcome?: ProductionOutcome;
  error?: StationError;
}

/** Background jobs, their events and their one-time secrets; see the module comment. */
export class JobRunner {
  /**
   * One-time secrets of finished jobs, held until the production screen takes
   * them, bound to the officer whose call ran the job (undefined: a batch run,
   * any production officer may take them).
   */
  private readonly oneTimeSecrets = new Map<string, { puk?: string; pin?: string; owner?: string }>();
  /**
   * A job's ending event (finished/failed) is held back until the job has
   * fully settled (session closed, reader free), so a client reacting to it
   * (Retry, takeSecrets) never finds the job still running.
   */
  private readonly heldEndings = new Map<string, EventPayload<'job.event'>>();

  constructor(private readonly deps: JobRunnerDeps) {}

  /** The engine's listener: job events in the contract's shape, endings held until the job settled. */
  readonly listener = (e: JobEvent): void => {
    const { type, jobId } = e;
    const payload: EventPayload<'job.event'> = {
      type,
      jobId,
      step: 'step' in e ? e.step : undefined,
      index: 'index' in e ? e.index : undefined,
      total: 'total' in e ? e.total : undefined,
      ms: 'ms' in e ? e.ms : undefined,
      apdus: 'apdus' in e ? e.apdus : undefined,
      sentence: 'sentence' in e ? e.sentence : undefined,
    };
    if ((type === 'job.finished' || type === 'job.failed') && this.deps.claims.heldHere(jobId)) this.heldEndings.set(jobId, payload);
    else this.deps.emit(payload);
  };

  /** True while the job runs, here or in another process on the data dir. */
  isRunning(jobId: string): boolean {
    return this.deps.claims.isRunning(jobId);
  }

  /**
   * Runs a production in the background. The job is claimed at once, before
   * any event can arrive, and released when the run has settled.
   * @param work  the run, under the claim
   * @param owner the username of the officer whose call runs the job: only they may take its one-time secrets
   * @returns when the job has settled: its outcome, or the error that stopped it (never rejects)
   * @throws StationError JOB_STATE when the job already runs (here or in another process on the data dir)
   */
  launch(jobId: string, readerName: string, work: (claim: JobClaim) => Promise<ProductionOutcome>, owner?: string): Promise<SettledJob> {
    const claim = this.deps.claims.claim(jobId);
    // A card probe still talking to this reader would make the job's exclusive connect fail: let it finish first.
    const probing = this.deps.readers.claim(readerName);
    const settled: SettledJob = {};
    const p = probing
      .then(() => work(claim))
      .then((outcome) => {
        settled.outcome = outcome;
        if (outcome.oneTimeSecrets && (outcome.oneTimeSecrets.puk || outcome.oneTimeSecrets.pin)) this.oneTimeSecrets.set(jobId, { ...outcome.oneTimeSecrets, owner });
      })
      .catch((e) => {
        settled.error = toStationError(e);
        this.heldEndings.set(jobId, { type: 'job.failed', jobId, sentence: settled.error.message });
      })
      .finally(() => {
        this.deps.readers.release(readerName);
        claim.release();
        try {
          this.deps.jobSettled(jobId);
        } catch {
          // the request follows its job at the next settle; the job's own record is authoritative
        }
        const ending = this.heldEndings.get(jobId);
        this.heldEndings.delete(jobId);
        if (ending) this.deps.emit(ending);
        void this.deps.readers.refreshIfWatched().catch(() => {});
      });
    return p.then(() => settled);
  }

  /**
   * Takes a finished job's one-time secrets, once. The job's record reads
   * 'done' before its background run settles and hands them over: waits for it,
   * or the one chance is lost.
   * @param username the officer asking: another officer's screen must not take (and so destroy) them
   * @param keep true: the secrets stay held for the same officer (the result screen
   *   shows them until the officer confirms they are recorded, also after a reload)
   * @returns the secrets, or {} when there are none (taken already, or none made)
   * @throws StationError FORBIDDEN (rule secretsOwner) when another officer ran the job
   */
  async takeSecrets(jobId: string, username: string, keep = false): Promise<{ puk?: string; pin?: string }> {
    await this.deps.claims.released(jobId);
    const held = this.oneTimeSecrets.get(jobId);
    if (!held) return {};
    if (held.owner !== undefined && held.owner !== username) {
      throw new StationError('FORBIDDEN', 'Only the officer who ran this production can see its one-time PIN and PUK.', { rule: 'secretsOwner' });
    }
    // Kept, they are bound to this officer even when nobody owned them before.
    if (keep) this.oneTimeSecrets.set(jobId, { ...held, owner: username });
    else this.oneTimeSecrets.delete(jobId);
    return { puk: held.puk, pin: held.pin };
  }

  /**
   * Takes a finished job's generated PIN alone, once (for its PIN mailer); the
   * PUK stays for {@link takeSecrets}. Waits for the job to settle, as takeSecrets.
   * @returns the PIN, or undefined when none waits (typed by the cardholder, or taken)
   * @throws StationError FORBIDDEN (rule secretsOwner) when another officer ran the job
   */
  async takePin(jobId: string, username: string): Promise<string | undefined> {
    await this.deps.claims.released(jobId);
    const held = this.oneTimeSecrets.get(jobId);
    if (!held?.pin) return undefined;
    if (held.owner !== undefined && held.owner !== username) {
      throw new StationError('FORBIDDEN', 'Only the officer who ran this production can print its PIN mailer.', { rule: 'secretsOwner' });
    }
    const { pin } = held;
    if (held.puk) this.oneTimeSecrets.set(jobId, { puk: held.puk, owner: held.owner });
    else this.oneTimeSecrets.delete(jobId);
    return pin;
  }

  /** True while a job's one-time secrets (PUK, generated PIN) wait to be taken; says nothing of their values. */
  hasSecrets(jobId: string): boolean {
    return this.oneTimeSecrets.has(jobId);
  }

  /** Holds the one-time secrets of a job that ended outside a launched run (its print cancelled), for `owner`. */
  hold(jobId: string, secrets: { puk?: string; pin?: string }, owner?: string): void {
    if (secrets.puk || secrets.pin) this.oneTimeSecrets.set(jobId, { ...secrets, owner });
  }

  /** True while some job runs in this process. */
  hasRunning(): boolean {
    return this.deps.claims.holdsAny();
  }

  /** Settles when no job runs any more in this process (jobs launched meanwhile included). */
  async idle(): Promise<void> {
    while (this.deps.claims.holdsAny()) await this.deps.claims.allReleased();
  }

  /** Waits for every running job to settle. */
  async close(): Promise<void> {
    await this.deps.claims.allReleased();
  }
}
