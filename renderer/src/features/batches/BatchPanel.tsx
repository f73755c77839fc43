/**
 * One batch: its progress (done / failed / remaining of the total, cards per
 * hour) and every item with its state, reader and failure; a failed item can
 * be cancelled with a reason (otherwise the batch retries it).
 */
import { useState, type FormEvent } from 'react';
import type { BatchView } from '../../../../electron/contract/station-api';
import { REASON_MAX_LENGTH, REASON_MIN_LENGTH, isStatedReason } from '../../../../electron/contract/reason-rule';
import { batchProgress } from '../../stores/batches-store';
import { useBatches, useStores } from '../../stores/stores';

const ITEM_WORDS: Record<BatchView['items'][number]['state'], string> = {
  queued: 'Waiting for a reader',
  running: 'Producing',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const STATUS_WORDS: Record<BatchView['status'], string> = {
  running: 'Running',
  paused: 'Paused',
  done: 'Finished',
  cancelled: 'Cancelled',
};

/** "1 card", "3 cards". */
export const cards = (n: number): string => `${n} ${n === 1 ? 'card' : 'cards'}`;

export function BatchPanel({ batch, canCancel }: { batch: BatchView; canCancel: boolean }) {
  const error = useBatches((s) => s.errors[batch.id] ?? null);
  const p = batchProgress(batch);
  return (
    <article className="batch-panel" data-testid="batch-panel" data-batch-id={batch.id} data-status={batch.status} aria-label={`Batch of ${cards(p.total)}`}>
      <h4>
        Batch of {cards(p.total)} · {STATUS_WORDS[batch.status]} · started {new Date(batch.createdAt).toLocaleString()}
      </h4>
      <div className="progress" aria-live="polite">
        <div className="progress-bar" data-testid="batch-progress-bar" role="progressbar" aria-label="Cards done" aria-valuemin={0} aria-valuenow={p.done} aria-valuemax={p.total}>
          <div className="progress-fill" style={{ width: `${p.percent}%` }} />
        </div>
        <p className="progress-text">
          <span data-testid="batch-done">{p.done} done</span> · <span data-testid="batch-failed">{p.failed} failed</span> ·{' '}
          <span data-testid="batch-remaining">{p.remaining} remaining</span> · <span data-testid="batch-rate">{p.rate}</span>
        </p>
        <p className="muted">Readers: {batch.readers.length > 0 ? batch.readers.join(', ') : 'every free reader'}</p>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <table className="batch-items">
        <thead>
          <tr>
            <th scope="col">Cardholder</th>
            <th scope="col">State</th>
            <th scope="col">Reader</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {batch.items.map((item) => (
            <tr key={item.requestId} data-testid="batch-item" data-request-id={item.requestId} data-state={item.state} className={`batch-item state-${item.state}`}>
              <td>{item.personName}</td>
              <td>{ITEM_WORDS[item.state]}</td>
              <td>{item.readerName ?? '—'}</td>
              <td>
                {item.failure}
                {item.state === 'failed' && canCancel && <CancelItem batchId={batch.id} requestId={item.requestId} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}

function CancelItem({ batchId, requestId }: { batchId: string; requestId: string }) {
  const stores = useStores();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const ok = await stores.batches.getState().cancelItem(batchId, requestId, reason.trim());
    setBusy(false);
    if (ok) setOpen(false);
  }

  if (!open) {
    return (
      <button type="button" data-testid="batch-item-cancel" onClick={() => setOpen(true)}>
        Cancel this card…
      </button>
    );
  }
  return (
    <form className="cancel-form" onSubmit={submit}>
      <label>
        Reason
        <input data-testid="batch-cancel-reason" required minLength={REASON_MIN_LENGTH} maxLength={REASON_MAX_LENGTH} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <div className="row">
        <button type="submit" className="danger" data-testid="batch-cancel-confirm" disabled={busy || !isStatedReason(reason)}>
          Cancel the card
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Keep it in the batch
        </button>
      </div>
    </form>
  );
}
