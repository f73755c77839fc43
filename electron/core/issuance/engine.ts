/**
 * The production job engine (DESIGN.md "The production job"): runs a job's
 * steps in order on one exclusive card session, persisting the job before and
 * after each step, so a job survives card removal, reader loss, a crash or
 * `kill -9`, and a retry continues from the first step not proven done.
 */
import { withCardSession } from '../piv/card-session.js';
import type { ReaderProvider } from '../piv/transport.js';
import { toStationError, StationError, type ErrorCode } from '../errors.js';
import type { StationStore } from '../store/store.js';
import type { JobRecord, StepRecord } from '../store/records.js';
import type { Keyring } from '../pki/keyring.js';
import type { StationConfig } from '../config/station-config.js';
import type { ProfileRegistry } from '../workflow/profile-registry.js';
import { jobProfile } from './job-profile.js';
import type { JobListener, JobSecrets, ProductionParams, ProductionStep, StepContext } from './job-types.js';
import type { StepContext as Ctx } from './job-types.js';
import { productionSteps } from './production-steps.js';
import { unidentified } from './card-preflight.js';
import { recordNotification } from '../notifications/outbox.js';
import type { PhysicalPorts } from '../physical/physical-ports.js';
import type { CardTransport } from '../piv/transport.js';
import { JOB_LEASE_TTL_MS, jobClaimsOf, type JobClaim } from './job-claims.js';

/** Dependencies of the engine. */
export interface EngineDeps {
  store: StationStore;
  ca: Ctx['ca'];
  keyring: Keyring;
  config: StationConfig;
  readers: ReaderProvider;
  /** The card profiles (built once by the composition root, shared by every service). */
  profiles: ProfileRegistry;
  /** Photo, printing and fonts (issue 11); absent: steps that need them fail with a clear sentence. */
  physical?: PhysicalPorts;
  now?: () => Date;
}

/**
 * The transport of a run that needs no card (only off-card steps left, e.g. a print after the chip
 * was finished): any card command is a defect, said plainly.
 */
function noCardTransport(readerName: string): CardTransport {
  return {
    readerName,
    atr: new Uint8Array(0),
    transmit: async () => {
      throw new StationError('INTERNAL', 'A step that needs no card tried to talk to the card.');
    },
    close: async () => {},
  };
}

/** Sentence for the officer: what happened, during which activity. */
export function failureSentence(error: StationError, step: ProductionStep | undefined, readerName: string): string {
  const during = step ? ` while ${step.activity}` : '';
  const byCode: Partial<Record<ErrorCode, string>> = {
    CARD_REMOVED: `The card was removed${during}.`,
    READER_GONE: `The reader ${readerName} was disconnected${during}.`,
    NO_CARD: `There is no card in the reader ${readerName}.`,
    NO_READER: `The reader ${readerName} is not connected.`,
    CARD_MUTE: `The card stopped answering${during}.`,
    READER_BUSY: error.message,
    PCSC_UNAVAILABLE: error.message,
    // Says what the card lacks and whether anything was written: complete as it is.
    CARD_INCAPABLE: error.message,
  };
  return byCode[error.code] ?? `${error.message.replace(/\.$/, '')}${during ? ` (${during.trim()})` : ''}.`;
}

/**
 * Runs (or resumes) a job to its end or its first failure.
 *
 * The job is claimed first (job-claims.ts: one claim per job across every
 * process on the data dir), unless the caller passes the claim it already
 * holds; a claim taken here is released when the run ends, however it ends.
 *
 * @param readerName reader to use now (a retry may use another reader than the first run)
 * @param secrets    in-memory secrets (the cardholder PIN); never persisted
 * @param claim      the caller's claim on the job (the core claims when it launches a job); renewed here, released by the caller
 * @returns the job record after the run (status 'done' or 'failed')
 * @throws StationError NOT_FOUND_RECORD, JOB_STATE (job done/cancelled/already running)
 */
export async function runJob(deps: EngineDeps, jobId: string, readerName: string, secrets: JobSecrets, listener: JobListener = () => {}, claim?: JobClaim): Promise<JobRecord> {
  const { store } = deps;
  const job0 = store.jobs.get(jobId);
  if (!job0) throw new StationError('NOT_FOUND_RECORD', `There is no production job ${jobId}.`);
  if (job0.status === 'done' || job0.status === 'cancelled') {
    throw new StationError('JOB_STATE', `Job ${jobId} is ${job0.status}; it cannot run again.`);
  }
  const own = claim ?? jobClaimsOf(store, { now: deps.now }).claim(jobId);
  // Renewed on a timer too: one step (an RSA key generation on a slow card) may outlast a renewal at step boundaries.
  const renewal = setInterval(() => {
    try {
      own.renew();
    } catch {
      // Renewed again at the next step, which fails with JOB_STATE if the lease was lost.
    }
  }, JOB_LEASE_TTL_MS / 3);
  renewal.unref();
  try {
    return await runClaimed(deps, own, readerName, secrets, listener);
  } finally {
    clearInterval(renewal);
    if (!claim) own.release();
  }
}

/** The run itself, under a claim: anything it throws leaves the claim to runJob's finally. */
async function runClaimed(deps: EngineDeps, claim: JobClaim, readerName: string, secrets: JobSecrets, listener: JobListener): Promise<JobRecord> {
  const { store } = deps;
  const { jobId } = claim;
  const now = deps.now ?? (() => new Date());
  const job0 = store.jobs.get(jobId)!;
  // The profile as it was when the job was created: an edit since cannot change a half-made card.
  const profile = jobProfile(job0.params as unknown as ProductionParams, deps.profiles);

  const steps = productionSteps(profile);
  // Snapshot: which steps an earlier run started (their effect may be on the card).
  const before = new Map<string, StepRecord>(store.jobs.steps(jobId).map((s) => [s.name, s]));
  const previouslyAttempted = (name: string) => {
    const s = before.get(name);
    return !!s && (s.status === 'done' || s.attempts > 0);
  };

  let job = store.jobs.update(jobId, { status: 'running', readerName, failedStep: null, error: null });
  const person = store.persons.get(job.personId);
  let card = store.cards.get(job.cardId);
  if (!person || !card) throw new StationError('NOT_FOUND_RECORD', `Job ${jobId} refers to a missing person or card record.`);
  const params = job.params as unknown as ProductionParams;

  // Every card step already done in an earlier run: what is left (printing, finishing) needs no card.
  const doneBefore = (name: string) => before.get(name)?.status === 'done';
  const offCardOnly = steps.some((s) => !doneBefore(s.name)) && steps.every((s) => s.offCard || doneBefore(s.name));
  const readers: Pick<ReaderProvider, 'connect'> = offCardOnly ? { connect: async () => noCardTransport(readerName) } : deps.readers;
  let current: ProductionStep | undefined = offCardOnly ? steps.find((s) => !doneBefore(s.name)) : steps[0];
  let index = 0;
  try {
    listener({ type: 'job.started', jobId, steps: steps.map((s) => ({ name: s.name, label: s.label })) });
    store.audit.append({ actor: 'station', action: 'job.run', outcome: 'ok', personId: person.id, cardId: card.id, jobId, details: { reader: readerName } });
    // The connect step selects the PIV application itself; the session ends with a card reset.
    return await withCardSession(readers, readerName, async (session) => {
      const ctx: StepContext = {
        job,
        card: card!,
        person,
        profile,
        params,
        config: deps.config,
        session,
        identity: unidentified(),
        store,
        ca: deps.ca,
        keyring: deps.keyring,
        secrets,
        stepData: (name) => store.jobs.steps(jobId).find((s) => s.name === name)?.data ?? undefined,
        stepRecord: (name) => store.jobs.steps(jobId).find((s) => s.name === name),
        previouslyAttempted,
        updateCard(patch) {
          card = store.cards.update(card!.id, patch);
          ctx.card = card;
        },
        saveStepData(data) {
          const name = current?.name;
          if (!name) return;
          const stored = store.jobs.steps(jobId).find((s) => s.name === name)?.data ?? {};
          store.jobs.updateStep(jobId, name, { data: { ...stored, ...data } });
        },
        physical: deps.physical,
        now,
        objectsOnCard: new Map(),
        readFromCard: new Set(),
        generatedInRun: new Set(),
        keysProvenInRun: new Map(),
        retryTotalsInRun: new Map(),
      };

      for (index = 0; index < steps.length; index++) {
        const step = steps[index]!;
        current = step;
        claim.renew();
        const total = steps.length;
        // Without the card, a step done in an earlier run stays done: its proof would need the card.
        const proven = offCardOnly ? doneBefore(step.name) : step.isDone && (await step.isDone(ctx));
        if (proven) {
          const rec = ctx.stepRecord(step.name);
          if (rec?.status !== 'done') store.jobs.updateStep(jobId, step.name, { status: 'done', finishedAt: now().toISOString(), error: null });
          listener({ type: 'job.step.skipped', jobId, step: step.name, index, total });
          continue;
        }
        const rec = ctx.stepRecord(step.name);
        store.jobs.updateStep(jobId, step.name, {
          status: step.recordInProgress ? 'in_progress' : 'running',
          attempts: (rec?.attempts ?? 0) + 1,
          startedAt: now().toISOString(),
          finishedAt: null,
          error: null,
        });
        listener({ type: 'job.step.started', jobId, step: step.name, index, total });
        const t0 = performance.now();
        const apdus0 = session.stats.apdus;
        const data = await step.run(ctx);
        store.jobs.updateStep(jobId, step.name, {
          status: 'done',
          finishedAt: now().toISOString(),
          data: { ...(data ?? {}), ms: Math.round(performance.now() - t0), apdus: session.stats.apdus - apdus0 },
        });
        listener({ type: 'job.step.finished', jobId, step: step.name, index, total, ms: Math.round(performance.now() - t0), apdus: session.stats.apdus - apdus0 });
      }
      job = store.transaction(() => {
        const done = store.jobs.update(jobId, { status: 'done', failedStep: null, error: null });
        store.audit.append({ actor: 'station', action: 'card.produced', outcome: 'ok', personId: person.id, cardId: card!.id, jobId, details: { credential: card!.credentialNumber, profile: profile.id, profileVersion: params.profileVersion ?? null } });
        recordNotification(store, { type: 'card.produced', personId: person.id, cardId: card!.id, data: { jobId } }, now());
        return done;
      });
      listener({ type: 'job.finished', jobId });
      return job;
    }, { select: false });
  } catch (e) {
    const error = toStationError(e);
    const failedStep = current?.name ?? 'connect';
    const sentence = failureSentence(error, current, readerName);
    job = store.transaction(() => {
      if (store.jobs.steps(jobId).some((s) => s.name === failedStep)) {
        store.jobs.updateStep(jobId, failedStep, { status: 'failed', finishedAt: now().toISOString(), error: error.toJSON() });
      }
      const wasFailed = store.cards.get(card!.id)?.status === 'production_failed';
      store.cards.update(card!.id, { status: card!.status === 'produced' ? 'produced' : 'production_failed' });
      // The IDPRS hears of the change to production_failed, not of every failed retry.
      if (card!.status !== 'produced' && !wasFailed) {
        recordNotification(store, { type: 'card.production_failed', personId: person.id, cardId: card!.id, data: { jobId, step: failedStep, code: error.code } }, now());
      }
      store.audit.append({ actor: 'station', action: 'job.step.failed', outcome: 'failed', personId: person.id, cardId: card!.id, jobId, details: { step: failedStep, code: error.code } });
      return store.jobs.update(jobId, { status: 'failed', failedStep, error: { ...error.toJSON(), message: sentence } });
    });
    listener({ type: 'job.step.failed', jobId, step: failedStep, index, total: steps.length, error: error.toJSON(), sentence });
    listener({ type: 'job.failed', jobId, step: failedStep, sentence });
    return job;
  }
}
