/**
 * Cards (issue 5, security officers and those who may look): every issued
 * card with a status filter and a search over cardholder and card number; the
 * opened card's detail with the lifecycle actions its status and the
 * officer's roles allow; the published CRL.
 */
import { useEffect } from 'react';
import { useCards, useSession, useStores } from '../../stores/stores';
import { CARD_FILTERS, cardMatches } from '../../stores/cards-store';
import { mayCall } from '../../../../electron/contract/access';
import { CardTable } from './CardTable';
import { CardDetail } from './CardDetail';
import { CrlPanel } from './CrlPanel';

export interface CardsScreenProps {
  /** Opens the production screen of a replacement card's job (reissue). */
  onJobStarted(jobId: string): void;
}

export function CardsScreen({ onJobStarted }: CardsScreenProps) {
  const stores = useStores();
  const officer = useSession((s) => s.officer);
  const filter = useCards((s) => s.filter);
  const query = useCards((s) => s.query);
  const list = useCards((s) => s.list);
  const listError = useCards((s) => s.listError);
  const detail = useCards((s) => s.detail);
  const detailError = useCards((s) => s.detailError);

  useEffect(() => {
    void stores.cards.getState().loadList();
  }, [stores]);

  const shown = list.filter((c) => cardMatches(c, query));

  return (
    <section className="cards-screen" data-testid="cards-screen" aria-labelledby="cards-title">
      <h2 id="cards-title">Cards</h2>
      <div className="row filters" role="group" aria-label="Card status">
        {CARD_FILTERS.map((f) => (
          <button
            key={f.id}
            type="button"
            data-testid={`card-filter-${f.id}`}
            aria-pressed={filter === f.id}
            onClick={() => void stores.cards.getState().setFilter(f.id)}
          >
            {f.label}
          </button>
        ))}
        <label>
          Search
          <input
            type="search"
            data-testid="card-search"
            placeholder="Cardholder or card number"
            value={query}
            onChange={(e) => stores.cards.getState().setQuery(e.target.value)}
          />
        </label>
      </div>
      {listError && (
        <p className="error" role="alert" data-testid="cards-error">
          {listError}
        </p>
      )}
      <CardTable cards={shown} openId={detail?.id ?? null} onOpen={(id) => void stores.cards.getState().open(id)} />
      {detailError && (
        <p className="error" role="alert" data-testid="card-detail-error">
          {detailError}
        </p>
      )}
      {detail && <CardDetail key={detail.id} card={detail} onJobStarted={onJobStarted} />}
      {mayCall(officer, 'crl.get') && <CrlPanel />}
    </section>
  );
}
