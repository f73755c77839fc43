/**
 * Approve or reject one request. Rejecting asks for the reason first; the
 * core's refusal (e.g. separation of duties) is shown beside the buttons.
 */
import { useState, type FormEvent } from 'react';
import type { CardRequestView } from '../../../../electron/contract/station-api';
import { REASON_MAX_LENGTH, REASON_MIN_LENGTH, isStatedReason } from '../../../../electron/contract/reason-rule';
import { useRequests, useStores } from '../../stores/stores';

export interface DecisionCellProps {
  request: CardRequestView;
  /** Why this officer may not approve it (the button is disabled with this sentence), or null. */
  block: string | null;
  /** Told of each decision the core accepted (the screen confirms it in words). */
  onDecided?: (decision: { approved: CardRequestView } | { rejected: CardRequestView }) => void;
}

export function DecisionCell({ request, block, onDecided }: DecisionCellProps) {
  const stores = useStores();
  const error = useRequests((s) => s.errors[request.id] ?? null);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const blockId = `approve-block-${request.id}`;

  async function approve() {
    setBusy(true);
    const approved = await stores.requests.getState().approve(request.id);
    setBusy(false);
    if (approved) onDecided?.({ approved });
  }

  async function reject(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const ok = await stores.requests.getState().reject(request.id, reason.trim());
    setBusy(false);
    if (ok) {
      setRejecting(false);
      onDecided?.({ rejected: request });
    }
  }

  return (
    <div className="decision">
      <div className="row">
        <button
          type="button"
          className="primary"
          data-testid="approve-button"
          disabled={busy || block !== null}
          aria-describedby={block ? blockId : undefined}
          onClick={() => void approve()}
        >
          Approve
        </button>
        <button type="button" data-testid="reject-button" disabled={busy} onClick={() => setRejecting(true)}>
          Reject…
        </button>
      </div>
      {block && (
        <p className="hint" id={blockId} data-testid="approve-blocked">
          {block}
        </p>
      )}
      {rejecting && (
        <form className="reject-form" onSubmit={reject}>
          <label>
            Reason for rejecting
            <input data-testid="reject-reason" required minLength={REASON_MIN_LENGTH} maxLength={REASON_MAX_LENGTH} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <div className="row">
            <button type="submit" className="danger" data-testid="reject-confirm" disabled={busy || !isStatedReason(reason)}>
              Reject the request
            </button>
            <button type="button" onClick={() => setRejecting(false)}>
              Keep it
            </button>
          </div>
        </form>
      )}
      {error && (
        <p className="error" role="alert" data-testid="approval-error">
          {error}
        </p>
      )}
    </div>
  );
}
