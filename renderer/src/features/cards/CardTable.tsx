/** The cards list: one row per card, opened with its button. */
import { dateText } from '../../words/dates';
import type { CardView } from '../../../../electron/contract/station-api';
import { CARD_STATUS_WORDS } from '../../stores/cards-store';

export interface CardTableProps {
  cards: CardView[];
  /** The opened card's id (its row is marked), or null. */
  openId: string | null;
  onOpen(cardId: string): void;
}

export function CardTable({ cards, openId, onOpen }: CardTableProps) {
  if (cards.length === 0) return <p className="muted">No card to show.</p>;
  return (
    <table className="cards">
      <thead>
        <tr>
          <th scope="col">Cardholder</th>
          <th scope="col">Card number</th>
          <th scope="col">Status</th>
          <th scope="col">Expires</th>
          <th scope="col">
            Action
          </th>
        </tr>
      </thead>
      <tbody>
        {cards.map((c) => (
          <tr key={c.id} data-testid="card-row" data-card-id={c.id} data-status={c.status} aria-selected={openId === c.id} className={`card-row status-${c.status}`}>
            <td>{c.personName}</td>
            <td>{c.cardNumber ?? '—'}</td>
            <td>{CARD_STATUS_WORDS[c.status]}</td>
            <td data-date={c.expirationDate}>{dateText(c.expirationDate)}</td>
            <td>
              <button type="button" data-testid="card-open" onClick={() => onOpen(c.id)}>
                Open
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
