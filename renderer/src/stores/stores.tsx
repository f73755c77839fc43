/**
 * All stores of one renderer, built from one StationApi, and the React
 * context that hands them to components (tests build them from a fake API).
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StationApi } from '../api';
import { createReadersStore, type ReadersState, type ReadersStore } from './readers-store';
import { createPersonsStore, PERSONS_BROWSE_EMPTY, type PersonsState, type PersonsStore } from './persons-store';
import { createIssueStore, type IssueState, type IssueStore } from './issue-store';
import { createJobsStore, type JobsState, type JobsStore } from './jobs-store';
import { createStationStore, type StationState, type StationStore } from './station-store';
import { createSessionStore, type SessionState, type SessionStore } from './session-store';
import { createRequestsStore, type RequestsState, type RequestsStore } from './requests-store';
import { createBatchesStore, type BatchesState, type BatchesStore } from './batches-store';
import { createOfficersStore, type OfficersState, type OfficersStore } from './officers-store';
import { createCardsStore, type CardsState, type CardsStore } from './cards-store';
import { createProfilesStore, type ProfilesState, type ProfilesStore } from './profiles-store';
import { watchSession, type SessionListener } from './session-watch';
import { createKioskStore, type KioskState, type KioskStore } from './kiosk-store';
import { createOutboxStore, OUTBOX_EMPTY, type OutboxState, type OutboxStore } from './outbox-store';
import { createAuditStore, AUDIT_EMPTY, type AuditState, type AuditStore } from './audit-store';
import { createPhotosStore, type PhotosState, type PhotosStore } from './photos-store';
import { createLayoutsStore, type LayoutsState, type LayoutsStore } from './layouts-store';

export interface Stores {
  station: StationStore;
  readers: ReadersStore;
  persons: PersonsStore;
  issue: IssueStore;
  jobs: JobsStore;
  session: SessionStore;
  requests: RequestsStore;
  batches: BatchesStore;
  officers: OfficersStore;
  cards: CardsStore;
  kiosk: KioskStore;
  outbox: OutboxStore;
  audit: AuditStore;
  profiles: ProfilesStore;
  photos: PhotosStore;
  layouts: LayoutsStore;
}

/**
 * Builds every store over `api`; `debounceMs` tunes the person search (tests use 0).
 * Every call goes through the session watch, so a SESSION_LOCKED answer on any
 * screen brings up the lock overlay and NOT_AUTHENTICATED the login screen.
 */
export function createStores(rawApi: StationApi, options: { debounceMs?: number } = {}): Stores {
  // The session store listens to the API it is built over: tie the knot after building it.
  const listener: { current?: SessionListener } = {};
  const api = watchSession(rawApi, () => listener.current);
  const session = createSessionStore(api);
  listener.current = { locked: () => session.getState().markLocked(), unauthenticated: () => session.getState().markLoggedOut() };
  return {
    session,
    requests: createRequestsStore(api),
    batches: createBatchesStore(api),
    officers: createOfficersStore(api),
    station: createStationStore(api),
    readers: createReadersStore(api),
    persons: createPersonsStore(api, options),
    issue: createIssueStore(api),
    jobs: createJobsStore(api),
    cards: createCardsStore(api),
    kiosk: createKioskStore(api),
    outbox: createOutboxStore(api),
    audit: createAuditStore(api),
    profiles: createProfilesStore(api),
    photos: createPhotosStore(api),
    layouts: createLayoutsStore(api),
  };
}

/**
 * Forgets what the last officer saw and chose (search results, lists, the
 * issue choices and any PIN digits), so the next officer at this window starts
 * clean. Called whenever nobody is logged in any more.
 */
export function forgetOfficerData(stores: Stores): void {
  stores.issue.getState().reset();
  stores.persons.getState().setQuery('');
  stores.persons.setState(PERSONS_BROWSE_EMPTY);
  stores.requests.setState({ list: [], pending: [], approved: [], listError: null, createError: null, errors: {} });
  stores.batches.setState({ list: [], listError: null, startError: null, errors: {} });
  stores.officers.setState({ list: [], listError: null, addError: null });
  stores.jobs.setState({ list: [], listError: null, jobs: {}, errors: {}, secrets: {} });
  stores.cards.setState({ filter: 'all', query: '', list: [], listError: null, detail: null, detailError: null, actionError: null, outcome: null, crl: null, crlError: null, history: null });
  stores.outbox.setState(OUTBOX_EMPTY);
  stores.audit.setState(AUDIT_EMPTY);
  stores.profiles.setState({ list: [], listError: null, saveErrors: {} });
  // Photos are personal data: nothing of the last officer's screens stays in memory.
  stores.photos.setState({ byPerson: {}, errors: {} });
  stores.layouts.setState({ list: [], listError: null, saveErrors: {} });
  stores.station.setState({ counts: null });
}

const StoresContext = createContext<Stores | null>(null);

/** Provides the stores to the component tree. */
export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('StoresProvider is missing above this component.');
  return stores;
}

/** Selects from the station store. */
export const useStation = <T,>(selector: (s: StationState) => T): T => useStore(useStores().station, selector);
/** Selects from the readers store. */
export const useReaders = <T,>(selector: (s: ReadersState) => T): T => useStore(useStores().readers, selector);
/** Selects from the persons store. */
export const usePersons = <T,>(selector: (s: PersonsState) => T): T => useStore(useStores().persons, selector);
/** Selects from the issue store. */
export const useIssue = <T,>(selector: (s: IssueState) => T): T => useStore(useStores().issue, selector);
/** Selects from the jobs store. */
export const useJobs = <T,>(selector: (s: JobsState) => T): T => useStore(useStores().jobs, selector);
/** Selects from the session store. */
export const useSession = <T,>(selector: (s: SessionState) => T): T => useStore(useStores().session, selector);
/** Selects from the requests store. */
export const useRequests = <T,>(selector: (s: RequestsState) => T): T => useStore(useStores().requests, selector);
/** Selects from the batches store. */
export const useBatches = <T,>(selector: (s: BatchesState) => T): T => useStore(useStores().batches, selector);
/** Selects from the officers store. */
export const useOfficers = <T,>(selector: (s: OfficersState) => T): T => useStore(useStores().officers, selector);
/** Selects from the cards store. */
export const useCards = <T,>(selector: (s: CardsState) => T): T => useStore(useStores().cards, selector);
/** Selects from the kiosk store. */
export const useKiosk = <T,>(selector: (s: KioskState) => T): T => useStore(useStores().kiosk, selector);
/** Selects from the Notifications (outbox) store. */
export const useOutbox = <T,>(selector: (s: OutboxState) => T): T => useStore(useStores().outbox, selector);
/** Selects from the audit store. */
export const useAudit = <T,>(selector: (s: AuditState) => T): T => useStore(useStores().audit, selector);
/** Selects from the profiles store. */
export const useProfiles = <T,>(selector: (s: ProfilesState) => T): T => useStore(useStores().profiles, selector);
/** Selects from the photos store. */
export const usePhotos = <T,>(selector: (s: PhotosState) => T): T => useStore(useStores().photos, selector);
/** Selects from the layouts store. */
export const useLayouts = <T,>(selector: (s: LayoutsState) => T): T => useStore(useStores().layouts, selector);
/** The stores themselves, for effects that call actions outside rendering. */
export { useStores };
