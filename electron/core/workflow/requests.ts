/**
 * Card requests (issue 4 "Persons and requests"): a request is created at the
 * desk (registration officer), at a kiosk (the person themselves) or from a
 * CPR (IDPRS); an approver approves or rejects it (profiles without approval
 * are approved on creation); approval creates the card object; production
 * runs on that same card record. Every transition is audited (actor = officer
 * username, 'kiosk' or 'idprs'; never a secret) and reported to listeners
 * (`request.changed`).
 */
import { StationError } from '../errors.js';
import type { StationConfig } from '../config/station-config.js';
import type { ProfileRegistry } from './profile-registry.js';
import type { CardRequestView } from '../../contract/station-api.js';
import type { ProductionService } from '../issuance/production-service.js';
import type { Keyring } from '../pki/keyring.js';
import type { JobRecord } from '../store/records.js';
import type { StationStore } from '../store/store.js';
import { actorOf, assertKioskMayRequestFor, assertMayApprove, assertMayProduceFor, requireOfficer } from './authorization.js';
import { createCardObject } from './requests-card-object.js';
import { recordNotification } from '../notifications/outbox.js';
import type { CardRequest, Caller, RequestSource, RequestState } from './types.js';

export interface RequestServiceDeps {
  store: StationStore;
  config: StationConfig;
  keyring: Keyring;
  production: ProductionService;
  /** The card profiles (built once by the composition root, shared by every service). */
  profiles: ProfileRegistry;
  now?: () => Date;
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

/** The sentence for a production started directly on a profile that needs approval (issue-2 path). */
export const NEEDS_APPROVAL_SENTENCE = 'Cards of this profile need an approved request: create a request and have an approver approve it, then produce the request.';

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

  constructor(private readonly deps: RequestServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Subscribes to request changes. @returns unsubscribe */
  onChanged(listener: (c: RequestChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Creates a request. Officers need the registration role (source 'desk');
   * a kiosk may only request for its own person (source 'kiosk'); the IDPRS
   * (source 'idprs') passes `cprId`. A profile that needs no approval is
   * approved at once (card object created), except for kiosk requests, which
   * always wait for an approver.
   * @throws StationError NOT_AUTHENTICATED, FORBIDDEN, NOT_FOUND_RECORD (person),
   *   INVALID_INPUT (profile), REQUEST_STATE (the person already has an open request; details.requestId)
   */
  create(input: { personId: string; profile: CardRequest['profile']; cprId?: string | null }, caller: Caller): CardRequestView {
    const { store } = this.deps;
    let source: RequestSource;
    let requestedBy: string | null = null;
    switch (caller.kind) {
      case 'officer':
        requestedBy = requireOfficer(caller, ['registration']).id;
        source = 'desk';
        break;
      case 'kiosk':
        assertKioskMayRequestFor(caller, input.personId);
        source = 'kiosk';
        break;
      case 'idprs':
        source = 'idprs';
        break;
      default:
        throw new StationError('NOT_AUTHENTICATED', 'Log in as an officer first.');
    }
    const person = store.persons.get(input.personId);
    if (!person) throw new StationError('NOT_FOUND_RECORD', 'There is no such person.', { personId: input.personId });
    const profile = this.deps.profiles.profile(input.profile);
    const actor = actorOf(caller);
    const request = store.transaction(() => {
      const open = store.requests.openForPerson(person.id)[0];
      if (open) {
        throw new StationError('REQUEST_STATE', `${person.givenName} ${person.surname} already has an open card request (${open.state.replace('_', ' ')}).`, {
          requestId: open.id,
          state: open.state,
        });
      }
      let r = store.requests.create({ personId: person.id, profile: profile.id, source, requestedBy, cprId: input.cprId ?? null });
      store.audit.append({ actor, action: 'request.created', outcome: 'ok', personId: person.id, details: { requestId: r.id, profile: profile.id, source } });
      recordNotification(store, { type: 'request.created', personId: person.id, requestId: r.id }, this.now());
      // A kiosk identifies by attributes on record, weaker than the desk's check: its requests always wait for an approver (kiosk.ts).
      if (!profile.approvalRequired && source !== 'kiosk') {
        const card = createCardObject(this.deps, person, profile.id, this.now());
        r = store.requests.update(r.id, { state: 'approved', decidedAt: this.now().toISOString(), decisionReason: 'This card profile needs no approval.', cardId: card.id });
        store.audit.append({ actor: 'station', action: 'request.approved', outcome: 'ok', personId: person.id, cardId: card.id, details: { requestId: r.id, cardNumber: card.cardNumber, automatic: true } });
        recordNotification(store, { type: 'request.approved', personId: person.id, requestId: r.id, cardId: card.id, data: { automatic: true } }, this.now());
      }
      return r;
    });
    this.changed(request);
    return this.view(request);
  }

  /**
   * Approves a pending request and creates its card object (card number,
   * FASC-N credential number, GUID, expiration, escrowed PUK).
   * @throws StationError FORBIDDEN (role; own request; request for self), REQUEST_STATE (not pending), NOT_FOUND_RECORD
   */
  approve(requestId: string, caller: Caller): CardRequestView {
    const { store } = this.deps;
    const officer = requireOfficer(caller, ['approver']);
    const pending = this.require(requestId);
    try {
      assertMayApprove(officer, pending);
    } catch (e) {
      // Recorded outside any transaction: a refusal must stay in the log.
      store.audit.append({ actor: officer.username, action: 'request.approve', outcome: 'refused', personId: pending.personId, details: { requestId, rule: String((e as StationError).details.rule) } });
      throw e;
    }
    const request = store.transaction(() => {
      const r = this.require(requestId);
      if (r.state !== 'requested') throw this.stateError(r, 'approved');
      const person = store.persons.get(r.personId)!;
      const card = createCardObject(this.deps, person, r.profile, this.now());
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
    const officer = requireOfficer(caller, ['approver']);
    const text = reason.trim();
    if (text.length < 3) throw new StationError('INVALID_INPUT', 'Give a reason for the rejection.', { field: 'reason' });
    const request = store.transaction(() => {
      const r = this.require(requestId);
      if (r.state !== 'requested') throw this.stateError(r, 'rejected');
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
   * the failed job of a request whose production failed). The caller runs the
   * job (ProductionService.retry) and then reports its end with {@link jobSettled}.
   * @throws StationError FORBIDDEN (role; producing for self), REQUEST_STATE, NOT_FOUND_RECORD, INVALID_INPUT (PIN)
   */
  startProduction(requestId: string, readerName: string, pin: string | undefined, caller: Caller): RequestProduction {
    const officer = requireOfficer(caller, ['production']);
    const r = this.require(requestId);
    try {
      assertMayProduceFor(officer, r.personId);
    } catch (e) {
      this.deps.store.audit.append({ actor: officer.username, action: 'request.produce', outcome: 'refused', personId: r.personId, details: { requestId, rule: 'produceForSelf' } });
      throw e;
    }
    return this.startProductionUnchecked(r, readerName, pin, officer.username);
  }

  /**
   * The same for a batch (its start was authorized by the batch service):
   * always a generated PIN. @returns the job id
   * @throws StationError REQUEST_STATE, NOT_FOUND_RECORD
   */
  createProductionJob(requestId: string, readerName: string): string {
    return this.startProductionUnchecked(this.require(requestId), readerName, undefined, 'station').job.id;
  }

  /** A failed job of a request's card runs again (jobs.retry): the request is back in production. */
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

  private startProductionUnchecked(r: CardRequest, readerName: string, pin: string | undefined, actor: string): RequestProduction {
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
    const updated = store.transaction(() => {
      const u = store.requests.update(r.id, { state: 'in_production' });
      store.audit.append({ actor, action: 'request.production', outcome: 'ok', personId: r.personId, cardId: r.cardId, jobId: result.job.id, details: { requestId: r.id, reader: readerName, resumed: result.resumed } });
      return u;
    });
    this.changed(updated);
    return result;
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
      personId: r.personId,
      personName: person ? `${person.givenName} ${person.surname}` : '',
      profile: r.profile,
      state: r.state,
      source: r.source,
      requestedBy: r.requestedBy ? (store.officers.get(r.requestedBy)?.username ?? null) : null,
      decidedBy: r.decidedBy ? (store.officers.get(r.decidedBy)?.username ?? null) : null,
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
