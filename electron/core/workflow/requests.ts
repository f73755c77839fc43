/**
 * Card requests (issue 4 "Persons and requests"): a request is created at the
 * desk (registration officer), at a kiosk (the person themselves), from a CPR
 * (IDPRS) or by direct issue (the Issue card screen: request and production
 * in one call, under the same approval policy); an approver approves or
 * rejects it (cards that need no approver are approved on creation); approval
 * creates the card object, which records its requester and approver;
 * production runs on that same card record and records its producer. Every
 * transition is asked of the rule book (electron/core/policy/rule-book.ts:
 * state machine, roles, separation of duties), audited (actor = officer
 * username, 'kiosk', 'idprs' or 'station'; never a secret; refusals too) and
 * reported to listeners (`request.changed`).
 */
import { StationError } from '../errors.js';
import type { StationConfig } from '../config/station-config.js';
import type { ProfileRegistry } from './profile-registry.js';
import type { CardRequestView } from '../../contract/station-api.js';
import type { ProductionService } from '../issuance/production-service.js';
import type { Keyring } from '../pki/keyring.js';
import type { JobRecord } from '../store/records.js';
import type { StationStore } from '../store/store.js';
import { actorOf, assertKioskMayRequestFor } from './authorization.js';
import { createCardObject } from './requests-card-object.js';
import { recordNotification } from '../notifications/outbox.js';
import { toOfficer } from './officers.js';
import type { RuleBook } from '../policy/rule-book.js';
import type { Performer } from '../../contract/state-machines.js';
import type { Channel } from '../../contract/station-api.js';
import type { KeyAlgorithm } from '../piv/constants.js';
import { assertPinFollowsPolicy } from '../issuance/pin-policy.js';
import type { CardRequest, Caller, Officer, RequestSource, RequestState } from './types.js';

export interface RequestServiceDeps {
  store: StationStore;
  config: StationConfig;
  keyring: Keyring;
  production: ProductionService;
  /** The card profiles (built once by the composition root, shared by every service). */
  profiles: ProfileRegistry;
  /** The rule book (built once by the composition root, asked by every service). */
  rules: RuleBook;
  now?: () => Date;
}

/** What direct issue (`production.start`) asks for: the card of a person, produced at once on a reader. */
export interface DirectIssueInput {
  personId: string;
  readerName: string;
  /** Card profile id; defaults to the person's affiliation. */
  profile?: string;
  /** Overrides every slot's algorithm. */
  algorithm?: KeyAlgorithm;
  /** The cardholder's PIN; absent → generated. */
  pin?: string;
}

/** A request change, for `request.changed`. */
export interface RequestChange {
  requestId: string;
  state: RequestState;
}

/** What production of a request starts: a new job, or the failed job to resume. */
export interface RequestProduction {
  job: JobRecord;
  /** True when the job already existed (a failed production resumed). */
  resumed: boolean;
}

/** The request state that follows a job's status. */
function stateForJob(status: JobRecord['status']): RequestState {
  switch (status) {
    case 'done':
      return 'produced';
    case 'failed':
      return 'production_failed';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'in_production';
  }
}

/** The request service. */
export class RequestService {
  private readonly listeners = new Set<(c: RequestChange) => void>();
  private readonly now: () => Date;
  private readonly rules: RuleBook;

  constructor(private readonly deps: RequestServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.rules = deps.rules;
  }

  /** Subscribes to request changes. @returns unsubscribe */
  onChanged(listener: (c: RequestChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Creates a request. Officers call through `requests.create` (source
   * 'desk'); a kiosk may only request for its own person (source 'kiosk'); the
   * IDPRS (source 'idprs') passes `cprId`. A card that needs no approver (the
   * rule book's approval rule) is approved at once by the station.
   * @throws StationError NOT_AUTHENTICATED, FORBIDDEN (role; for oneself), NOT_FOUND_RECORD (person),
   *   INVALID_INPUT (profile), REQUEST_STATE (the person already has an open request; details.requestId)
   */
  create(input: { personId: string; profile: CardRequest['profile']; cprId?: string | null }, caller: Caller): CardRequestView {
    const { store } = this.deps;
    let source: RequestSource;
    let via: Performer;
    switch (caller.kind) {
      case 'officer':
        source = 'desk';
        via = 'requests.create';
        break;
      case 'kiosk':
        assertKioskMayRequestFor(caller, input.personId);
        source = 'kiosk';
        via = 'kiosk.request';
        break;
      case 'idprs':
        source = 'idprs';
        via = 'idprs';
        break;
      default:
        throw new StationError('NOT_AUTHENTICATED', 'Log in as an officer first.');
    }
    const requestedBy = caller.kind === 'officer' ? caller.officer.id : null;
    const person = store.persons.get(input.personId);
    if (!person) throw new StationError('NOT_FOUND_RECORD', 'There is no such person.', { personId: input.personId });
    this.refusedAudited(caller, 'request.create', person.id, null, () =>
      this.rules.request('request', null, caller, via, { cardholder: person.id, requester: requestedBy, approver: null }),
    );
    const profile = this.deps.profiles.profile(input.profile);
    const request = store.transaction(() => {
      this.assertNoOpenRequest(person);
      let r = store.requests.create({ personId: person.id, profile: profile.id, source, requestedBy, cprId: input.cprId ?? null });
      store.audit.append({ actor: actorOf(caller), action: 'request.created', outcome: 'ok', personId: person.id, details: { requestId: r.id, profile: profile.id, source } });
      recordNotification(store, { type: 'request.created', personId: person.id, requestId: r.id }, this.now());
      if (this.rules.approvalNeeded(person, profile.id, source) === null) r = this.approveByStation(r);
      return r;
    });
    this.changed(request);
    return this.view(request);
  }

  /**
   * Direct issue (`production.start`, the Issue card screen): the same request
   * record as a desk request, under the same approval policy, and its
   * production at once by the same officer. Refused, changing nothing, when
   * the card needs an approver, when the officer may not both request and
   * produce it (roles; the agency's requester/producer setting), or for
   * oneself. The caller runs the job and reports its end ({@link jobSettled}).
   * @returns the job to run
   * @throws StationError FORBIDDEN (details.rule), NOT_FOUND_RECORD, INVALID_INPUT (profile, PIN), REQUEST_STATE (open request)
   */
  issueDirect(input: DirectIssueInput, caller: Caller): JobRecord {
    const { store, production } = this.deps;
    const person = store.persons.get(input.personId);
    if (!person) throw new StationError('NOT_FOUND_RECORD', 'There is no such person.', { personId: input.personId });
    const profile = this.deps.profiles.profile(input.profile ?? person.affiliation);
    const officer = this.refusedAudited(caller, 'production.start', person.id, null, () => {
      const o = this.rules.officer(caller, 'production.start');
      this.rules.assertDirectIssue(o, person, profile.id);
      // The rows of the state machines the call performs: the request made, and its card produced by the same officer.
      const parties = { cardholder: person.id, requester: o.id, approver: null };
      this.rules.request('request', null, caller, 'production.start', parties);
      this.rules.assertDuties('card', 'produce', 'approved', o, parties);
      return o;
    });
    assertPinFollowsPolicy(profile.pinPolicy, input.pin);
    const { request, job } = store.transaction(() => {
      this.assertNoOpenRequest(person);
      let r = store.requests.create({ personId: person.id, profile: profile.id, source: 'desk', requestedBy: officer.id });
      store.audit.append({ actor: officer.username, action: 'request.created', outcome: 'ok', personId: person.id, details: { requestId: r.id, profile: profile.id, source: 'desk', direct: true } });
      recordNotification(store, { type: 'request.created', personId: person.id, requestId: r.id }, this.now());
      r = this.approveByStation(r);
      const started = production.createJobForCard(r.cardId!, input.readerName, input.pin, input.algorithm);
      return { request: this.recordProduction(r, started, input.readerName, officer, false), job: started };
    });
    this.changed(request);
    return job;
  }

  /** The station's approval of a card that needs no approver, in the caller's transaction. */
  private approveByStation(r: CardRequest): CardRequest {
    const { store } = this.deps;
    this.rules.request('approve', r, { kind: 'station' }, 'station');
    const person = store.persons.get(r.personId)!;
    const card = createCardObject(this.deps, person, r.profile, this.now(), 'approval', { requestedBy: r.requestedBy, approvedBy: null });
    const approved = store.requests.update(r.id, { state: 'approved', decidedAt: this.now().toISOString(), decisionReason: 'This card needs no approval.', cardId: card.id });
    store.audit.append({ actor: 'station', action: 'request.approved', outcome: 'ok', personId: person.id, cardId: card.id, details: { requestId: r.id, cardNumber: card.cardNumber, automatic: true } });
    recordNotification(store, { type: 'request.approved', personId: person.id, requestId: r.id, cardId: card.id, data: { automatic: true } }, this.now());
    return approved;
  }

  /** One open request per person. @throws StationError REQUEST_STATE (details.requestId) */
  private assertNoOpenRequest(person: { id: string; givenName: string; surname: string }): void {
    const open = this.deps.store.requests.openForPerson(person.id)[0];
    if (open) {
      throw new StationError('REQUEST_STATE', `${person.givenName} ${person.surname} already has an open card request (${open.state.replace('_', ' ')}).`, {
        requestId: open.id,
        state: open.state,
      });
    }
  }

  /**
   * Runs `check`; a refusal (FORBIDDEN) is audited outside any transaction,
   * so it stays in the log, and rethrown.
   */
  private refusedAudited<T>(caller: Caller, action: string, personId: string | null, details: Record<string, unknown> | null, check: () => T): T {
    try {
      return check();
    } catch (e) {
      if (e instanceof StationError && e.code === 'FORBIDDEN') {
        this.deps.store.audit.append({ actor: actorOf(caller), action, outcome: 'refused', personId, details: { ...details, rule: String(e.details.rule ?? e.details.roles ?? 'forbidden') } });
      }
      throw e;
    }
  }

  /**
   * Approves a pending request and creates its card object (card number,
   * FASC-N credential number, GUID, expiration, escrowed PUK), recording its
   * requester and approver.
   * @throws StationError FORBIDDEN (role; own request; request for self), REQUEST_STATE (not pending), NOT_FOUND_RECORD
   */
  approve(requestId: string, caller: Caller): CardRequestView {
    const { store } = this.deps;
    const pending = this.require(requestId);
    const officer = this.refusedAudited(caller, 'request.approve', pending.personId, { requestId }, () => {
      const o = this.rules.officer(caller, 'requests.approve');
      this.rules.request('approve', pending, caller, 'requests.approve');
      return o;
    });
    const request = store.transaction(() => {
      const r = this.require(requestId);
      this.rules.request('approve', r, caller, 'requests.approve');
      const parties = this.rules.requestParties(r);
      this.rules.card('approve', null, caller, 'requests.approve', parties);
      const person = store.persons.get(r.personId)!;
      const card = createCardObject(this.deps, person, r.profile, this.now(), 'approval', { requestedBy: r.requestedBy, approvedBy: officer.id });
      const updated = store.requests.update(r.id, { state: 'approved', decidedBy: officer.id, decidedAt: this.now().toISOString(), cardId: card.id });
      store.audit.append({ actor: officer.username, action: 'request.approved', outcome: 'ok', personId: r.personId, cardId: card.id, details: { requestId, cardNumber: card.cardNumber } });
      recordNotification(store, { type: 'request.approved', personId: r.personId, requestId, cardId: card.id, data: { automatic: false } }, this.now());
      return updated;
    });
    this.changed(request);
    return this.view(request);
  }

  /**
   * Rejects a pending request with a reason.
   * @throws StationError FORBIDDEN (role), REQUEST_STATE (not pending), INVALID_INPUT (no reason), NOT_FOUND_RECORD
   */
  reject(requestId: string, reason: string, caller: Caller): CardRequestView {
    const { store } = this.deps;
    const officer = this.rules.officer(caller, 'requests.reject');
    const text = reason.trim();
    if (text.length < 3) throw new StationError('INVALID_INPUT', 'Give a reason for the rejection.', { field: 'reason' });
    const request = store.transaction(() => {
      const r = this.require(requestId);
      this.rules.request('reject', r, caller, 'requests.reject');
      const updated = store.requests.update(r.id, { state: 'rejected', decidedBy: officer.id, decidedAt: this.now().toISOString(), decisionReason: text.slice(0, 500) });
      store.audit.append({ actor: officer.username, action: 'request.rejected', outcome: 'ok', personId: r.personId, details: { requestId, reason: text.slice(0, 200) } });
      recordNotification(store, { type: 'request.rejected', personId: r.personId, requestId, data: { reason: text.slice(0, 200) } }, this.now());
      return updated;
    });
    this.changed(request);
    return this.view(request);
  }

  /** Requests, oldest first, optionally only in `states`. */
  list(filter: { states?: RequestState[]; personId?: string } = {}): CardRequestView[] {
    return this.deps.store.requests.list(filter).map((r) => this.view(r));
  }

  /** The request, or undefined. */
  get(requestId: string): CardRequestView | undefined {
    const r = this.deps.store.requests.get(requestId);
    return r ? this.view(r) : undefined;
  }

  /** The request. @throws StationError NOT_FOUND_RECORD */
  show(requestId: string): CardRequestView {
    return this.view(this.require(requestId));
  }

  /**
   * Starts production of an approved request on its card object (or resumes
   * the failed job of a request whose production failed), by the officer
   * calling through `via` (requests.produce; batches.start; cards.reissue):
   * the rule book checks the request's and the card's state and separation of
   * duties (never one's own card, never one's own approval, not one's own
   * request where the agency's policy says so). The card records its producer.
   * The caller runs the job (ProductionService.retry) and then reports its end
   * with {@link jobSettled}.
   * @throws StationError FORBIDDEN (role; duties), REQUEST_STATE, NOT_FOUND_RECORD, INVALID_INPUT (PIN)
   */
  startProduction(requestId: string, readerName: string, pin: string | undefined, caller: Caller, via: Performer = 'requests.produce'): RequestProduction {
    const r = this.require(requestId);
    const officer = this.mayProduce(r, caller, via);
    return this.startProductionChecked(r, readerName, pin, officer);
  }

  /**
   * Why `officerId` may not produce request `requestId` through `via` (a
   * batch checks each request before it starts), or undefined.
   */
  productionRefusal(requestId: string, officerId: string | null, via: Performer): StationError | undefined {
    const r = this.deps.store.requests.get(requestId);
    if (!r) return new StationError('NOT_FOUND_RECORD', `There is no card request ${requestId}.`, { requestId });
    try {
      this.mayProduce(r, this.callerOf(officerId), via);
      return undefined;
    } catch (e) {
      return e instanceof StationError ? e : new StationError('INTERNAL', 'The production could not be checked.');
    }
  }

  /**
   * The job of a batch item (its start was checked with {@link productionRefusal}):
   * always a generated PIN, produced by the officer who started the batch,
   * asked of the rule book again now. @returns the job id
   * @throws StationError REQUEST_STATE, NOT_FOUND_RECORD, FORBIDDEN
   */
  createProductionJob(requestId: string, readerName: string, producerId: string | null): string {
    return this.startProduction(requestId, readerName, undefined, this.callerOf(producerId), 'batches.start').job.id;
  }

  /**
   * A failed (or interrupted) job of a card runs again (jobs.retry): the rule
   * book checks the producer as for any production; the card records them and
   * its request is back in production.
   * @throws StationError FORBIDDEN (role; duties), CARD_STATE, REQUEST_STATE, NOT_FOUND_RECORD
   */
  retryJob(jobId: string, caller: Caller, via: Performer = 'jobs.retry'): void {
    const { store } = this.deps;
    const job = store.jobs.get(jobId);
    if (!job) throw new StationError('NOT_FOUND_RECORD', `There is no production job ${jobId}.`);
    const card = store.cards.get(job.cardId)!;
    const r = store.requests.findByCard(job.cardId);
    const officer = this.refusedAudited(caller, 'job.retry', job.personId, { jobId }, () => {
      const o = this.rules.officer(caller, 'jobs.retry');
      this.rules.card('produce', card, caller, via);
      if (r) this.rules.request('produce', r, caller, via);
      return o;
    });
    store.transaction(() => {
      store.cards.update(card.id, { producedBy: officer.id });
      store.audit.append({ actor: officer.username, action: 'job.retry', outcome: 'ok', personId: job.personId, cardId: card.id, jobId, details: { requestId: r?.id ?? null } });
    });
    this.jobStarted(jobId);
  }

  /** The officer of `officerId` as a caller (a batch's creator), or anonymous. */
  private callerOf(officerId: string | null): Caller {
    const record = officerId ? this.deps.store.officers.get(officerId) : undefined;
    return record && record.status === 'active' ? { kind: 'officer', officer: toOfficer(record), sessionId: 'batch' } : { kind: 'anonymous' };
  }

  /** The rule book's production checks on request `r` and its card; a refusal is audited. @returns the producing officer */
  private mayProduce(r: CardRequest, caller: Caller, via: Performer): Officer {
    return this.refusedAudited(caller, 'request.produce', r.personId, { requestId: r.id }, () => {
      const o = this.rules.officer(caller, via as Channel);
      this.rules.request('produce', r, caller, via);
      const card = r.cardId ? this.deps.store.cards.get(r.cardId) : undefined;
      if (card) this.rules.card('produce', card, caller, via);
      return o;
    });
  }

  /** A failed job of a request's card runs again: the request is back in production. */
  jobStarted(jobId: string): void {
    const { store } = this.deps;
    const job = store.jobs.get(jobId);
    const r = job ? store.requests.findByCard(job.cardId) : undefined;
    if (!r || r.state !== 'production_failed') return;
    this.changed(store.requests.update(r.id, { state: 'in_production' }));
  }

  /**
   * Brings the request of a job's card in line with the job's status
   * (done → produced, failed → production_failed, cancelled → cancelled).
   * Jobs of cards produced without a request are ignored.
   */
  jobSettled(jobId: string): CardRequestView | undefined {
    const { store } = this.deps;
    const job = store.jobs.get(jobId);
    if (!job) return undefined;
    const r = store.requests.findByCard(job.cardId);
    if (!r) return undefined;
    const state = stateForJob(job.status);
    if (state === r.state) return this.view(r);
    const updated = store.transaction(() => {
      const u = store.requests.update(r.id, { state });
      store.audit.append({ actor: 'station', action: `request.${state}`, outcome: state === 'produced' ? 'ok' : 'failed', personId: r.personId, cardId: job.cardId, jobId, details: { requestId: r.id } });
      return u;
    });
    this.changed(updated);
    return this.view(updated);
  }

  /**
   * IDPRS delete-request: cancels the request made from that IDPRS request
   * (its card object too) and marks its CPR deleted. A request whose card is
   * being or was produced cannot be deleted.
   * @throws StationError NOT_FOUND_RECORD (no such IDPRS request), REQUEST_STATE
   */
  async deleteForIdprs(idprsRequestId: string): Promise<CardRequestView> {
    const { store, production } = this.deps;
    const r = store.requests.findByIdprsRequestId(idprsRequestId);
    if (!r) throw new StationError('NOT_FOUND_RECORD', 'There is no issuance request with that IDPRS request id.', { idprsRequestId });
    if (r.state === 'in_production' || r.state === 'produced') {
      throw new StationError('REQUEST_STATE', `The card of this request is ${r.state === 'produced' ? 'already produced: revoke it instead' : 'being produced: wait for the production to end'}.`, { requestId: r.id, state: r.state });
    }
    if (r.state === 'production_failed' && r.cardId) {
      // The failed job may have had certificates issued: cancelling it revokes them.
      const jobId = store.requests.latestJobIdForCard(r.cardId);
      if (jobId) await production.cancel(jobId, 'Deleted by the IDPRS.');
    }
    const updated = store.transaction(() => {
      const current = this.require(r.id);
      let u = current;
      if (current.state === 'requested' || current.state === 'approved' || current.state === 'production_failed') {
        u = store.requests.update(current.id, { state: 'cancelled', decisionReason: 'Deleted by the IDPRS.' });
        if (current.cardId) {
          const card = store.cards.get(current.cardId);
          if (card && card.status === 'approved') store.cards.update(card.id, { status: 'cancelled' });
        }
      }
      store.db.prepare("UPDATE cprs SET status = 'deleted' WHERE idprs_request_id = ?").run(idprsRequestId);
      store.audit.append({ actor: 'idprs', action: 'request.deleted', outcome: 'ok', personId: current.personId, cardId: current.cardId, details: { requestId: current.id, idprsRequestId: idprsRequestId.slice(0, 64) } });
      recordNotification(store, { type: 'request.deleted', personId: current.personId, requestId: current.id, cardId: current.cardId }, this.now());
      return u;
    });
    this.changed(updated);
    return this.view(updated);
  }

  private startProductionChecked(r: CardRequest, readerName: string, pin: string | undefined, officer: Officer): RequestProduction {
    const { store, production } = this.deps;
    let result: RequestProduction;
    if (r.state === 'approved' && r.cardId) {
      const job = production.createJobForCard(r.cardId, readerName, pin);
      result = { job, resumed: false };
    } else if (r.state === 'production_failed' && r.cardId) {
      const jobId = store.requests.latestJobIdForCard(r.cardId);
      const job = jobId ? store.jobs.get(jobId) : undefined;
      if (!job || job.status !== 'failed') throw this.stateError(r, 'produced');
      if ((job.params as { pinSource?: string }).pinSource === 'given' && !pin) {
        throw new StationError('INVALID_INPUT', "This card's production needs the cardholder's PIN again: ask the cardholder to type it.", { field: 'pin' });
      }
      result = { job, resumed: true };
    } else {
      throw this.stateError(r, 'produced');
    }
    const updated = store.transaction(() => this.recordProduction(r, result.job, readerName, officer, result.resumed));
    this.changed(updated);
    return result;
  }

  /** The request in production and its card's producer, audited (in the caller's transaction). */
  private recordProduction(r: CardRequest, job: JobRecord, readerName: string, officer: Officer, resumed: boolean): CardRequest {
    const { store } = this.deps;
    const u = store.requests.update(r.id, { state: 'in_production' });
    if (r.cardId) store.cards.update(r.cardId, { producedBy: officer.id });
    store.audit.append({ actor: officer.username, action: 'request.production', outcome: 'ok', personId: r.personId, cardId: r.cardId, jobId: job.id, details: { requestId: r.id, reader: readerName, resumed } });
    return u;
  }

  private require(requestId: string): CardRequest {
    const r = this.deps.store.requests.get(requestId);
    if (!r) throw new StationError('NOT_FOUND_RECORD', 'There is no such card request.', { requestId });
    return r;
  }

  private stateError(r: CardRequest, wanted: string): StationError {
    return new StationError('REQUEST_STATE', `This request is ${r.state.replace('_', ' ')}; it cannot be ${wanted}.`, { requestId: r.id, state: r.state });
  }

  private view(r: CardRequest): CardRequestView {
    const { store } = this.deps;
    const person = store.persons.get(r.personId);
    const card = r.cardId ? store.cards.get(r.cardId) : undefined;
    return {
      id: r.id,
      number: r.number,
      personId: r.personId,
      personName: person ? `${person.givenName} ${person.surname}` : '',
      person: person ? { affiliation: person.affiliation, employeeId: person.employeeId, email: person.email } : null,
      profile: r.profile,
      state: r.state,
      source: r.source,
      requestedBy: r.requestedBy ? (store.officers.get(r.requestedBy)?.username ?? null) : null,
      requesterId: r.requestedBy,
      decidedBy: r.decidedBy ? (store.officers.get(r.decidedBy)?.username ?? null) : null,
      approverId: r.decidedBy,
      decidedAt: r.decidedAt,
      decisionReason: r.decisionReason,
      cardId: r.cardId,
      cardNumber: card?.cardNumber ?? null,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }

  private changed(r: CardRequest): void {
    for (const l of this.listeners) {
      try {
        l({ requestId: r.id, state: r.state });
      } catch {
        // a faulty listener must not undo a committed transition
      }
    }
  }
}
