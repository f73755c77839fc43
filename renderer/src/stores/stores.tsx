/**
 * All stores of one renderer, built from one StationApi, and the React
 * context that hands them to components (tests build them from a fake API).
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StationApi } from '../api';
import { createReadersStore, type ReadersState, type ReadersStore } from './readers-store';
import { createPersonsStore, type PersonsState, type PersonsStore } from './persons-store';
import { createIssueStore, type IssueState, type IssueStore } from './issue-store';
import { createJobsStore, type JobsState, type JobsStore } from './jobs-store';
import { createStationStore, type StationState, type StationStore } from './station-store';

export interface Stores {
  station: StationStore;
  readers: ReadersStore;
  persons: PersonsStore;
  issue: IssueStore;
  jobs: JobsStore;
}

/** Builds every store over `api`; `debounceMs` tunes the person search (tests use 0). */
export function createStores(api: StationApi, options: { debounceMs?: number } = {}): Stores {
  return {
    station: createStationStore(api),
    readers: createReadersStore(api),
    persons: createPersonsStore(api, options),
    issue: createIssueStore(api),
    jobs: createJobsStore(api),
  };
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
/** The stores themselves, for effects that call actions outside rendering. */
export { useStores };
