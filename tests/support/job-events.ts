/** Waits for a production job's ending event through the core's own event stream (no polling, no sleeps). */
import type { EventPayload } from '../../electron/contract/station-api.js';
import type { StationCore } from '../../electron/core/dispatch.js';

const ENDINGS = new Set(['job.finished', 'job.failed', 'job.cancelled']);

/** Records every job event of `core` from now on, and resolves `ended(jobId)` with a job's (next) ending. */
export function jobEndings(core: StationCore) {
  const seen: EventPayload<'job.event'>[] = [];
  const waiters: { jobId: string; after: number; resolve: (e: EventPayload<'job.event'>) => void }[] = [];
  const off = core.on('job.event', (e) => {
    seen.push(e);
    if (!ENDINGS.has(e.type)) return;
    for (const w of waiters.filter((x) => x.jobId === e.jobId)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(e);
    }
  });
  return {
    seen,
    /** The job's next ending event (one already seen since `from` counts). */
    ended(jobId: string, from = 0): Promise<EventPayload<'job.event'>> {
      const already = seen.slice(from).find((e) => e.jobId === jobId && ENDINGS.has(e.type));
      if (already) return Promise.resolve(already);
      return new Promise((resolve) => waiters.push({ jobId, after: from, resolve }));
    },
    off,
  };
}
