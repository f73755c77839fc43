/**
 * The reader of an at-desk operation: readers with a card first (as in the
 * issue flow), the first one chosen by default, and a waiting line while the
 * chosen reader has no card.
 */
import { useEffect, useMemo } from 'react';
import { useReaders } from '../../stores/stores';
import { readersForChoice } from '../../stores/readers-store';

export interface DeskReaderSelectProps {
  value: string | null;
  onChange(readerName: string): void;
  /** What the card in the reader is for ("the cardholder's card", "a blank card"). */
  cardWords: string;
}

export function DeskReaderSelect({ value, onChange, cardWords }: DeskReaderSelectProps) {
  const readers = useReaders((s) => s.readers);
  const choices = useMemo(() => readersForChoice(readers), [readers]);
  useEffect(() => {
    if (value === null && choices.length > 0) onChange(choices[0]!.name);
  }, [value, choices, onChange]);
  const reader = readers.find((r) => r.name === value);

  if (choices.length === 0) return <p className="muted">No reader is connected.</p>;
  return (
    <div className="desk-reader">
      <label>
        Reader
        <select data-testid="desk-reader-select" value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
          {choices.map((r) => (
            <option key={r.name} value={r.name}>
              {r.name} — {r.cardPresent ? 'card present' : 'no card'}
            </option>
          ))}
        </select>
      </label>
      <div aria-live="polite">
        {value !== null && !reader?.cardPresent && (
          <p className="waiting" data-testid="desk-waiting-for-card">
            <span className="spinner" aria-hidden="true" /> Insert {cardWords} into {value}
          </p>
        )}
      </div>
    </div>
  );
}

/** Whether the reader named `name` holds a card now. */
export function useCardPresent(name: string | null): boolean {
  return useReaders((s) => s.readers.some((r) => r.name === name && r.cardPresent));
}
