/**
 * One batch: its progress (done / failed / remaining of the total, cards per
 * hour once it means something), what to do at each reader now ("Remove card
 * 00000007 from … and insert a blank card", issue 12 observation 2), and
 * every card with its number, state, reader and failure. A running batch can
 * be paused and resumed; a card waiting for a blank card, or failed, can be
 * cancelled with a reason (the contract's batch rules, as the core applies
 * them). A produced card's one-time PUK and generated PIN are shown here once,
 * to the officer who may see them, until they confirm they recorded them; the
 * generated PINs can go on PIN mailers instead (BatchPinMailers).
 */
import { useState, type FormEvent } from 'react';
import { dateTimeText } from '../../words/dates';
import type { BatchView } from '../../../../electron/contract/station-api';
import { REASON_MAX_LENGTH, REASON_MIN_LENGTH, isStatedReason } from '../../../../electron/contract/reason-rule';
import { isCancellableItem, mayPauseBatch, mayResumeBatch } from '../../../../electron/contract/batch-rules';
import { batchNumberText, requestNumberText } from '../../../../electron/contract/request-number';
import { batchProgress } from '../../stores/batches-store';
import { OneTimeSecrets } from '../production/OneTimeSecrets';
import { BatchPinMailers } from './BatchPinMailers';
import { mayCall } from '../../../../electron/contract/access';
import { useBatches, useJobs, useSession, useStores } from '../../stores/stores';

type BatchItem = BatchView['items'][number];

const ITEM_WORDS: Record<BatchItem['state'], string> = {
  queued: 'Waiting for a blank card',
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

export interface BatchPanelProps {
  batch: BatchView;
  /** The officer may cancel and retry cards (batches.cancelItem). */
  canCancel: boolean;
  /** The officer may pause and resume the batch (batches.setPaused). */
  canPause?: boolean;
}

export function BatchPanel({ batch, canCancel, canPause = false }: BatchPanelProps) {
  const stores = useStores();
  const error = useBatches((s) => s.errors[batch.id] ?? null);
  const mayMakeMailers = useSession((s) => mayCall(s.officer, 'jobs.pinMailer'));
  const [pausing, setPausing] = useState(false);
  const p = batchProgress(batch);
  const prompts = batch.prompts ?? [];
  const setPaused = async (action: 'pause' | 'resume') => {
    setPausing(true);
    await stores.batches.getState().setPaused(batch.id, action);
    setPausing(false);
  };
  return (
    <article className="batch-panel" data-testid="batch-panel" data-batch-id={batch.id} data-batch-number={batchNumberText(batch.number)} data-status={batch.status} aria-label={`Batch ${batchNumberText(batch.number)} of ${cards(p.total)}`}>
      <h4>
        Batch {batchNumberText(batch.number)} of {cards(p.total)} · {STATUS_WORDS[batch.status]} · started {dateTimeText(batch.createdAt)}
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
      {prompts.length > 0 && (
        <ul className="batch-prompts notice" role="status" aria-label="What to do now">
          {prompts.map((prompt) => (
            <li key={prompt.readerName} className={`batch-prompt action-${prompt.action}`} data-testid="batch-prompt" data-reader={prompt.readerName} data-action={prompt.action}>
              {prompt.sentence}
            </li>
          ))}
        </ul>
      )}
      {batch.status === 'paused' && (
        <p className="notice" data-testid="batch-paused">
          Paused: cards inserted now are left alone until you resume the batch.
        </p>
      )}
      {canPause && mayPauseBatch(batch.status) && (
        <button type="button" data-testid="batch-pause" disabled={pausing} onClick={() => void setPaused('pause')}>
          Pause the batch
        </button>
      )}
      {canPause && mayResumeBatch(batch.status) && (
        <button type="button" className="primary" data-testid="batch-resume" disabled={pausing} onClick={() => void setPaused('resume')}>
          Resume the batch
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {mayMakeMailers && <BatchPinMailers batch={batch} />}
      <table className="batch-items">
        <thead>
          <tr>
            <th scope="col">Request</th>
            <th scope="col">Cardholder</th>
            <th scope="col">Card number</th>
            <th scope="col">State</th>
            <th scope="col">Reader</th>
            <th scope="col">Problem</th>
          </tr>
        </thead>
        <tbody>
          {batch.items.map((item) => (
            <tr key={item.requestId} data-testid="batch-item" data-request-id={item.requestId} data-state={item.state} className={`batch-item state-${item.state}`}>
              <td data-testid="batch-item-request">{item.requestNumber === null ? '—' : requestNumberText(item.requestNumber)}</td>
              <td>{item.personName}</td>
              <td data-testid="batch-item-card">{item.cardNumber ?? '—'}</td>
              <td>
                {ITEM_WORDS[item.state]}
                {item.print && (
                  <span className="muted" data-testid="batch-item-print" data-print={item.print}>
                    {' '}
                    · card face {item.print}
                  </span>
                )}
              </td>
              <td>{item.readerName ?? '—'}</td>
              <td>
                {item.failure}
                {item.state === 'done' && item.secretsWaiting && item.jobId && <ItemSecrets batchId={batch.id} jobId={item.jobId} />}
                {item.state === 'failed' && canCancel && item.jobId && (
                  <button type="button" data-testid="batch-item-retry" onClick={() => void stores.batches.getState().retryItem(batch.id, item.requestId)}>
                    Retry this card
                  </button>
                )}
                {isCancellableItem(item.state) && canCancel && <CancelItem batchId={batch.id} requestId={item.requestId} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}

/**
 * A produced card's one-time secrets: taken from the core on the officer's
 * click (jobs.takeSecrets, kept for them until recorded, as on the single
 * production result), then forgotten by the core once the officer confirms.
 * The core's refusal (another officer's production, one's own card) is shown.
 */
function ItemSecrets({ batchId, jobId }: { batchId: string; jobId: string }) {
  const stores = useStores();
  const secrets = useJobs((s) => s.secrets[jobId]);
  const error = useJobs((s) => s.errors[jobId] ?? null);
  const [busy, setBusy] = useState(false);

  async function show() {
    setBusy(true);
    await stores.jobs.getState().takeSecrets(jobId);
    setBusy(false);
  }

  async function recorded() {
    setBusy(true);
    if (await stores.jobs.getState().recordSecrets(jobId)) await stores.batches.getState().load(batchId);
    setBusy(false);
  }

  if (!secrets?.puk && !secrets?.pin) {
    return (
      <>
        <button type="button" data-testid="batch-item-secrets" disabled={busy} onClick={() => void show()}>
          Show the PUK and PIN (once)
        </button>
        {error && (
          <p className="error" role="alert" data-testid="batch-item-secrets-error">
            {error}
          </p>
        )}
      </>
    );
  }
  return <OneTimeSecrets secrets={secrets} busy={busy} onRecorded={() => void recorded()} />;
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
