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

/** Steps whose running time is the card's key generation (step names `generate.<slot>`). */
const isKeyGeneration = (step: Step) => step.name.startsWith('generate');

export function StepList({ steps }: { steps: Step[] }) {
  return (
    <ol className="step-list">
      {steps.map((s) => (
        <li key={s.name} className={`step-row state-${s.status}`} data-testid="step-row" data-step={s.name} data-state={s.status}>
          <span className="step-icon" aria-hidden="true">
            {s.status === 'done' ? '✓' : s.status === 'failed' ? '✗' : s.status === 'running' ? <span className="spinner" /> : '·'}
          </span>
          <span className="step-label">{s.label}</span>
          <span className="step-state">
            {s.status === 'running' && isKeyGeneration(s) ? 'working…' : STATE_WORDS[s.status]}
            {s.status === 'done' && typeof s.ms === 'number' && <span className="muted"> ({(s.ms / 1000).toFixed(1)} s)</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}
