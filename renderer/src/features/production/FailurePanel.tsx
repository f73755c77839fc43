/**
 * A failed job: the core's sentence, the step it stopped at, and the two next
 * actions. Retry waits for a card in the job's reader and asks the PIN again
 * when the job needs it; Cancel asks for a reason (the core revokes whatever
 * the job had certified). By keyboard: Retry and Cancel are the panel's first
 * controls; the heading, which the production screen focuses when the job
 * fails, reads the core's sentence and the failed step.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { JobDetail, Reader } from '../../../../electron/contract/station-api';
import { isPinFormat, pinRule } from '../../../../electron/contract/pin-rules';
import { isStatedReason } from '../../../../electron/contract/reason-rule';
import { SecretDigitsInput } from '../issue/SecretDigitsInput';

export interface FailurePanelProps {
  job: JobDetail;
  readers: Reader[];
  /** The core's sentence for the last refused retry/cancel, if any. */
  actionError: string | null;
  onRetry(readerName: string, pin?: string): Promise<boolean>;
  onCancel(reason: string): Promise<boolean>;
}

export function FailurePanel({ job, readers, actionError, onRetry, onCancel }: FailurePanelProps) {
  const [pin, setPin] = useState('');
  const [waiting, setWaiting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const [cancelOpen, setCancelOpen] = useState(false);
  const [reason, setReason] = useState('');
  const cancelButton = useRef<HTMLButtonElement>(null);

  const readerName = job.readerName ?? readers.find((r) => r.cardPresent)?.name ?? null;
  const reader = readers.find((r) => r.name === readerName);
  const cardReady = reader !== undefined && reader.cardPresent;
  const failedLabel = job.steps.find((s) => s.name === job.failedStep)?.label ?? job.failedStep;

  async function runRetry() {
    if (!readerName) return;
    setWaiting(false);
    setBusy(true);
    const pinToSend = job.needsPinForRetry ? pin : undefined;
    // The PIN leaves the screen with the call, whatever the outcome.
    setPin('');
    await onRetry(readerName, pinToSend);
    setBusy(false);
  }

  // Waiting for a card: go as soon as the reader reports one.
  useEffect(() => {
    if (waiting && cardReady && !busy) void runRetry();
  }, [waiting, cardReady]);

  function onRetrySubmit(e: FormEvent) {
    e.preventDefault();
    setLocalError(null);
    if (job.needsPinForRetry && !isPinFormat(pin)) {
      setLocalError(`Ask the cardholder to type the PIN again (${pinRule()}): this job needs it.`);
      return;
    }
    if (!readerName) {
      setLocalError('Connect a reader and insert the card.');
      return;
    }
    if (!cardReady) {
      setWaiting(true);
      return;
    }
    void runRetry();
  }

  async function onCancelConfirm(e: FormEvent) {
    e.preventDefault();
    if (!isStatedReason(reason)) {
      setLocalError('Say in a few words why the job is cancelled.');
      return;
    }
    setLocalError(null);
    setBusy(true);
    const ok = await onCancel(reason.trim());
    setBusy(false);
    if (ok) setCancelOpen(false);
  }

  return (
    <div className="failure-panel" data-testid="failure-panel" role="alert">
      <h3 id="failure-title" tabIndex={-1} aria-describedby={failedLabel ? 'failure-reason failed-step' : 'failure-reason'}>
        Production stopped
      </h3>
      <p className="failure-reason" id="failure-reason" data-testid="failure-reason">
        {job.failure ?? 'The job failed.'}
      </p>
      {failedLabel && (
        <p className="failed-step" id="failed-step">
          Stopped at: <strong data-testid="failed-step">{failedLabel}</strong>
        </p>
      )}
      {readerName && !cardReady && <p className="hint">Put the card this job started on back into {readerName}.</p>}

      <form className="retry-form" onSubmit={onRetrySubmit}>
        {job.needsPinForRetry && (
          <label>
            Cardholder's PIN ({pinRule()})
            <SecretDigitsInput data-testid="retry-pin-input" value={pin} onDigits={setPin} />
          </label>
        )}
        <div className="row">
          <button type="submit" className="primary" data-testid="retry-button" disabled={busy || waiting}>
            Retry
          </button>
          <button type="button" ref={cancelButton} data-testid="cancel-button" disabled={busy} onClick={() => setCancelOpen(true)}>
            Cancel the job
          </button>
        </div>
      </form>
      {waiting && (
        <p className="waiting" data-testid="waiting-for-card" aria-live="polite">
          <span className="spinner" aria-hidden="true" /> Insert a card into {readerName}
        </p>
      )}
      {busy && !waiting && <p className="muted">Working…</p>}

      {cancelOpen && (
        <form className="cancel-form" onSubmit={onCancelConfirm}>
          <label>
            Why is this job cancelled?
            <input data-testid="cancel-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} autoFocus />
          </label>
          <p className="muted">Cancelling revokes every certificate this job had issued.</p>
          <div className="row">
            <button type="submit" className="danger" data-testid="cancel-confirm" disabled={busy}>
              Cancel the job
            </button>
            <button
              type="button"
              data-testid="cancel-keep"
              onClick={() => {
                setCancelOpen(false);
                // The keyboard goes back to where the officer opened the question.
                cancelButton.current?.focus();
              }}
            >
              Keep the job
            </button>
          </div>
        </form>
      )}
      {(localError ?? actionError) && <p className="error">{localError ?? actionError}</p>}
    </div>
  );
}
