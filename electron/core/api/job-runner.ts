/**
 * Production jobs started through the StationApi run in the background: the
 * call returns the job id at once, `job.event`s report progress, and the job's
 * reader is busy until it settles. A finished job's one-time secrets (PUK,
 * generated PIN) wait here, in memory only, for the officer whose call ran it.
 */
import type { EventPayload } from '../../contract/station-api.js';
import { StationError, toStationError } from '../errors.js';
import type { JobEvent } from '../issuance/job-types.js';
import type { ProductionOutcome } from '../issuance/production-service.js';
import type { ReaderWatch } from './reader-watch.js';

/** What the job runner needs. */
export interface JobRunnerDeps {
  /** The reader a job runs in is busy until it settles. */
  readers: Pick<ReaderWatch, 'claim' | 'release' | 'refresh'>;
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
  private readonly running = new Map<string, Promise<unknown>>();
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
    if ((type === 'job.finished' || type === 'job.failed') && this.running.has(jobId)) this.heldEndings.set(jobId, payload);
    else this.deps.emit(payload);
  };

  /** True while a job launched here has not settled. */
  isRunning(jobId: string): boolean {
    return this.running.has(jobId);
  }

  /**
   * Runs a production in the background.
   * @param owner the username of the officer whose call runs the job: only they may take its one-time secrets
   * @returns when the job has settled: its outcome, or the error that stopped it (never rejects)
   */
  launch(jobId: string, readerName: string, work: () => Promise<ProductionOutcome>, owner?: string): Promise<SettledJob> {
    // A card probe still talking to this reader would make the job's exclusive connect fail: let it finish first.
    const probing = this.deps.readers.claim(readerName);
    this.running.set(jobId, Promise.resolve()); // registered before any event can arrive
    const settled: SettledJob = {};
    const p = probing
      .then(work)
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
        this.running.delete(jobId);
        try {
          this.deps.jobSettled(jobId);
        } catch {
          // the request follows its job at the next settle; the job's own record is authoritative
        }
        const ending = this.heldEndings.get(jobId);
        this.heldEndings.delete(jobId);
        if (ending) this.deps.emit(ending);
        void this.deps.readers.refresh().catch(() => {});
      });
    this.running.set(jobId, p);
    return p.then(() => settled);
  }

  /**
   * Takes a finished job's one-time secrets, once. The job's record reads
   * 'done' before its background run settles and hands them over: waits for it,
   * or the one chance is lost.
   * @param username the officer asking: another officer's screen must not take (and so destroy) them
   * @returns the secrets, or {} when there are none (taken already, or none made)
   * @throws StationError FORBIDDEN (rule secretsOwner) when another officer ran the job
   */
  async takeSecrets(jobId: string, username: string): Promise<{ puk?: string; pin?: string }> {
    await this.running.get(jobId);
    const held = this.oneTimeSecrets.get(jobId);
    if (!held) return {};
    if (held.owner !== undefined && held.owner !== username) {
      throw new StationError('FORBIDDEN', 'Only the officer who ran this production can see its one-time PIN and PUK.', { rule: 'secretsOwner' });
    }
    this.oneTimeSecrets.delete(jobId);
    return { puk: held.puk, pin: held.pin };
  }

  /**
   * Takes a finished job's generated PIN alone, once (for its PIN mailer); the
   * PUK stays for {@link takeSecrets}. Waits for the job to settle, as takeSecrets.
   * @returns the PIN, or undefined when none waits (typed by the cardholder, or taken)
   * @throws StationError FORBIDDEN (rule secretsOwner) when another officer ran the job
   */
  async takePin(jobId: string, username: string): Promise<string | undefined> {
    await this.running.get(jobId);
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

  /** Holds the one-time secrets of a job that ended outside a launched run (its print cancelled), for `owner`. */
  hold(jobId: string, secrets: { puk?: string; pin?: string }, owner?: string): void {
    if (secrets.puk || secrets.pin) this.oneTimeSecrets.set(jobId, { ...secrets, owner });
  }

  /** Waits for every running job to settle. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.running.values()]);
  }
}
