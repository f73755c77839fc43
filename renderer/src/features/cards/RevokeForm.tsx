/**
 * Revoking a card takes two steps: the reason (each maps to its CRL reason
 * code in the core), then a confirmation that names the card and says what
 * revocation does, since it cannot be undone.
 */
import { useState } from 'react';
import type { CardDetailView } from '../../../../electron/contract/station-api';
import { useCards, useStores } from '../../stores/stores';
import { cardLabel, TERMINATION_REASON_WORDS, type TerminationReason } from '../../stores/cards-store';

export interface RevokeFormProps {
  card: CardDetailView;
  onDone(): void;
}

export function RevokeForm({ card, onDone }: RevokeFormProps) {
  const stores = useStores();
  const busy = useCards((s) => s.busy);
  const [reason, setReason] = useState<TerminationReason | ''>('');
  const [confirming, setConfirming] = useState(false);

  async function confirm() {
    if (reason === '') return;
    if (await stores.cards.getState().revoke(reason)) onDone();
  }

  return (
    <section className="desk-form revoke-form" data-testid="revoke-form" aria-label="Revoke the card">
      {!confirming ? (
        <div className="row">
          <label>
            Reason
            <select data-testid="revoke-reason" value={reason} onChange={(e) => setReason(e.target.value as TerminationReason | '')}>
              <option value="">Choose the reason…</option>
              {Object.entries(TERMINATION_REASON_WORDS).map(([id, words]) => (
                <option key={id} value={id}>
                  {words}
                </option>
              ))}
            </select>
          </label>
          <button type="button" data-testid="revoke-continue" disabled={reason === ''} onClick={() => setConfirming(true)}>
            Continue
          </button>
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        </div>
      ) : (
        <div className="puk-warning">
          <p data-testid="revoke-confirmation">
            Revoke {cardLabel(card)} of {card.personName} ({TERMINATION_REASON_WORDS[reason as TerminationReason].toLowerCase()})? All its certificates go on the CRL at
            once and the card can no longer be used. This cannot be undone.
          </p>
          <div className="row">
            <button type="button" className="danger" data-testid="revoke-confirm" disabled={busy} onClick={() => void confirm()}>
              {busy ? 'Revoking…' : 'Revoke the card'}
            </button>
            <button type="button" data-testid="revoke-back" disabled={busy} onClick={() => setConfirming(false)}>
              Back
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
