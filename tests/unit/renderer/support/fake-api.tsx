/**
 * A fake StationApi for renderer tests: each channel answers from a handler
 * the test gives (or fails with INVALID_INPUT when none is given), every call
 * is recorded, and `emit` delivers events to subscribers as the core would.
 */
import type { BatchView, CardRequestView, Channel, ChannelInput, ChannelOutput, EventName, EventPayload, JobDetail, OfficerView, Person, Reader } from '../../../../electron/contract/station-api';
import { ApiError } from '../../../../renderer/src/api-error';
import type { StationApi } from '../../../../renderer/src/api';

export type Handlers = { [C in Channel]?: (input: ChannelInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>> };

export interface FakeApi extends StationApi {
  calls: { channel: Channel; input: unknown }[];
  callsTo(channel: Channel): unknown[];
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  listenerCount(event: EventName): number;
  handlers: Handlers;
}

/** Builds the fake over `handlers` (mutable afterwards through `.handlers`). */
export function createFakeApi(handlers: Handlers = {}): FakeApi {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const calls: { channel: Channel; input: unknown }[] = [];
  const api: FakeApi = {
    calls,
    handlers,
    callsTo: (channel) => calls.filter((c) => c.channel === channel).map((c) => c.input),
    async call(channel, input) {
      calls.push({ channel, input });
      const h = api.handlers[channel] as ((i: typeof input) => unknown) | undefined;
      if (!h) throw new ApiError({ code: 'INVALID_INPUT', message: `No fake handler for ${channel}.` });
      return (await h(input)) as never;
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (p: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (p: unknown) => void);
    },
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
    listenerCount: (event) => listeners.get(event)?.size ?? 0,
  };
  return api;
}

export const reader = (name: string, over: Partial<Reader> = {}): Reader => ({ name, cardPresent: false, card: 'none', ...over });

export const person = (over: Partial<Person> = {}): Person => ({
  id: 'p-1',
  givenName: 'Ada',
  surname: 'Lovelace',
  email: 'ada@example.gov',
  employeeId: 'E-1815',
  affiliation: 'employee',
  createdAt: '2025-01-01T00:00:00Z',
  ...over,
});

/** The answer of persons.search holding exactly these persons (all of the matches). */
export const matches = (...persons: Person[]): ChannelOutput<'persons.search'> => ({ persons, total: persons.length, more: false });

const STEP_NAMES: [string, string][] = [
  ['connect', 'Connect to the card'],
  ['identify', 'Identify the card'],
  ['authenticate', 'Authenticate with the management key'],
  ['chuid', 'Write the CHUID'],
  ['generate.9a', 'Generate the PIV Authentication key (9a)'],
  ['certify.9a', 'Certify the PIV Authentication key (9a)'],
  ['load.9a', 'Load the PIV Authentication certificate (9a)'],
  ['verify', 'Verify the card'],
];

/** A job detail with the steps above, all pending. */
export const jobDetail = (over: Partial<JobDetail> = {}): JobDetail => ({
  id: 'job-1',
  status: 'running',
  personId: 'p-1',
  personName: 'Ada Lovelace',
  readerName: 'Virtual PCD 00 00',
  failedStep: null,
  failure: null,
  errorCode: null,
  retryable: null,
  cancelReason: null,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
  steps: STEP_NAMES.map(([name, label]) => ({ name, label, status: 'pending', attempts: 0, startedAt: null, finishedAt: null })),
  card: null,
  certificates: [],
  verification: null,
  needsPinForRetry: false,
  ...over,
});

/** Sets every step before `index` to done and the step at `index` to `state`. */
export function withSteps(job: JobDetail, index: number, state: JobDetail['steps'][number]['status']): JobDetail {
  return {
    ...job,
    steps: job.steps.map((s, i) =>
      i < index
        ? { ...s, status: 'done', startedAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:00:01Z' }
        : i === index
          ? { ...s, status: state, startedAt: '2025-01-01T00:00:01Z' }
          : s,
    ),
  };
}

/** Resolves after pending promise callbacks have run. */
export const flush = () => new Promise((r) => setTimeout(r, 0));

/** An active officer (all roles unless given). */
export const officer = (over: Partial<OfficerView> = {}): OfficerView => ({
  id: 'o-1',
  username: 'grace',
  displayName: 'Grace Hopper',
  roles: ['registration', 'approver', 'production', 'security', 'auditor', 'admin'],
  personId: null,
  status: 'active',
  createdAt: '2025-01-01T00:00:00Z',
  ...over,
});

/** A card request waiting for approval, made at the desk by officer o-2. */
export const cardRequest = (over: Partial<CardRequestView> = {}): CardRequestView => ({
  id: 'req-1',
  number: 1,
  personId: 'p-1',
  personName: 'Ada Lovelace',
  profile: 'employee',
  state: 'requested',
  source: 'desk',
  requestedBy: 'o-2',
  requesterId: 'o-2',
  decidedBy: null,
  approverId: null,
  decidedAt: null,
  decisionReason: null,
  cardId: null,
  cardNumber: null,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
  ...over,
});

/** `station.info` of a station (separation of duties: the agency default unless given). */
export const stationInfo = (over: Partial<ChannelOutput<'station.info'>> = {}): ChannelOutput<'station.info'> => ({
  version: '0.1.0',
  organization: 'Test Agency',
  training: false,
  separationOfDuties: { producerDiffersFromRequester: true },
  ...over,
});

/** A running batch with no item yet (give `items` and counts). */
export const batch = (over: Partial<BatchView> = {}): BatchView => ({
  id: 'batch-1',
  number: 1,
  status: 'running',
  readers: [],
  total: 0,
  done: 0,
  failed: 0,
  remaining: 0,
  cardsPerHour: null,
  items: [],
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
  ...over,
});

/** `auth.status` of a station with `who` logged in (null: nobody; firstRun when no officer exists). */
export const authStatus = (who: OfficerView | null, over: Partial<ChannelOutput<'auth.status'>> = {}): ChannelOutput<'auth.status'> => ({
  firstRun: false,
  officer: who,
  locked: false,
  lockAfterSeconds: 900,
  ...over,
});
