/**
 * How the core's records look through the StationApi: persons, profiles and
 * production jobs mapped to the contract's shapes (nothing secret, ids and
 * sentences only). Pure over the store and the production service.
 */
import type { JobDetail, JobSummary, Person, Profile } from '../../contract/station-api.js';
import type { StationStore } from '../store/store.js';
import type { JobRecord, PersonRecord } from '../store/records.js';
import { jobCardView, type ProductionService } from '../issuance/production-service.js';
import type { VerificationReport } from '../issuance/verify-card.js';
import type { ProfileEntry } from '../workflow/profile-registry.js';

/** A person record as the contract's Person (no external id); `photoVersion` when looked up (null: no photo). */
export function personView(p: PersonRecord, photoVersion?: number | null): Person {
  return {
    id: p.id,
    givenName: p.givenName,
    surname: p.surname,
    email: p.email,
    employeeId: p.employeeId,
    affiliation: p.affiliation,
    createdAt: p.createdAt,
    ...(photoVersion !== undefined ? { photoVersion } : {}),
  };
}

/** Persons as the contract's Person, each with their current photo version (one query for the page). */
export function personViews(store: StationStore, persons: PersonRecord[]): Person[] {
  const photos = store.photos.currentInfo(persons.map((p) => p.id));
  return persons.map((p) => personView(p, photos.get(p.id)?.version ?? null));
}

/**
 * Persons as the Persons screen lists them: personViews with where each
 * stands — the newest card (number, status) and the newest open request
 * (number, state) — so the list says who already has a card or a request.
 */
export function personListViews(store: StationStore, persons: PersonRecord[]): Person[] {
  return personViews(store, persons).map((view) => {
    const card = store.cards.listByPerson(view.id).reduce<ReturnType<StationStore['cards']['listByPerson']>[number] | undefined>((newest, c) => (!newest || c.createdAt >= newest.createdAt ? c : newest), undefined);
    const request = store.requests.openForPerson(view.id).at(-1);
    return {
      ...view,
      standing: {
        card: card ? { cardNumber: card.cardNumber, status: card.status } : null,
        request: request ? { number: request.number, state: request.state } : null,
      },
    };
  });
}

/** A stored profile with its version and last change. */
export function profileView(e: ProfileEntry): Profile {
  return { ...e.profile, version: e.version, updatedAt: e.updatedAt, updatedBy: e.updatedBy };
}

/** A job as the queue lists it: status, person's name, card number, the failure sentence and whether a retry can help. */
export function jobSummary(store: StationStore, job: JobRecord): JobSummary {
  const person = store.persons.get(job.personId);
  return {
    id: job.id,
    status: job.status,
    personId: job.personId,
    personName: person ? `${person.givenName} ${person.surname}` : '',
    cardNumber: store.cards.get(job.cardId)?.cardNumber ?? null,
    readerName: job.readerName,
    failedStep: job.failedStep,
    failure: job.status === 'failed' ? (job.error?.message ?? null) : null,
    errorCode: job.error?.code ?? null,
    retryable: job.error ? job.error.retryable : null,
    cancelReason: job.cancelReason,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}

/**
 * A job with its steps, card, certificates and verification report.
 * @throws StationError NOT_FOUND_RECORD when there is no such job
 */
export function jobDetail(store: StationStore, production: Pick<ProductionService, 'show'>, jobId: string): JobDetail {
  const shown = production.show(jobId);
  const card = shown.card;
  const verification = shown.steps.find((s) => s.name === 'verify')?.data?.report as VerificationReport | undefined;
  return {
    ...jobSummary(store, shown.job),
    steps: shown.steps.map((s) => ({
      name: s.name,
      label: s.label,
      status: s.status,
      attempts: s.attempts,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      ms: typeof s.data?.ms === 'number' ? s.data.ms : undefined,
    })),
    card: card ? jobCardView(card) : null,
    certificates: card ? store.certificates.listByCard(card.id).map((c) => ({ slot: c.slot, serial: c.serial, status: c.status, notAfter: c.notAfter })) : [],
    verification: verification ?? null,
    needsPinForRetry: (shown.job.params as { pinSource?: string }).pinSource === 'given',
    pinGenerated: (shown.job.params as { pinSource?: string }).pinSource === 'generated',
  };
}
