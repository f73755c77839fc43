/**
 * Production jobs: create the job of an approved card object, run it, retry
 * it, cancel it, show it. Who may produce which card is the rule book's
 * question (electron/core/policy/), asked by the request workflow before it
 * creates a job here; `createJob`/`produce` make a card without a request,
 * below the rule book, for tests and the benchmark only.
 */
import { isStationError, StationError } from '../errors.js';
import type { KeyAlgorithm, PivSlot } from '../piv/constants.js';
import { PIV_SLOTS } from '../piv/constants.js';
import type { ProfileEntry } from '../workflow/profile-registry.js';
import { jobProfile, profileParams } from './job-profile.js';
import type { CardRecord, JobRecord, StepRecord } from '../store/records.js';
import type { EngineDeps } from './engine.js';
import { runJob } from './engine.js';
import { jobClaimsOf, type JobClaim, type JobClaims } from './job-claims.js';
import type { JobListener, JobSecrets, ProductionParams } from './job-types.js';
import { allProductionSteps, productionStepNames } from './production-steps.js';
import { recordNotification } from '../notifications/outbox.js';
import { assertPinFollowsPolicy } from './pin-policy.js';
import { createCardObject } from '../workflow/requests-card-object.js';
import { assertReaderAllowed } from '../policy/virtual-readers.js';
import { LayoutRegistry } from '../workflow/layout-registry.js';
import { printedCardOf } from '../physical/printed-card.js';
import type { CardProfile } from '../../contract/card-profile.js';
import type { PersonRecord } from '../store/records.js';
import { PRINT_STEP } from './steps/print-step.js';
import { guidToUuid } from './steps/chuid-step.js';

/** What an officer asks for when producing a card. */
export interface ProduceRequest {
  personId: string;
  readerName: string;
  /** Card profile id; defaults to the person's affiliation. */
  profile?: string;
  /** Overrides every slot's algorithm (e.g. 'RSA2048'). */
  algorithm?: KeyAlgorithm;
  /** The cardholder's PIN (the profile's length); absent → the station generates one. The profile's PIN policy decides which is allowed. */
  pin?: string;
}

/** Result of a run, for the faces: the job, its card, and the secrets to show once. */
export interface ProductionOutcome {
  job: JobRecord;
  card: CardRecord;
  steps: StepRecord[];
  /** Shown once, on the one screen that must show them; never stored in clear. */
  oneTimeSecrets?: { puk?: string; pin?: string };
}

/** A job's card as the faces show it (StationApi JobDetail.card, `station produce --json`). */
export function jobCardView(card: CardRecord) {
  return {
    id: card.id,
    serial: card.chipSerial,
    cardNumber: card.cardNumber,
    guid: guidToUuid(card.guid),
    fascn: card.fascn,
    credentialNumber: card.credentialNumber,
    status: card.status,
    expirationDate: card.expirationDate,
    capabilities: card.capabilities,
  };
}

/**
 * A job's parameters: the profile as it is now (id, version, snapshot: a retry
 * finishes the card as it was started), its algorithm per slot (or `algorithm`
 * for every slot) and where the PIN comes from.
 */
function productionParams(entry: ProfileEntry, pin: string | undefined, algorithm?: KeyAlgorithm): ProductionParams {
  const algorithms = Object.fromEntries(PIV_SLOTS.map((s) => [s, algorithm ?? entry.profile.algorithms[s]])) as Record<PivSlot, KeyAlgorithm>;
  return { ...profileParams(entry), algorithms, pinSource: pin ? 'given' : 'generated' };
}

/** True when a card of `profile` needs the person's photo: its face is printed or the chip holds the facial image. */
export function profileNeedsPhoto(profile: Pick<CardProfile, 'printing' | 'biometrics'>): boolean {
  return profile.printing !== 'none' || profile.biometrics.includes('facial');
}

/** The production service. */
export class ProductionService {
  private readonly layouts: LayoutRegistry;
  /**
   * Generated PINs of jobs that failed after setting the PIN (a print after encoding, a lock): kept
   * in memory only, so the retry that finishes the job can still show them (or print the mailer)
   * once. A restart loses them, as every one-time secret.
   */
  private readonly heldPins = new Map<string, string>();
  /** The running jobs of this data dir (one claim per job across processes). */
  readonly claims: JobClaims;

  constructor(private readonly deps: EngineDeps & { openEscrowedPuk: (cardId: string) => string | undefined }) {
    this.layouts = new LayoutRegistry(deps);
    this.claims = jobClaimsOf(deps.store, { now: deps.now });
  }

  private get profiles() {
    return this.deps.profiles;
  }

  /**
   * What a new job fixes about the card it makes (issue 11): the printed values, the layout and
   * the photo version. Refuses, before anything is made, a card whose profile needs a photo the
   * person lacks or a printer the station lacks.
   * @throws StationError PHOTO_MISSING, PRINTER_UNAVAILABLE
   */
  private physicalParams(person: PersonRecord, card: CardRecord, profile: CardProfile): Pick<ProductionParams, 'printed' | 'layout' | 'layoutVersion' | 'photoVersion'> {
    const { store, config } = this.deps;
    const photo = store.photos.current(person.id);
    if (profileNeedsPhoto(profile) && !photo) {
      throw new StationError('PHOTO_MISSING', `${person.givenName} ${person.surname} has no photo, and a ${profile.label} card needs one: take or import the photo first.`, { personId: person.id });
    }
    if (profile.printing !== 'none' && !this.deps.physical?.cardQueue) {
      throw new StationError('PRINTER_UNAVAILABLE', `${profile.label} cards are printed, but no card printer is configured for this station (config.json cardPrinter.queue).`);
    }
    const layout = this.layouts.get(profile.id);
    const printed = printedCardOf({ person, card, profile, config, layout: layout.layout, issuedOn: (this.deps.now ?? (() => new Date()))() });
    return { printed, layout: layout.layout, layoutVersion: layout.version, photoVersion: photo?.version };
  }

  /**
   * Creates a card object without a request (GUID, FASC-N from the credential
   * sequence, expiration; createCardObject, origin 'direct') and the job with
   * the steps of its profile pending; the job records the profile and its
   * version. Below the rule book: tests and the benchmark make cards with it;
   * the station's direct issue goes through RequestService.issueDirect.
   * @throws StationError NOT_FOUND_RECORD (person), INVALID_INPUT (PIN against the profile's PIN policy, profile),
   *         FORBIDDEN (a virtual reader this station may not use: policy/virtual-readers.ts)
   */
  createJob(req: ProduceRequest): JobRecord {
    const { store } = this.deps;
    this.assertReader(req.readerName);
    const now = (this.deps.now ?? (() => new Date()))();
    const person = store.persons.get(req.personId);
    if (!person) throw new StationError('NOT_FOUND_RECORD', `There is no person ${req.personId}.`);
    const entry = this.profiles.get(req.profile ?? person.affiliation);
    assertPinFollowsPolicy(entry.profile.pinPolicy, req.pin);
    const params = productionParams(entry, req.pin, req.algorithm);
    return store.transaction(() => {
      const card = createCardObject(this.deps, person, entry.profile.id, now, 'direct');
      return this.addJob(card, req.readerName, entry, { ...params, ...this.physicalParams(person, card, entry.profile) }, {});
    });
  }

  /**
   * Creates the production job for a card object made on approval (card
   * number, FASC-N, GUID, expiration and escrowed PUK already assigned): the
   * job produces THAT card record instead of making a new one, and the PUK
   * step reuses the escrowed PUK.
   * @param cardId     the approved card object
   * @param readerName the reader the job runs on
   * @param pin        the cardholder's PIN (the profile's length); absent → generated
   * @param algorithm  overrides every slot's algorithm (direct issue's option)
   * @throws StationError NOT_FOUND_RECORD (card), JOB_STATE (card not awaiting production), INVALID_INPUT (PIN against the profile's PIN policy),
   *         FORBIDDEN (a virtual reader this station may not use: policy/virtual-readers.ts)
   */
  createJobForCard(cardId: string, readerName: string, pin?: string, algorithm?: KeyAlgorithm): JobRecord {
    const { store } = this.deps;
    this.assertReader(readerName);
    const card = store.cards.get(cardId);
    if (!card) throw new StationError('NOT_FOUND_RECORD', 'There is no such card object.', { cardId });
    if (card.status !== 'approved') {
      throw new StationError('JOB_STATE', `This card is ${card.status.replace('_', ' ')}; only an approved card object can start a new production.`, { cardId, status: card.status });
    }
    const entry = this.profiles.get(card.cardProfile);
    assertPinFollowsPolicy(entry.profile.pinPolicy, pin);
    const person = store.persons.get(card.personId);
    if (!person) throw new StationError('NOT_FOUND_RECORD', 'The card object refers to a missing person.', { cardId });
    const params = { ...productionParams(entry, pin, algorithm), ...this.physicalParams(person, card, entry.profile) };
    return store.transaction(() => {
      store.cards.update(card.id, { status: 'in_production' });
      return this.addJob(card, readerName, entry, params, { cardNumber: card.cardNumber });
    });
  }

  /** Refuses a virtual reader before any job or card record is made (virtual-readers.ts). */
  private assertReader(readerName: string): void {
    assertReaderAllowed(readerName, { training: this.deps.keyring.training, allowVirtualReaders: this.deps.config.allowVirtualReaders });
  }

  /** The job producing `card` on `readerName` with the steps of its profile, every one pending, audited with the profile version (call inside `store.transaction`). */
  private addJob(card: CardRecord, readerName: string, entry: ProfileEntry, params: ProductionParams, auditDetails: Record<string, unknown>): JobRecord {
    const { store } = this.deps;
    const job = store.jobs.create(
      { kind: 'produce', cardId: card.id, personId: card.personId, readerName, status: 'pending', params: params as unknown as Record<string, unknown> },
      productionStepNames(entry.profile),
    );
    store.audit.append({
      actor: 'station',
      action: 'job.created',
      outcome: 'ok',
      personId: card.personId,
      cardId: card.id,
      jobId: job.id,
      details: { profile: entry.profile.id, profileVersion: entry.version, reader: readerName, ...auditDetails },
    });
    return job;
  }

  /** Creates and runs a job. The outcome carries the PUK and a generated PIN once. */
  async produce(req: ProduceRequest, listener?: JobListener): Promise<ProductionOutcome> {
    const job = this.createJob(req);
    return this.run(job.id, req.readerName, { pin: req.pin }, listener);
  }

  /**
   * Retries a failed job from the first step not proven done, on `readerName`.
   * A job whose PIN was typed by the cardholder needs it again (`pin`); the
   * PIN policy is the one of the profile the job was created under.
   * @param claim the caller's claim on the job (job-claims.ts), when it claimed it before launching the run
   * @throws StationError JOB_STATE when the job is done, cancelled or running; INVALID_INPUT (PIN against the job's PIN policy);
   *         FORBIDDEN (a virtual reader this station may not use: virtual-readers.ts)
   */
  async retry(jobId: string, readerName: string, pin: string | undefined, listener?: JobListener, claim?: JobClaim): Promise<ProductionOutcome> {
    const job = this.requireJob(jobId);
    this.assertReader(readerName);
    if (job.status === 'done' || job.status === 'cancelled') throw new StationError('JOB_STATE', `Job ${jobId} is ${job.status}; there is nothing to retry.`);
    const params = job.params as unknown as ProductionParams;
    if (params.pinSource === 'given' && pin === undefined) {
      throw new StationError('INVALID_INPUT', "This job needs the cardholder's PIN again: ask the cardholder to type it.", { field: 'pin' });
    }
    if (params.pinSource === 'given' || pin !== undefined) assertPinFollowsPolicy(jobProfile(params, this.profiles).pinPolicy, pin);
    // A generated PIN already on the card (held from the failed run) is the job's PIN: not set again.
    const held = pin === undefined ? this.heldPins.get(jobId) : undefined;
    return this.run(jobId, readerName, held ? { pin: held, pinGenerated: true } : { pin }, listener, claim);
  }

  private async run(jobId: string, readerName: string, secrets: JobSecrets, listener?: JobListener, claim?: JobClaim): Promise<ProductionOutcome> {
    const job = await runJob(this.deps, jobId, readerName, secrets, listener, claim);
    const card = this.deps.store.cards.get(job.cardId)!;
    const outcome: ProductionOutcome = { job, card, steps: this.deps.store.jobs.steps(jobId) };
    const pinSet = outcome.steps.some((s) => s.name === 'pin' && s.status === 'done');
    // A generated PIN the card now has, in a job that did not finish: held for the run that does.
    if (secrets.pinGenerated && secrets.pin && pinSet && job.status !== 'done') this.heldPins.set(jobId, secrets.pin);
    if (job.status === 'done') {
      const pin = secrets.pinGenerated ? secrets.pin : this.heldPins.get(jobId);
      this.heldPins.delete(jobId);
      outcome.oneTimeSecrets = { puk: this.deps.openEscrowedPuk(card.id), pin };
    }
    return outcome;
  }

  /**
   * Cancels a job that is not running: revokes every certificate the job caused
   * to be issued and leaves the card for a later job to take over (or recycle).
   * @throws StationError JOB_STATE (done, running), INVALID_INPUT (no reason)
   */
  async cancel(jobId: string, reason: string): Promise<JobRecord> {
    const { store, ca } = this.deps;
    const job = this.requireJob(jobId);
    if (!reason.trim()) throw new StationError('INVALID_INPUT', 'Give a reason for cancelling the job.', { field: 'reason' });
    if (job.status === 'done') throw new StationError('JOB_STATE', `Job ${jobId} is done; revoke the card instead of cancelling the job.`);
    if (job.status === 'cancelled') return job;
    // Claimed for the cancellation itself: a retry cannot start while certificates are being revoked.
    let claim: JobClaim;
    try {
      claim = this.claims.claim(jobId);
    } catch (e) {
      if (isStationError(e, 'JOB_STATE')) throw new StationError('JOB_STATE', `Job ${jobId} is running; wait for it to stop before cancelling.`, { jobId });
      throw e;
    }
    try {
      if (job.status === 'failed' && job.failedStep === PRINT_STEP && this.chipFinished(jobId)) return await this.cancelPrint(job, reason, claim);
      const revoked: string[] = [];
      for (const cert of store.certificates.listByJob(jobId)) {
        if (cert.status !== 'valid') continue;
        await ca.revoke(cert.serial, 'cessationOfOperation');
        store.certificates.setStatus(cert.serial, 'revoked', 'cessationOfOperation');
        revoked.push(cert.serial);
      }
      return store.transaction(() => {
        store.cards.update(job.cardId, { status: 'cancelled' });
        store.audit.append({ actor: 'station', action: 'job.cancelled', outcome: 'ok', personId: job.personId, cardId: job.cardId, jobId, details: { reason: reason.slice(0, 200), revoked: revoked.length } });
        recordNotification(store, { type: 'card.cancelled', personId: job.personId, cardId: job.cardId, data: { jobId, reason: reason.slice(0, 200) } }, (this.deps.now ?? (() => new Date()))());
        return store.jobs.update(jobId, { status: 'cancelled', cancelReason: reason.slice(0, 500) });
      });
    } finally {
      claim.release();
    }
  }

  /** True when every step but printing and finishing is done: the chip is complete and verified. */
  private chipFinished(jobId: string): boolean {
    return this.deps.store.jobs.steps(jobId).every((s) => s.status === 'done' || s.name === PRINT_STEP || s.name === 'finish');
  }

  /**
   * Cancels the print of a job whose chip is finished (issue 11: "cancel leaves the chip job as it
   * was"): the spooler job is cancelled, the print step recorded as not printed, and the job ends
   * as the engine ends any job (card produced, audited, announced), without its face printed. The
   * card can be printed later (cards.reprint). Nothing on the chip is revoked or touched.
   */
  private async cancelPrint(job: JobRecord, reason: string, claim: JobClaim): Promise<JobRecord> {
    const { store } = this.deps;
    const rec = store.jobs.steps(job.id).find((s) => s.name === PRINT_STEP);
    const printJob = rec?.data?.printJob;
    const queue = rec?.data?.queue;
    if (typeof printJob === 'number' && typeof queue === 'string') await this.deps.physical?.printer.spooler.cancel(queue, printJob).catch(() => {});
    store.transaction(() => {
      store.jobs.updateStep(job.id, PRINT_STEP, { status: 'done', finishedAt: (this.deps.now ?? (() => new Date()))().toISOString(), error: null, data: { ...(rec?.data ?? {}), printed: false, cancelled: true } });
      store.audit.append({ actor: 'station', action: 'card.print.cancelled', outcome: 'ok', personId: job.personId, cardId: job.cardId, jobId: job.id, details: { reason: reason.slice(0, 200) } });
    });
    // Only off-card steps are left: the engine finishes the record without connecting to the card.
    return runJob(this.deps, job.id, job.readerName ?? 'none', {}, undefined, claim);
  }

  /**
   * The one-time secrets of a job that just ended done outside a production run (its print
   * cancelled): the escrowed PUK and a generated PIN still held. Taken once.
   */
  takeFinishedSecrets(jobId: string): { puk?: string; pin?: string } {
    const job = this.requireJob(jobId);
    const pin = this.heldPins.get(jobId);
    this.heldPins.delete(jobId);
    return { puk: this.deps.openEscrowedPuk(job.cardId), pin };
  }

  /** A job with its steps, labels and card. @throws StationError NOT_FOUND_RECORD */
  show(jobId: string): { job: JobRecord; card: CardRecord | undefined; steps: (StepRecord & { label: string })[] } {
    const job = this.requireJob(jobId);
    const labels = new Map(allProductionSteps().map((s) => [s.name, s.label]));
    const steps = this.deps.store.jobs.steps(jobId).map((s) => ({ ...s, label: labels.get(s.name) ?? s.name }));
    return { job, card: this.deps.store.cards.get(job.cardId), steps };
  }

  private requireJob(jobId: string): JobRecord {
    const job = this.deps.store.jobs.get(jobId);
    if (!job) throw new StationError('NOT_FOUND_RECORD', `There is no production job ${jobId}.`);
    return job;
  }
}
