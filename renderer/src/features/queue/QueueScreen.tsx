/**
 * The production queue: every job with its status, filtered by status; a row
 * opens the job's production screen (retry and cancel live there). The
 * unfinished jobs are counted beside their filters and in a line under the
 * heading, from the core's one count (station.counts, as the menu).
 */
import { useEffect } from 'react';
import { dateTimeText } from '../../words/dates';
import { JOB_STATUS_WORDS } from '../../words/codes';
import { useJobs, useStation, useStores } from '../../stores/stores';
import type { QueueFilter } from '../../stores/jobs-store';

const FILTERS: { id: QueueFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'failed', label: 'Failed' },
  { id: 'running', label: 'Running' },
  { id: 'done', label: 'Done' },
  { id: 'cancelled', label: 'Cancelled' },
];


export function QueueScreen({ onOpenJob }: { onOpenJob(jobId: string): void }) {
  const stores = useStores();
  const filter = useJobs((s) => s.filter);
  const list = useJobs((s) => s.list);
  const error = useJobs((s) => s.listError);
  const counts = useStation((s) => s.counts?.queue ?? null);
  const waiting = counts ? { running: counts.pending + counts.running, failed: counts.failed } : null;

  useEffect(() => {
    void stores.jobs.getState().loadList();
    void stores.station.getState().loadCounts();
  }, [stores]);

  return (
    <section className="queue-screen" data-testid="queue-screen" aria-labelledby="queue-title">
      <h2 id="queue-title">Production queue</h2>
      {waiting && (
        <p className="muted" data-testid="queue-counts" role="status">
          {waiting.running + waiting.failed === 0
            ? 'No job is waiting or running.'
            : `${waiting.running} waiting or running · ${waiting.failed} failed (retry or cancel them from their production screen)`}
        </p>
      )}
      <div className="row filters" role="group" aria-label="Show jobs">
        {FILTERS.map((f) => (
          <button
            key={f.id}
            type="button"
            data-testid={`filter-${f.id}`}
            aria-pressed={filter === f.id}
            className={filter === f.id ? 'active' : ''}
            onClick={() => void stores.jobs.getState().setFilter(f.id)}
          >
            {f.label}
            {waiting && (f.id === 'failed' || f.id === 'running') && (
              <span data-testid={`queue-count-${f.id}`}> ({waiting[f.id]})</span>
            )}
          </button>
        ))}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {list.length === 0 && !error ? (
        <p className="muted">No job to show.</p>
      ) : (
        <table className="queue">
          <thead>
            <tr>
              <th scope="col">Cardholder</th>
              <th scope="col">Card number</th>
              <th scope="col">Status</th>
              <th scope="col">Reader</th>
              <th scope="col">Problem</th>
              <th scope="col">Last change</th>
            </tr>
          </thead>
          <tbody>
            {list.map((j) => (
              <tr
                key={j.id}
                className={`queue-row status-${j.status}`}
                data-testid="queue-row"
                data-job-id={j.id}
                data-status={j.status}
                tabIndex={0}
                onClick={() => onOpenJob(j.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onOpenJob(j.id);
                  }
                }}
                aria-label={`${j.personName}${j.cardNumber ? `, card ${j.cardNumber}` : ''}: ${JOB_STATUS_WORDS[j.status]}. Open the job.`}
              >
                <td>{j.personName}</td>
                <td data-testid="queue-card-number">{j.cardNumber ?? '—'}</td>
                <td>{JOB_STATUS_WORDS[j.status]}</td>
                <td>{j.readerName ?? '—'}</td>
                <td>{j.status === 'failed' ? j.failure : j.status === 'cancelled' ? j.cancelReason : ''}</td>
                <td>{dateTimeText(j.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
