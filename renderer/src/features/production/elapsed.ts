/**
 * Elapsed time of a job for the progress text: from the first step's start to
 * now while it runs, or to its last recorded moment once it stopped.
 */
import type { JobDetail } from '../../../../electron/contract/station-api';

/** Milliseconds elapsed; 0 before any step started. `now` is epoch ms. */
export function elapsedMs(job: JobDetail, now: number): number {
  const starts = job.steps.map((s) => s.startedAt).filter((t): t is string => t !== null).map(Date.parse);
  if (starts.length === 0) return 0;
  const start = Math.min(...starts);
  if (job.status === 'running' || job.status === 'pending') return Math.max(0, now - start);
  const ends = job.steps.map((s) => s.finishedAt ?? s.startedAt).filter((t): t is string => t !== null).map(Date.parse);
  return Math.max(0, Math.max(...ends) - start);
}

/** "m:ss" for a duration in milliseconds. */
export function formatElapsed(ms: number): string {
  const total = Math.floor(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
