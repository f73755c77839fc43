/** The card's audit trail (auditors): who did what to it, when, with what outcome. */
import { auditActionText } from '../../words/codes';
import { dateTimeText } from '../../words/dates';
import { useEffect } from 'react';
import { useCards, useStores } from '../../stores/stores';

export function CardHistory({ cardId }: { cardId: string }) {
  const stores = useStores();
  const history = useCards((s) => s.history);
  const status = useCards((s) => s.detail?.status);

  useEffect(() => {
    void stores.cards.getState().loadHistory(cardId);
  }, [cardId, status, stores]);

  if (!history || history.cardId !== cardId) return null;
  return (
    <section className="card-history" data-testid="card-history" aria-label="History">
      <h4>History</h4>
      {history.events.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <ol>
          {history.events.map((e) => (
            <li key={e.seq} data-testid="card-history-event" data-action={e.action} data-outcome={e.outcome}>
              {dateTimeText(e.at)} · {auditActionText(e.action)} · {e.outcome} · {e.actor}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
