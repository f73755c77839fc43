/**
 * Mass production (issue 4 "Single and mass production"): a batch of approved
 * card requests produced across every free reader in parallel.
 *
 * Rules, in the order the service applies them when a card is inserted:
 * 1. The reader must be one the batch may use ('all' = every reader without a
 *    job running; the in-process training reader only on training stations).
 * 2. The card is probed briefly (released at once: no session is held while waiting).
 * 3. A card that a failed item's job already identified (same chip serial or
 *    CHUID GUID) resumes THAT job: its identify step would refuse any other card.
 * 4. Otherwise a blank card (a PIV card this station has not issued or locked)
 *    takes the next request in queue order (failed items whose job never
 *    identified a card are back in the queue at their place).
 * 5. A card that is not PIV, already issued, or locked by the station is left
 *    alone until it is removed.
 * A failed item waits for its card (or is cancelled with a reason, which
 * cancels its job and revokes its certificates); a waiting item may be
 * cancelled too. A paused batch takes no card until it is resumed. The batch
 * is done when every item is done or cancelled. On open, items left running by
 * a stopped station are failed-and-retryable and readers are watched again.
 *
 * While a batch waits, its view says what to do at each reader it may use
 * (issue 12, observation 2: with one reader the batch otherwise stalled in
 * silence after the first card): insert a blank card, or take out the card
 * the batch is finished with, named by its card number.
 */
import type { PinPolicy } from '../../contract/card-profile.js';
import { StationError } from '../errors.js';
import type { ReaderProvider, ReaderStatus } from '../piv/transport.js';
import type { StationStore } from '../store/store.js';
import type { JobStatus, StepRecord } from '../store/records.js';
import { PRINT_STEP } from './steps/print-step.js';
import { CHUID_STEP } from './steps/chuid-step.js';
import { JOB_LEASE_TTL_MS } from './job-claims.js';
import { batchRepository, type BatchItemRecord, type BatchReaders, type BatchRecord, type BatchRepository } from './batch-store.js';
import { probeInsertedCard, type ProbedCard } from './batch-card-probe.js';
import { readBatchCsv, type BatchCsvProblem } from './batch-csv.js';
import { REQUEST_TRANSITIONS, allowedVia, isIssuedCardStatus, type RequestState } from '../../contract/state-machines.js';
import { isStatedReason } from '../../contract/reason-rule.js';
import { OPEN_BATCH_STATUSES, RATE_MIN_CARDS, isCancellableItem, mayPauseBatch, mayResumeBatch } from '../../contract/batch-rules.js';
import { batchNumberText, parseBatchNumber, requestNumberText } from '../../contract/request-number.js';
import { REQUEST_STATE_WORDS } from '../../contract/words.js';

/** How often and how long to wait for a reader another session holds (the readers panel's probe, a CLI tool). */
const BUSY_PROBE_ATTEMPTS = 20;
const BUSY_PROBE_DELAY_MS = 250;
/**
 * Another application may open a freshly inserted card for a moment (a
 * readers panel, middleware, the OS): a job that finds the reader busy runs
 * again while the same card stays in the reader.
 */
const BUSY_RUN_ATTEMPTS = 10;
const BUSY_RUN_DELAY_MS = 500;
/**
 * A station killed during a job leaves that job's lease (job-claims.ts) until it runs out: the
 * card in the reader waits for it instead of failing, while it stays in the reader, a little longer
 * than the lease lasts. A job truly running elsewhere keeps its lease renewed and still wins.
 */
const LEASED_RUN_WAIT_MS = JOB_LEASE_TTL_MS + 10_000;
const LEASED_RUN_DELAY_MS = 2_000;
const MS_PER_HOUR = 3_600_000;

/** The sentence an item gets when the station stopped during its production. */
export const STATION_STOPPED_SENTENCE = 'The station stopped while this card was being produced: insert the same card again to continue.';

/** What the batch needs to know about a card request. */
/** Where a card's face print stands, from its job's print step. */
export type PrintStatus = 'waiting' | 'printing' | 'printed' | 'failed' | 'not printed';

/** The print status of a job's steps, or null when the job has no print step. */
export function printStatusOf(steps: Pick<StepRecord, 'name' | 'status' | 'data'>[]): PrintStatus | null {
  const step = steps.find((s) => s.name === PRINT_STEP);
  if (!step) return null;
  switch (step.status) {
    case 'done':
      return step.data?.printed === false ? 'not printed' : 'printed';
    case 'running':
    case 'in_progress':
      return 'printing';
    case 'failed':
      return 'failed';
    default:
      return 'waiting';
  }
}

export interface BatchRequestInfo {
  id: string;
  /** The short number people use (contract/request-number.ts). */
  number: number;
  personId: string;
  personName: string;
  state: string;
  /** The card object created on approval. */
  cardId: string | null;
}

/** How a batch reaches card requests (RequestService in the station). */
export interface BatchRequests {
  /** The request a batch names: by its id, or by its number as people write it ("R-000123", a CSV file's column). */
  get(reference: string): BatchRequestInfo | undefined;
}

/** Outcome of one run of a job. */
export interface BatchRunOutcome {
  status: JobStatus;
  /** The officer's sentence when the run failed. */
  failure: string | null;
  /** The StationError code of a failure (READER_BUSY is retried at once while the card stays). */
  code?: string | null;
}

/** How a batch creates, runs and cancels production jobs (the core wires the production service). */
export interface BatchJobs {
  /**
   * Creates the production job for the approved request's card object, with a
   * generated PIN, to run on `readerName`, produced by the officer who started
   * the batch (the rule book asks again). @returns the job id
   * @throws StationError REQUEST_STATE, NOT_FOUND_RECORD, FORBIDDEN
   */
  createJob(requestId: string, readerName: string, producerId: string | null): string;
  /** Runs (or resumes) the job on `readerName` to its end or first failure. May reject (then the item fails with that error's sentence). */
  runJob(jobId: string, readerName: string): Promise<BatchRunOutcome>;
  /** Cancels a job that is not running (revokes the certificates it caused). */
  cancelJob(jobId: string, reason: string): Promise<void>;
}

/** Who starts a batch or cancels an item (for the audit log and separation of duties). */
export interface BatchActor {
  /** Officer id (stored as the batch's creator). */
  officerId: string | null;
  /** Audit actor: the officer's username. */
  username: string;
  /** The officer's own person record: they may not produce their own card. */
  personId: string | null;
}

/** A batch as the StationApi shows it (BatchShape). */
export interface BatchView {
  id: string;
  /** The batch's short number (batchNumberText: "B-000012"), the one officers see. */
  number: number;
  status: BatchRecord['status'];
  readers: string[];
  total: number;
  done: number;
  failed: number;
  remaining: number;
  cardsPerHour: number | null;
  items: {
    requestId: string;
    /** The request's short number (requestNumberText: "R-000123"); null if the request is gone. */
    requestNumber: number | null;
    personName: string;
    state: BatchItemRecord['state'];
    readerName: string | null;
    jobId: string | null;
    failure: string | null;
    /** The card face's print (issue 11): null when the card's profile prints nothing. */
    print: PrintStatus | null;
    /** The card number assigned on approval (null: the request has no card object). */
    cardNumber: string | null;
    /** True while the produced card's one-time PUK and generated PIN wait to be taken once. */
    secretsWaiting: boolean;
  }[];
  /** What to do at each reader the batch may use while it runs (empty when paused or finished). */
  prompts: BatchPrompt[];
  createdAt: string;
  updatedAt: string;
}

/** What the officer should do at one reader for the batch to go on (BatchPromptShape). */
export interface BatchPrompt {
  readerName: string;
  /** insert-blank: the reader is empty; remove: the card in it is of no use to the batch; producing: leave it. */
  action: 'insert-blank' | 'remove' | 'producing';
  /** The card number of the card in the reader, when the station knows it. */
  cardNumber: string | null;
  sentence: string;
}

/** A CSV batch file as checked before starting (BatchCsvShape): the requests it names, and every problem. */
export interface BatchCsvCheck {
  requests: { line: number; requestId: string; requestNumber: number; personName: string }[];
  problems: BatchCsvProblem[];
}

/** The batch.changed event payload. */
export interface BatchChange {
  batchId: string;
  done: number;
  failed: number;
  remaining: number;
}

/** Dependencies of the batch service. */
export interface BatchServiceDeps {
  store: StationStore;
  readers: ReaderProvider;
  requests: BatchRequests;
  jobs: BatchJobs;
  /** True on training stations: only then may 'all' include the training reader. */
  training: boolean;
  /** Readers running a job outside batches (single production): not free. */
  isReaderBusy?: (readerName: string) => boolean;
  /** Called after any item or batch change. */
  onChange?: (change: BatchChange) => void;
  /**
   * The PIN policy of a card profile (the profile registry): a batch generates
   * every PIN, so a request whose profile needs a PIN chosen by the cardholder
   * is refused at the start. Absent: not checked (the job refuses it instead).
   */
  pinPolicyOf?: (profileId: string) => PinPolicy;
  /**
   * The rule book's answer to "may `actor` produce request `requestId` in a
   * batch" (state and separation of duties): the refusal, or undefined.
   * Absent: only the request state is checked (the job's creation asks the rule book).
   */
  productionRefusal?: (requestId: string, actor: BatchActor) => StationError | undefined;
  /** True while a finished job's one-time secrets wait to be taken (the job runner); absent: never. */
  secretsWaiting?: (jobId: string) => boolean;
  /** Card probe (tests may count probes); defaults to probeInsertedCard. */
  probe?: (readers: ReaderProvider, readerName: string) => Promise<ProbedCard>;
  now?: () => Date;
}

/** Per-reader state: what the service knows about the card currently in it. */
interface ReaderSlot {
  /** ATR of the card last seen present, or undefined when the reader is empty. */
  atr: string | undefined;
  /** True once this card was probed and taken (or refused): nothing more to do until it is removed. */
  handled: boolean;
  /** A probe or a job is under way on this reader. */
  active: boolean;
  /** What the service made of the card once handled: taken for an item, or left alone (why). */
  outcome?: { kind: 'taken'; batchId: string; requestId: string } | { kind: 'not-piv' } | { kind: 'not-blank' };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The batch service: one per station core. */
export class BatchService {
  private readonly repo: BatchRepository;
  private readonly slots = new Map<string, ReaderSlot>();
  private readonly runs = new Set<Promise<void>>();
  private unwatch: (() => void) | undefined;
  private closed = false;
  /** The readers as last reported (for the prompts of waiting batches). */
  private lastReaders: ReaderStatus[] = [];

  constructor(private readonly deps: BatchServiceDeps) {
    const now = deps.now ?? (() => new Date());
    this.repo = batchRepository(deps.store.db, () => now().toISOString());
  }

  /**
   * Resumes after a restart and starts watching readers: items a stopped
   * station left running become failed-and-retryable (their card resumes them),
   * and cards already in readers are considered at once.
   */
  async open(): Promise<void> {
    for (const batch of this.repo.listByStatus(OPEN_BATCH_STATUSES)) {
      for (const item of this.repo.items(batch.id)) {
        if (item.state !== 'running') continue;
        this.repo.updateItem(batch.id, item.requestId, { state: 'failed', failure: STATION_STOPPED_SENTENCE });
        this.deps.store.audit.append({ actor: 'station', action: 'batch.item.interrupted', outcome: 'failed', jobId: item.jobId, details: { batchId: batch.id, batch: batchNumberText(batch.number), requestId: item.requestId } });
      }
      this.changed(batch.id);
    }
    this.unwatch = this.deps.readers.watch((list) => this.onReaders(list));
    await this.rescan();
  }

  /**
   * Starts a batch over approved requests, in the given order.
   * @param readers 'all' or reader names
   * @throws StationError INVALID_INPUT (duplicate request), NOT_FOUND_RECORD (unknown request),
   *   REQUEST_STATE (not approved, or already in an unfinished batch), FORBIDDEN (the actor's own card)
   */
  async start(references: readonly string[], readers: BatchReaders, actor: BatchActor): Promise<BatchRecord> {
    if (references.length === 0) throw new StationError('INVALID_INPUT', 'Select at least one approved request for the batch.', { field: 'requestIds' });
    // Requests named by number ("R-000123") become their ids; an unknown one is refused below.
    const requestIds = references.map((r) => this.deps.requests.get(r)?.id ?? r);
    const seen = new Set<string>();
    for (const id of requestIds) {
      if (seen.has(id)) {
        const number = this.deps.requests.get(id)?.number;
        throw new StationError('INVALID_INPUT', `Request ${number ? requestNumberText(number) : id} is listed twice in the batch.`, { requestId: id });
      }
      seen.add(id);
      const refusal = this.refusal(id, actor);
      if (refusal?.code === 'FORBIDDEN') {
        this.deps.store.audit.append({ actor: actor.username, action: 'batch.start', outcome: 'refused', personId: this.deps.requests.get(id)!.personId, details: { requestId: id, rule: String(refusal.details.rule ?? 'forbidden') } });
      }
      if (refusal) throw refusal;
    }
    const batch = this.repo.create(readers, actor.officerId, requestIds);
    this.deps.store.audit.append({ actor: actor.username, action: 'batch.started', outcome: 'ok', details: { batchId: batch.id, batch: batchNumberText(batch.number), requests: requestIds.length, readers: readers === 'all' ? 'all' : readers.join(',') } });
    this.changed(batch.id);
    // Blank cards may already wait in readers.
    await this.rescan();
    return batch;
  }

  /**
   * Reads a CSV batch file (batch-csv.ts) and checks each request it names as
   * `start` would for `actor`, without starting anything: the officer sees
   * every bad line at once and starts the batch only from a clean file.
   * @returns the requests in file order with their cardholder, and every problem (line and sentence)
   */
  checkCsv(text: string, actor: BatchActor): BatchCsvCheck {
    const { rows, problems } = readBatchCsv(text);
    const requests: BatchCsvCheck['requests'] = [];
    const seen = new Map<string, number>();
    for (const row of rows) {
      const refusal = this.refusal(row.requestId, actor);
      const request = this.deps.requests.get(row.requestId);
      // The same request named once by id and once by number is still one request.
      const earlier = request ? seen.get(request.id) : undefined;
      if (refusal) problems.push({ line: row.line, message: `Line ${row.line}: ${refusal.message}` });
      else if (earlier !== undefined) problems.push({ line: row.line, message: `Line ${row.line} of the batch file repeats the request on line ${earlier}.` });
      else {
        seen.set(request!.id, row.line);
        requests.push({ line: row.line, requestId: request!.id, requestNumber: request!.number, personName: request!.personName });
      }
    }
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { requests, problems };
  }

  /**
   * A batch by its id or its number as people write it ("B-000012", the CLI).
   * @throws StationError NOT_FOUND_RECORD
   */
  get(reference: string): BatchView {
    return this.view(this.batchOf(reference));
  }

  /** The batch `reference` names (its id, or its number "B-000012"). @throws StationError NOT_FOUND_RECORD */
  private batchOf(reference: string): BatchRecord {
    const number = parseBatchNumber(reference);
    const batch = this.repo.get(reference) ?? (number === null ? undefined : this.repo.findByNumber(number));
    if (!batch) throw new StationError('NOT_FOUND_RECORD', `There is no batch ${number === null ? reference : batchNumberText(number)}.`, { batch: reference });
    return batch;
  }

  /** The item of `batch` holding the request `reference` names (id or "R-000123"). @throws StationError NOT_FOUND_RECORD */
  private itemOf(batch: BatchRecord, reference: string): BatchItemRecord {
    const request = this.deps.requests.get(reference);
    const item = this.repo.item(batch.id, request?.id ?? reference);
    if (!item) {
      const named = request ? requestNumberText(request.number) : reference;
      throw new StationError('NOT_FOUND_RECORD', `Request ${named} is not in batch ${batchNumberText(batch.number)}.`, { requestId: reference });
    }
    return item;
  }

  /** Every batch, newest first. */
  list(): BatchView[] {
    return this.repo.list().map((b) => this.view(b));
  }

  /**
   * Pauses a running batch or resumes a paused one. A paused batch takes no
   * card (a card being produced finishes); on resume, blank cards already in
   * its readers are taken at once.
   * @throws StationError NOT_FOUND_RECORD, JOB_STATE (not running when pausing, not paused when resuming)
   */
  async setPaused(reference: string, paused: boolean, actor: BatchActor): Promise<BatchView> {
    const batch = this.batchOf(reference);
    const batchId = batch.id;
    if (paused && !mayPauseBatch(batch.status)) throw new StationError('JOB_STATE', `Batch ${batchNumberText(batch.number)} is ${batch.status}; only a running batch can be paused.`, { status: batch.status });
    if (!paused && !mayResumeBatch(batch.status)) throw new StationError('JOB_STATE', `Batch ${batchNumberText(batch.number)} is ${batch.status}; only a paused batch can be resumed.`, { status: batch.status });
    this.repo.setStatus(batchId, paused ? 'paused' : 'running');
    this.deps.store.audit.append({ actor: actor.username, action: paused ? 'batch.paused' : 'batch.resumed', outcome: 'ok', details: { batchId, batch: batchNumberText(batch.number) } });
    this.changed(batchId);
    if (!paused) await this.rescan();
    return this.get(batchId);
  }

  /**
   * Cancels one item with a reason: a queued item leaves the queue; a failed
   * item's job is cancelled (its certificates revoked, the card left for a
   * later job to take over).
   * @throws StationError NOT_FOUND_RECORD, JOB_STATE (item running or done), INVALID_INPUT (no reason)
   */
  async cancelItem(reference: string, requestReference: string, reason: string, actor: BatchActor): Promise<BatchView> {
    if (!isStatedReason(reason)) throw new StationError('INVALID_INPUT', 'Give a reason for cancelling this card.', { field: 'reason' });
    const batch = this.batchOf(reference);
    const item = this.itemOf(batch, requestReference);
    const { batchId, requestId } = item;
    if (item.state === 'cancelled') return this.view(batch);
    if (!isCancellableItem(item.state)) {
      throw new StationError(
        'JOB_STATE',
        item.state === 'running' ? 'This card is being produced right now: wait until it finishes or fails, then cancel it.' : 'This card is already produced: revoke the card instead of cancelling it.',
      );
    }
    if (item.jobId) await this.deps.jobs.cancelJob(item.jobId, reason);
    this.repo.updateItem(batchId, requestId, { state: 'cancelled', failure: reason.trim().slice(0, 500) });
    this.deps.store.audit.append({ actor: actor.username, action: 'batch.item.cancelled', outcome: 'ok', jobId: item.jobId, details: { batchId, batch: batchNumberText(batch.number), requestId, reason: reason.trim().slice(0, 200) } });
    this.finishIfComplete(batchId);
    this.changed(batchId);
    return this.get(batchId);
  }

  /**
   * Runs a failed item's job again now, in the reader it ran in (issue 11: a print failure is
   * retried for that card only, without waiting for the card to be inserted again: what is left
   * may need no card at all). A failure that needs the card fails again until the card is there.
   * @throws StationError NOT_FOUND_RECORD, JOB_STATE (item not failed, or never started), READER_BUSY
   */
  async retryItem(reference: string, requestReference: string, actor: BatchActor, authorize: (jobId: string) => void = () => {}): Promise<BatchView> {
    const batch = this.batchOf(reference);
    const item = this.itemOf(batch, requestReference);
    const { batchId, requestId } = item;
    if (item.state !== 'failed' || !item.jobId || !item.readerName) {
      throw new StationError('JOB_STATE', 'Only a card whose production failed is retried; a queued card waits for a blank card in a reader.');
    }
    if (this.deps.isReaderBusy?.(item.readerName)) throw new StationError('READER_BUSY', `A card is being produced in ${item.readerName}.`);
    authorize(item.jobId);
    const claimed = this.claim(item, item.readerName);
    this.deps.store.audit.append({ actor: actor.username, action: 'batch.item.retried', outcome: 'ok', jobId: item.jobId, details: { batchId, batch: batchNumberText(batch.number), requestId, reader: item.readerName } });
    this.track(this.produce(claimed, item.readerName, () => !this.closed));
    return this.get(batchId);
  }

  /** Waits until no probe or job the service started is under way (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.runs.size > 0) await Promise.allSettled([...this.runs]);
  }

  /** Stops watching readers and waits for running jobs to settle. */
  async close(): Promise<void> {
    this.closed = true;
    this.unwatch?.();
    await this.idle();
  }

  // ---------- readers ----------

  private async rescan(): Promise<void> {
    if (this.closed) return;
    try {
      this.onReaders(await this.deps.readers.listReaders());
    } catch {
      // No reader service right now: the watch reports readers when they come.
    }
  }

  /** Tracks insertions and removals; every present card not yet handled gets a try. */
  private onReaders(list: ReaderStatus[]): void {
    if (this.closed) return;
    const before = this.lastReaders;
    this.lastReaders = list;
    for (const [name, slot] of this.slots) {
      const r = list.find((x) => x.name === name);
      if (!r || !r.cardPresent || (r.atr ?? '') !== slot.atr) {
        slot.atr = undefined;
        slot.handled = false;
        slot.outcome = undefined;
      }
    }
    // A card inserted or taken out changes what waiting batches ask of the officer.
    const seen = (l: ReaderStatus[]) => l.map((r) => `${r.name}\u0000${r.cardPresent ? (r.atr ?? '') : '-'}`).join('\u0001');
    if (seen(before) !== seen(list)) for (const b of this.repo.listByStatus(['running'])) this.changed(b.id);
    for (const r of list) {
      if (!r.cardPresent) continue;
      let slot = this.slots.get(r.name);
      if (!slot) this.slots.set(r.name, (slot = { atr: undefined, handled: false, active: false }));
      if (slot.atr === undefined) slot.atr = r.atr ?? '';
      if (slot.handled || slot.active) continue;
      if (!this.wantsReader(r)) continue;
      this.track(this.serve(r, slot));
    }
  }

  private track(p: Promise<void>): void {
    const run = p.catch(() => {}).finally(() => this.runs.delete(run));
    this.runs.add(run);
  }

  /** True when some unfinished batch may use this reader now. */
  private wantsReader(r: ReaderStatus): boolean {
    if (this.deps.isReaderBusy?.(r.name)) return false;
    return this.repo.listByStatus(['running']).some((b) => this.batchMayUse(b, r));
  }

  private batchMayUse(batch: BatchRecord, r: Pick<ReaderStatus, 'name' | 'training'>): boolean {
    if (batch.readers === 'all') return !r.training || this.deps.training;
    return batch.readers.includes(r.name);
  }

  /** Probes the card in the reader and, when a batch item fits it, produces that item's card. */
  private async serve(reader: ReaderStatus, slot: ReaderSlot): Promise<void> {
    const readerName = reader.name;
    slot.active = true;
    const atr = slot.atr;
    try {
      const probe = this.deps.probe ?? probeInsertedCard;
      let card: ProbedCard = { kind: 'busy' };
      for (let i = 0; i < BUSY_PROBE_ATTEMPTS && !this.closed; i++) {
        card = await probe(this.deps.readers, readerName);
        if (card.kind !== 'busy') break;
        await sleep(BUSY_PROBE_DELAY_MS);
      }
      if (slot.atr !== atr || this.closed) return; // the card left during the probe
      if (card.kind === 'none' || card.kind === 'busy' || card.kind === 'unreadable') return; // looked at again on the next reader event
      if (card.kind !== 'piv') {
        slot.handled = true;
        slot.outcome = { kind: 'not-piv' };
        this.changedRunning();
        return;
      }
      const choice = this.pick(reader, card);
      if (choice === 'not-blank') {
        slot.handled = true;
        slot.outcome = { kind: 'not-blank' };
        this.changedRunning();
      }
      // 'nothing' leaves the card unhandled: a later change (a failed item back in the queue, a new batch) may want it.
      if (typeof choice === 'string') return;
      slot.handled = true;
      slot.outcome = { kind: 'taken', batchId: choice.batchId, requestId: choice.requestId };
      await this.produce(choice, readerName, () => !this.closed && slot.atr === atr);
    } finally {
      slot.active = false;
    }
    // A finished run may free work for cards waiting in other readers.
    if (slot.handled) await this.rescan();
  }

  /**
   * The item the inserted card serves (rules 3 and 4), marked running before
   * returning (synchronously after the choice, so two readers never take the same item);
   * 'not-blank' for an issued or locked card, 'nothing' when no item fits now.
   */
  private pick(reader: Pick<ReaderStatus, 'name' | 'training'>, card: { serial: number | undefined; guid: string | undefined }): BatchItemRecord | 'not-blank' | 'nothing' {
    const { store } = this.deps;
    const batches = this.repo.listByStatus(['running']).filter((b) => this.batchMayUse(b, reader));
    // Rule 3: the card of a failed item resumes that item's job.
    for (const batch of batches) {
      for (const item of this.repo.items(batch.id)) {
        if (item.state !== 'failed' || !item.jobId) continue;
        const record = this.cardOfJob(item.jobId);
        if (!record) continue;
        const sameSerial = record.chipSerial != null && card.serial !== undefined && record.chipSerial === card.serial;
        const sameGuid = card.guid !== undefined && card.guid === record.guid;
        if (sameSerial || sameGuid) return this.claim(item, reader.name);
      }
    }
    // Rule 5: an issued or station-locked card is never blank.
    if (card.guid) {
      const known = store.cards.findByGuid(card.guid);
      if (known && (isIssuedCardStatus(known.status) || known.mgmtKeyState !== 'transport')) return 'not-blank';
    }
    if (card.serial !== undefined && store.cards.findByChipSerial(card.serial).some((c) => isIssuedCardStatus(c.status))) return 'not-blank';
    // Rule 4: the next request in queue order, batches oldest first.
    for (const batch of batches) {
      const next = this.repo.items(batch.id).find((item) => item.state === 'queued' || (item.state === 'failed' && !this.hasCardIdentity(item)));
      if (next) return this.claim(next, reader.name);
    }
    return 'nothing';
  }

  /**
   * Why `requestId` cannot go into a new batch of `actor`, or undefined when it can:
   * NOT_FOUND_RECORD (unknown), REQUEST_STATE (not approved, or in an unfinished batch),
   * FORBIDDEN (the rule book: one's own card, one's own approval…; details.rule).
   */
  private refusal(reference: string, actor: BatchActor): StationError | undefined {
    const request = this.deps.requests.get(reference);
    if (!request) return new StationError('NOT_FOUND_RECORD', `There is no card request ${reference}.`, { requestId: reference });
    const requestId = request.id;
    const named = `Request ${requestNumberText(request.number)} (${request.personName})`;
    if (!allowedVia(REQUEST_TRANSITIONS, 'produce', request.state as RequestState, 'batches.start')) {
      return new StationError('REQUEST_STATE', `${named} is ${REQUEST_STATE_WORDS[request.state as RequestState].toLowerCase()}; only approved requests can be produced in a batch.`, { requestId, state: request.state });
    }
    const forbidden = this.deps.productionRefusal?.(requestId, actor);
    if (forbidden) {
      return new StationError(forbidden.code, `${named}: ${forbidden.message}`, { ...forbidden.details, requestId });
    }
    const profileId = this.deps.store.requests.get(requestId)?.profile;
    if (profileId && this.deps.pinPolicyOf?.(profileId).source === 'chosen') {
      return new StationError('INVALID_INPUT', `${named} is for a card profile whose PIN the cardholder chooses; a batch generates PINs: produce it at the desk.`, { requestId, field: 'pin' });
    }
    const open = this.repo.openItemForRequest(requestId);
    if (open) {
      const number = this.repo.get(open.batchId)?.number;
      const inBatch = number === undefined ? 'a batch' : `batch ${batchNumberText(number)}`;
      return new StationError('REQUEST_STATE', `${named} is already queued in ${inBatch}, which has not finished.`, { requestId, batchId: open.batchId });
    }
    return undefined;
  }

  private claim(item: BatchItemRecord, readerName: string): BatchItemRecord {
    return this.repo.updateItem(item.batchId, item.requestId, { state: 'running', readerName, failure: null });
  }

  private cardOfJob(jobId: string) {
    const job = this.deps.store.jobs.get(jobId);
    return job ? this.deps.store.cards.get(job.cardId) : undefined;
  }

  /** True when the item's job has seen its card (serial recorded, or its CHUID written): only that card may continue it. */
  private hasCardIdentity(item: BatchItemRecord): boolean {
    if (!item.jobId) return false;
    const card = this.cardOfJob(item.jobId);
    if (card?.chipSerial != null) return true;
    return this.deps.store.jobs.steps(item.jobId).some((s) => s.name === CHUID_STEP && s.attempts > 0);
  }

  /**
   * Runs the item's job on the reader and records the outcome.
   * @param cardStays true while the card the item was chosen for is still in the reader
   */
  private async produce(item: BatchItemRecord, readerName: string, cardStays: () => boolean): Promise<void> {
    const { batchId, requestId } = item;
    this.changed(batchId);
    let outcome: BatchRunOutcome;
    try {
      let jobId = item.jobId;
      if (!jobId) {
        // One transaction: a station killed between the two would leave the request's card in
        // production with a job no item names, and the resumed batch could then neither find
        // that job nor make another (the crash sweep's batch-write points found it).
        jobId = this.deps.store.transaction(() => {
          const created = this.deps.jobs.createJob(requestId, readerName, this.repo.get(batchId)?.createdBy ?? null);
          this.repo.updateItem(batchId, requestId, { jobId: created });
          return created;
        });
      }
      outcome = await this.deps.jobs.runJob(jobId, readerName);
      for (let i = 1; i < BUSY_RUN_ATTEMPTS && outcome.status === 'failed' && outcome.code === 'READER_BUSY' && cardStays(); i++) {
        await sleep(BUSY_RUN_DELAY_MS);
        outcome = await this.deps.jobs.runJob(jobId, readerName);
      }
      for (let waited = 0; waited < LEASED_RUN_WAIT_MS && outcome.status === 'failed' && outcome.code === 'JOB_STATE' && cardStays() && !this.closed; waited += LEASED_RUN_DELAY_MS) {
        await sleep(LEASED_RUN_DELAY_MS);
        outcome = await this.deps.jobs.runJob(jobId, readerName);
      }
    } catch (e) {
      const err = e instanceof StationError ? e : new StationError('INTERNAL', 'The production could not run.');
      outcome = { status: 'failed', failure: err.message };
    }
    const current = this.repo.item(batchId, requestId)!;
    if (outcome.status === 'done') {
      this.repo.updateItem(batchId, requestId, { state: 'done', failure: null });
    } else if (outcome.status === 'cancelled') {
      this.repo.updateItem(batchId, requestId, { state: 'cancelled', failure: current.failure ?? 'The job was cancelled.' });
    } else {
      this.repo.updateItem(batchId, requestId, { state: 'failed', failure: outcome.failure ?? 'The production failed.' });
    }
    this.deps.store.audit.append({
      actor: 'station',
      action: 'batch.item.run',
      outcome: outcome.status === 'done' ? 'ok' : 'failed',
      jobId: current.jobId,
      details: { batchId, requestId, reader: readerName },
    });
    this.finishIfComplete(batchId);
    this.changed(batchId);
  }

  private finishIfComplete(batchId: string): void {
    const items = this.repo.items(batchId);
    const batch = this.repo.get(batchId);
    if ((batch?.status === 'running' || batch?.status === 'paused') && items.every((i) => i.state === 'done' || i.state === 'cancelled')) {
      this.repo.setStatus(batchId, 'done');
      this.deps.store.audit.append({ actor: 'station', action: 'batch.done', outcome: 'ok', details: { batchId, done: items.filter((i) => i.state === 'done').length } });
    }
  }

  // ---------- views ----------

  private counts(items: BatchItemRecord[]): Omit<BatchChange, 'batchId'> {
    const n = (s: BatchItemRecord['state']) => items.filter((i) => i.state === s).length;
    return { done: n('done'), failed: n('failed'), remaining: n('queued') + n('running') };
  }

  /** Every running batch's view changed (a card was judged in a reader). */
  private changedRunning(): void {
    for (const b of this.repo.listByStatus(['running'])) this.changed(b.id);
  }

  private changed(batchId: string): void {
    const counts = this.counts(this.repo.items(batchId));
    try {
      this.deps.onChange?.({ batchId, ...counts });
    } catch {
      // a faulty listener must not break production
    }
  }

  private view(batch: BatchRecord): BatchView {
    const items = this.repo.items(batch.id);
    const counts = this.counts(items);
    return {
      id: batch.id,
      number: batch.number,
      status: batch.status,
      readers: batch.readers === 'all' ? ['all'] : batch.readers,
      total: items.length,
      ...counts,
      cardsPerHour: this.cardsPerHour(batch, items, counts.done),
      items: items.map((i) => {
        const request = this.deps.requests.get(i.requestId);
        return {
          requestId: i.requestId,
          requestNumber: request?.number ?? null,
          personName: request?.personName ?? '',
          state: i.state,
          readerName: i.readerName,
          jobId: i.jobId,
          failure: i.failure,
          print: i.jobId ? printStatusOf(this.deps.store.jobs.steps(i.jobId)) : null,
          cardNumber: this.cardNumberOf(i.requestId),
          secretsWaiting: i.state === 'done' && i.jobId !== null && (this.deps.secretsWaiting?.(i.jobId) ?? false),
        };
      }),
      prompts: this.prompts(batch, items),
      createdAt: batch.createdAt,
      updatedAt: batch.updatedAt,
    };
  }

  /** The card number of the request's card object, or null. */
  private cardNumberOf(requestId: string): string | null {
    const cardId = this.deps.requests.get(requestId)?.cardId;
    return cardId ? (this.deps.store.cards.get(cardId)?.cardNumber ?? null) : null;
  }

  /**
   * What the officer should do at each reader a running batch may use: while
   * a card is produced, leave it; while cards still wait for a blank card, insert
   * one in an empty reader, or take out the card the batch is finished with
   * (the card just produced, by its number; an issued card; a card that is not PIV).
   * A card being looked at right now gets no prompt (the next change brings one).
   */
  private prompts(batch: BatchRecord, items: BatchItemRecord[]): BatchPrompt[] {
    if (batch.status !== 'running') return [];
    const waiting = items.some((i) => i.state === 'queued' || (i.state === 'failed' && !this.hasCardIdentity(i)));
    const prompts: BatchPrompt[] = [];
    for (const reader of this.lastReaders) {
      if (!this.batchMayUse(batch, reader)) continue;
      const running = items.find((i) => i.state === 'running' && i.readerName === reader.name);
      if (running) {
        const cardNumber = this.cardNumberOf(running.requestId);
        const name = this.deps.requests.get(running.requestId)?.personName ?? '';
        const card = cardNumber ? `card ${cardNumber}` : 'the card';
        prompts.push({ readerName: reader.name, action: 'producing', cardNumber, sentence: `Producing ${card} for ${name} in ${reader.name}: leave it in the reader.` });
        continue;
      }
      if (!waiting || this.deps.isReaderBusy?.(reader.name)) continue;
      if (!reader.cardPresent) {
        prompts.push({ readerName: reader.name, action: 'insert-blank', cardNumber: null, sentence: `Insert a blank card in ${reader.name}.` });
        continue;
      }
      const outcome = this.slots.get(reader.name)?.handled ? this.slots.get(reader.name)?.outcome : undefined;
      if (!outcome) continue;
      if (outcome.kind === 'taken') {
        const cardNumber = this.cardNumberOf(outcome.requestId);
        const card = cardNumber ? `card ${cardNumber}` : 'the card';
        prompts.push({ readerName: reader.name, action: 'remove', cardNumber, sentence: `Remove ${card} from ${reader.name} and insert a blank card.` });
      } else {
        const why = outcome.kind === 'not-piv' ? 'is not a PIV card' : 'is already issued or locked by this station';
        prompts.push({ readerName: reader.name, action: 'remove', cardNumber: null, sentence: `The card in ${reader.name} ${why}: remove it and insert a blank card.` });
      }
    }
    return prompts;
  }

  /** Cards produced per hour since the batch started (until its last card when it is done); null before RATE_MIN_CARDS cards. */
  private cardsPerHour(batch: BatchRecord, items: BatchItemRecord[], done: number): number | null {
    if (done < RATE_MIN_CARDS) return null;
    const end = batch.status === 'done' ? Math.max(...items.filter((i) => i.state === 'done').map((i) => Date.parse(i.updatedAt))) : (this.deps.now ?? (() => new Date()))().getTime();
    const hours = Math.max(end - Date.parse(batch.createdAt), 1) / MS_PER_HOUR;
    return Math.round((done / hours) * 10) / 10;
  }
}
