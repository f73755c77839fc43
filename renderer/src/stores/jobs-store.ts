/**
 * Jobs store: the production queue and the jobs the officer is watching.
 * `job.event` moves a step's state at once (so the list never lags the card),
 * then `jobs.get` refreshes the job from the core, which stays the authority.
 * One-time secrets (PUK, generated PIN) are taken once per job and held only
 * in memory until the production screen forgets them.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EventPayload, JobDetail, JobSummary } from '../../../electron/contract/station-api';
import type { StationApi } from '../api';
import { errorSentence } from '../api-error';

export type QueueFilter = 'all' | 'failed' | 'running' | 'done' | 'cancelled';

/** Job statuses each queue filter asks the core for (undefined: every job). */
export const FILTER_STATUSES: Record<QueueFilter, JobSummary['status'][] | undefined> = {
  all: undefined,
  failed: ['failed'],
  running: ['pending', 'running'],
  done: ['done'],
  cancelled: ['cancelled'],
};

export interface JobSecrets {
  puk?: string;
  pin?: string;
}

export interface JobsState {
  filter: QueueFilter;
  list: JobSummary[];
  listError: string | null;
  /** Jobs loaded with `jobs.get`, by id. */
  jobs: Record<string, JobDetail>;
  /** Sentence of the last failed action (get/retry/cancel) per job. */
  errors: Record<string, string | null>;
  /** Secrets taken for a job (held until `forgetSecrets`). */
  secrets: Record<string, JobSecrets>;
  /** Subscribes to `job.event`; returns the unsubscribe function. */
  start(): () => void;
  setFilter(filter: QueueFilter): Promise<void>;
  /** Reloads the queue with the current filter. */
  loadList(): Promise<void>;
  /** Loads (or refreshes) one job. */
  load(jobId: string): Promise<JobDetail | null>;
  /** `jobs.retry` in the given reader; returns false and sets `errors[jobId]` when refused. */
  retry(jobId: string, readerName: string, pin?: string): Promise<boolean>;
  /** `jobs.cancel` with the officer's reason; returns false and sets `errors[jobId]` when refused. */
  cancel(jobId: string, reason: string): Promise<boolean>;
  /**
   * `jobs.takeSecrets` with `keep`, called at most once per job for the
   * store's lifetime: the core keeps them for this officer until
   * {@link recordSecrets}, so a reload of the result screen shows them again.
   */
  takeSecrets(jobId: string): Promise<JobSecrets>;
  /**
   * The officer confirmed the PUK (and generated PIN) are recorded: the core
   * drops them (`jobs.takeSecrets` without keep) and so does this store.
   * @returns false (and `errors[jobId]`) when the core refused
   */
  recordSecrets(jobId: string): Promise<boolean>;
  /** Drops the job's secrets from memory (the screen showing them closed). */
  forgetSecrets(jobId: string): void;
  /**
   * The PIN mailer of a finished job with a generated PIN (`jobs.pinMailer`): printed on `queue`,
   * or the PDF (bytes) to save. It takes the PIN: the secrets then hold the PUK only.
   * @returns the PDF bytes, 'printed', or the sentence why not
   */
  pinMailer(jobId: string, queue?: string): Promise<{ pdf: Uint8Array } | 'printed' | { error: string }>;
  /** The OS print queues (`printers.list`), for the PIN mailer's printer. */
  printers(): Promise<{ name: string; state: string; accepting: boolean }[] | { error: string }>;
}

export type JobsStore = StoreApi<JobsState>;

type JobEvent = EventPayload<'job.event'>;

/** The job as it is after one event, before the core's refresh arrives. */
export function applyJobEvent(job: JobDetail, e: JobEvent): JobDetail {
  const setStep = (status: JobDetail['steps'][number]['status']) =>
    job.steps.map((s) => (s.name === e.step ? { ...s, status } : s));
  switch (e.type) {
    case 'job.started':
      return { ...job, status: 'running', failure: null, failedStep: null };
    case 'job.step.started':
      // A step that starts counts an attempt (a step proven done without running keeps 0: "not needed" on screen).
      return { ...job, status: 'running', steps: job.steps.map((s) => (s.name === e.step ? { ...s, status: 'running', attempts: s.attempts + 1 } : s)) };
    case 'job.step.finished':
    case 'job.step.skipped':
      return { ...job, steps: setStep('done') };
    case 'job.step.failed':
      return { ...job, steps: setStep('failed'), failedStep: e.step ?? job.failedStep, failure: e.sentence ?? job.failure };
    case 'job.failed':
      return { ...job, status: 'failed', failure: e.sentence ?? job.failure };
    case 'job.finished':
      return { ...job, status: 'done' };
    case 'job.cancelled':
      return { ...job, status: 'cancelled', cancelReason: e.sentence ?? job.cancelReason };
  }
}

/** Builds the jobs store over a StationApi. */
export function createJobsStore(api: StationApi): JobsStore {
  const taken = new Map<string, Promise<JobSecrets>>();
  /** Newest `jobs.get` per job: older answers are dropped. */
  const latestGet = new Map<string, number>();
  let latestList = 0;

  return createStore<JobsState>()((set, get) => {
    const setError = (jobId: string, error: string | null) => set((s) => ({ errors: { ...s.errors, [jobId]: error } }));

    return {
      filter: 'all',
      list: [],
      listError: null,
      jobs: {},
      errors: {},
      secrets: {},
      start() {
        return api.subscribe('job.event', (e) => {
          const job = get().jobs[e.jobId];
          if (job) set((s) => ({ jobs: { ...s.jobs, [e.jobId]: applyJobEvent(job, e) } }));
          if (job) void get().load(e.jobId);
          // The queue shows statuses: refresh it when a job starts or ends.
          if (e.type === 'job.started' || e.type === 'job.finished' || e.type === 'job.failed' || e.type === 'job.cancelled') void get().loadList();
        });
      },
      async setFilter(filter) {
        set({ filter });
        await get().loadList();
      },
      async loadList() {
        const mine = ++latestList;
        const status = FILTER_STATUSES[get().filter];
        try {
          const list = await api.call('jobs.list', status ? { status } : {});
          if (mine === latestList) set({ list, listError: null });
        } catch (e) {
          if (mine === latestList) set({ listError: errorSentence(e) });
        }
      },
      async load(jobId) {
        const mine = (latestGet.get(jobId) ?? 0) + 1;
        latestGet.set(jobId, mine);
        try {
          const job = await api.call('jobs.get', { jobId });
          if (latestGet.get(jobId) !== mine) return get().jobs[jobId] ?? null;
          set((s) => ({ jobs: { ...s.jobs, [jobId]: job }, errors: { ...s.errors, [jobId]: null } }));
          return job;
        } catch (e) {
          if (latestGet.get(jobId) === mine) setError(jobId, errorSentence(e));
          return null;
        }
      },
      async retry(jobId, readerName, pin) {
        setError(jobId, null);
        try {
          await api.call('jobs.retry', { jobId, readerName, ...(pin ? { pin } : {}) });
          await get().load(jobId);
          return true;
        } catch (e) {
          setError(jobId, errorSentence(e));
          return false;
        }
      },
      async cancel(jobId, reason) {
        setError(jobId, null);
        try {
          await api.call('jobs.cancel', { jobId, reason });
          await get().load(jobId);
          void get().loadList();
          return true;
        } catch (e) {
          setError(jobId, errorSentence(e));
          return false;
        }
      },
      takeSecrets(jobId) {
        const already = taken.get(jobId);
        if (already) return already;
        const p = api.call('jobs.takeSecrets', { jobId, keep: true }).then(
          (secrets) => {
            set((s) => ({ secrets: { ...s.secrets, [jobId]: secrets } }));
            return secrets;
          },
          (e: unknown) => {
            setError(jobId, errorSentence(e));
            return {};
          },
        );
        taken.set(jobId, p);
        return p;
      },
      async recordSecrets(jobId) {
        setError(jobId, null);
        try {
          await api.call('jobs.takeSecrets', { jobId });
          get().forgetSecrets(jobId);
          return true;
        } catch (e) {
          setError(jobId, errorSentence(e));
          return false;
        }
      },
      forgetSecrets(jobId) {
        set((s) => {
          const { [jobId]: _gone, ...rest } = s.secrets;
          return { secrets: rest };
        });
      },
      async pinMailer(jobId, queue) {
        try {
          const r = await api.call('jobs.pinMailer', { jobId, ...(queue ? { queue } : {}) });
          if (r.printJob !== null) return 'printed';
          if (r.pdf === null) return { error: 'No generated PIN waits for a mailer: the cardholder chose the PIN, or its mailer was made already.' };
          const binary = atob(r.pdf);
          return { pdf: Uint8Array.from(binary, (c) => c.charCodeAt(0)) };
        } catch (e) {
          return { error: errorSentence(e) };
        }
      },
      async printers() {
        try {
          return await api.call('printers.list', {});
        } catch (e) {
          return { error: errorSentence(e) };
        }
      },
    };
  });
}

/** The jobs whose one-time secrets are shown and not yet confirmed as recorded (the result screen may not be left). */
export function unrecordedSecrets(state: Pick<JobsState, 'secrets'>): string[] {
  return Object.entries(state.secrets)
    .filter(([, s]) => !!(s.puk || s.pin))
    .map(([jobId]) => jobId);
}

/** Steps done and total, for the progress bar. */
export function progressOf(job: JobDetail): { done: number; total: number } {
  return { done: job.steps.filter((s) => s.status === 'done').length, total: job.steps.length };
}
