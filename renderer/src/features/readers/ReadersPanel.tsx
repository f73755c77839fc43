/**
 * The readers sidebar, always visible: every reader, whether a card is in it,
 * and what the card is. Live through the readers store (`reader.changed`).
 * Each reader can be chosen for the next card from here, by mouse or
 * keyboard (Tab to its button, Enter or Space; issue 12 "Keyboard"): the
 * choice is the production form's reader (the issue store), so the form's
 * reader list follows, and the chosen reader is marked here.
 */
import { useIssue, useReaders } from '../../stores/stores';
import { cardKindText } from './card-kind';

export function ReadersPanel() {
  const readers = useReaders((s) => s.readers);
  const loaded = useReaders((s) => s.loaded);
  const error = useReaders((s) => s.error);
  const chosen = useIssue((s) => s.readerName);
  const setReader = useIssue((s) => s.setReader);

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
          const isChosen = chosen === r.name;
          return (
            <li key={r.name} className={`reader-row kind-${r.cardPresent ? r.card : 'empty'}${isChosen ? ' chosen' : ''}`} data-testid="reader-row" data-reader={r.name} data-chosen={isChosen}>
              <span className="reader-name">{r.name}</span>
              {r.training && <span className="tag">training reader</span>}
              <span className="reader-presence">{r.cardPresent ? 'Card present' : 'No card'}</span>
              {kind && (
                <span className="reader-card-kind" data-testid="reader-card-kind">
                  {kind}
                </span>
              )}
              <button type="button" className="reader-use" data-testid="reader-use" aria-pressed={isChosen} aria-label={`${isChosen ? 'Chosen for the next card' : 'Use for the next card'}: ${r.name}`} onClick={() => setReader(r.name)}>
                {isChosen ? 'Chosen for the next card' : 'Use for the next card'}
              </button>
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
