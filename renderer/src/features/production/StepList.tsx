/**
 * The job's steps in order with their state, so the officer sees what the
 * card is doing. Key generation can take seconds on a real card: a running
 * generate step says so.
 */
import type { JobDetail } from '../../../../electron/contract/station-api';

type Step = JobDetail['steps'][number];

const STATE_WORDS: Record<Step['status'], string> = {
  pending: 'waiting',
  running: 'running',
  in_progress: 'interrupted, will be checked on retry',
  done: 'done',
  failed: 'failed',
};

/**
 * A done step that never ran: the engine proved it done from the card before
 * running it (engine.ts isDone: `job.step.skipped`, attempts stay 0), e.g.
 * "Take over or clean up the card" on a fresh card. "done" would claim work
 * that was not needed (issue 12 obs. 10).
 */
export const wasNotNeeded = (step: Step) => step.status === 'done' && step.attempts === 0;

/** Steps whose running time is the card's key generation (step names `generate.<slot>`). */
const isKeyGeneration = (step: Step) => step.name.startsWith('generate');

export function StepList({ steps }: { steps: Step[] }) {
  return (
    <ol className="step-list">
      {steps.map((s) => (
        <li key={s.name} className={`step-row state-${s.status}`} data-testid="step-row" data-step={s.name} data-state={s.status} data-not-needed={wasNotNeeded(s) || undefined}>
          <span className="step-icon" aria-hidden="true">
            {s.status === 'done' ? '✓' : s.status === 'failed' ? '✗' : s.status === 'running' ? <span className="spinner" /> : '·'}
          </span>
          <span className="step-label">{s.label}</span>
          <span className="step-state">
            {s.status === 'running' && isKeyGeneration(s) ? 'working…' : wasNotNeeded(s) ? 'not needed' : STATE_WORDS[s.status]}
            {s.status === 'done' && typeof s.ms === 'number' && <span className="muted"> ({(s.ms / 1000).toFixed(1)} s)</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}
