/**
 * The readers sidebar, always visible: every reader, whether a card is in it,
 * and what the card is. Live through the readers store (`reader.changed`).
 */
import { useReaders } from '../../stores/stores';
import { cardKindText } from './card-kind';

export function ReadersPanel() {
  const readers = useReaders((s) => s.readers);
  const loaded = useReaders((s) => s.loaded);
  const error = useReaders((s) => s.error);

  return (
    <aside className="readers-panel" data-testid="readers-panel" aria-labelledby="readers-title">
      <h2 id="readers-title">Readers</h2>
      {error && (
        <p className="error" role="alert" data-testid="readers-error">
          {error}
        </p>
      )}
      {loaded && readers.length === 0 && !error && <p className="muted">No reader is connected. Plug in a smart-card reader.</p>}
      {!loaded && !error && <p className="muted">Looking for readers…</p>}
      <ul className="reader-list" aria-live="polite">
        {readers.map((r) => {
          const kind = cardKindText(r);
          return (
            <li key={r.name} className={`reader-row kind-${r.cardPresent ? r.card : 'empty'}`} data-testid="reader-row" data-reader={r.name}>
              <span className="reader-name">{r.name}</span>
              {r.training && <span className="tag">training reader</span>}
              <span className="reader-presence">{r.cardPresent ? 'Card present' : 'No card'}</span>
              {kind && (
                <span className="reader-card-kind" data-testid="reader-card-kind">
                  {kind}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
