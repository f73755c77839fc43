/**
 * The opened card: who holds it, its identity (card number, FASC-N, GUID),
 * status and expiration, what it showed it can do, its certificates, and the lifecycle actions. An
 * action shows only when the officer's roles (CHANNEL_ROLES) and the card's
 * status (CARD_OPERATION_STATES) allow it: exactly the calls the core accepts.
 */
import { useState, type FormEvent } from 'react';
import type { CardDetailView } from '../../../../electron/contract/station-api';
import { CARD_OPERATIONS, operationAllowed, type CardOperation } from '../../../../electron/contract/card-operations';
import { useCards, useSession, useStores } from '../../stores/stores';
import { CARD_STATUS_WORDS } from '../../stores/cards-store';
import { CERTIFICATE_STATUS_WORDS, revocationText } from '../../words/codes';
import { dateText } from '../../words/dates';
import { mayCall } from '../../../../electron/contract/access';
import { RevokeForm } from './RevokeForm';
import { DeskForm } from './DeskForm';
import { ReissueForm } from './ReissueForm';
import { CardHistory } from './CardHistory';
import { PersonPhoto } from '../photo/PersonPhoto';
import { CardFaceOfCard } from '../cardface/CardFacePreview';
import { REPRINTABLE_STATUSES } from '../../../../electron/contract/card-operations';
import { CardCapabilities } from './CardCapabilities';

/** Button words per operation. */
const ACTION_WORDS: Record<CardOperation, string> = {
  revoke: 'Revoke…',
  suspend: 'Suspend',
  resume: 'Resume',
  activate: 'Activate at the desk…',
  unlock: 'Unlock the PIN at the desk…',
  reissue: 'Reissue (replace)…',
  recycle: 'Recycle at the desk…',
};

/** Operations done at once with one click (card absent, reversible). */
const IMMEDIATE: readonly CardOperation[] = ['suspend', 'resume'];

export interface CardDetailProps {
  card: CardDetailView;
  onJobStarted(jobId: string): void;
}

export function CardDetail({ card, onJobStarted }: CardDetailProps) {
  const stores = useStores();
  const officer = useSession((s) => s.officer);
  const busy = useCards((s) => s.busy);
  const actionError = useCards((s) => s.actionError);
  const outcome = useCards((s) => s.outcome);
  const [open, setOpen] = useState<CardOperation | null>(null);

  const actions = CARD_OPERATIONS.filter((op) => mayCall(officer, `cards.${op}`) && operationAllowed(op, card.status));
  const done = () => setOpen(null);

  function choose(op: CardOperation) {
    if (op === 'suspend') void stores.cards.getState().suspend();
    else if (op === 'resume') void stores.cards.getState().resume();
    else setOpen(op);
  }

  return (
    <section className="step card-detail" data-testid="card-detail" data-card-id={card.id} data-status={card.status} aria-labelledby="card-detail-title">
      <h3 id="card-detail-title">
        Card of <span data-testid="card-person">{card.personName}</span>
      </h3>
      <div className="person-with-photo">
        <PersonPhoto personId={card.personId} width={90} name={card.personName} />
        {mayCall(officer, 'cards.preview') && <CardFaceOfCard key={card.id} card={card.id} />}
      </div>
      {mayCall(officer, 'cards.reprint') && REPRINTABLE_STATUSES.includes(card.status) && <ReprintForm />}
      <dl className="card-identity">
        <dt>Card number</dt>
        <dd data-testid="card-number">{card.cardNumber ?? '—'}</dd>
        <dt>Status</dt>
        <dd data-testid="card-status">{CARD_STATUS_WORDS[card.status]}</dd>
        <dt>Expires</dt>
        <dd data-testid="card-expiration" data-date={card.expirationDate}>
          {dateText(card.expirationDate)}
        </dd>
        <dt>FASC-N</dt>
        <dd data-testid="card-fascn" className="mono">
          {card.fascn}
        </dd>
        <dt>GUID</dt>
        <dd data-testid="card-guid" className="mono">
          {card.guid}
        </dd>
      </dl>
      <h4>What the card can do</h4>
      <CardCapabilities capabilities={card.capabilities} />
      <h4>Certificates</h4>
      {card.certificates.length === 0 ? (
        <p className="muted">No certificate was issued for this card.</p>
      ) : (
        <table className="certificates">
          <thead>
            <tr>
              <th scope="col">Slot</th>
              <th scope="col">Serial</th>
              <th scope="col">Status</th>
              <th scope="col">Valid until</th>
            </tr>
          </thead>
          <tbody>
            {card.certificates.map((c) => (
              <tr key={c.serial} data-testid="card-cert" data-slot={c.slot} data-serial={c.serial} data-status={c.status}>
                <td>{c.slot.toUpperCase()}</td>
                <td className="mono">{c.serial}</td>
                <td>
                  {CERTIFICATE_STATUS_WORDS[c.status] ?? c.status}
                  {c.revocationReason && (
                    <span className="muted" data-testid="card-cert-reason" data-crl-reason={c.revocationReason}>
                      {' '}
                      ({revocationText(c.revocationReason, c.status === 'revoked' ? card.terminationReason : null)})
                    </span>
                  )}
                </td>
                <td>{dateText(c.notAfter)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {actions.length > 0 && (
        <div className="row card-actions" role="group" aria-label="Card actions">
          {actions.map((op) => (
            <button
              key={op}
              type="button"
              data-testid={`card-action-${op}`}
              aria-pressed={open === op}
              className={op === 'revoke' ? 'danger' : undefined}
              disabled={busy}
              onClick={() => choose(op)}
            >
              {busy && IMMEDIATE.includes(op) ? 'Working…' : ACTION_WORDS[op]}
            </button>
          ))}
        </div>
      )}
      <div aria-live="polite">
        {outcome && (
          <p className="notice" data-testid="card-action-outcome">
            {outcome}
          </p>
        )}
        {actionError && (
          <p className="error" role="alert" data-testid="card-action-error">
            {actionError}
          </p>
        )}
      </div>
      {open === 'revoke' && actions.includes('revoke') && <RevokeForm card={card} onDone={done} />}
      {(open === 'activate' || open === 'unlock' || open === 'recycle') && actions.includes(open) && <DeskForm key={open} operation={open} card={card} onDone={done} />}
      {open === 'reissue' && actions.includes('reissue') && <ReissueForm card={card} onJobStarted={onJobStarted} />}
      {mayCall(officer, 'audit.list') && <CardHistory cardId={card.id} />}
    </section>
  );
}

/** Prints the card's face again: the reason is asked, the core audits it and counts the reprint. */
function ReprintForm() {
  const stores = useStores();
  const busy = useCards((s) => s.busy);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (await stores.cards.getState().reprint(reason.trim())) {
      setOpen(false);
      setReason('');
    }
  }
  if (!open) {
    return (
      <button type="button" data-testid="card-reprint" onClick={() => setOpen(true)}>
        Print the card face again…
      </button>
    );
  }
  return (
    <form className="reprint-form" data-testid="reprint-form" onSubmit={submit}>
      <label>
        Why is the card printed again?
        <input data-testid="reprint-reason" required minLength={3} maxLength={500} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <div className="row">
        <button type="submit" className="primary" data-testid="reprint-submit" disabled={busy || reason.trim().length < 3}>
          Print again
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Back
        </button>
      </div>
    </form>
  );
}
