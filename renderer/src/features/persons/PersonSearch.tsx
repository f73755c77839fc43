/**
 * Step 1 of issuing: find the cardholder. Searches as the officer types
 * (debounced in the persons store) and lists name, employee id and email with
 * how many persons match (the core counts up to a cap and then says "more
 * than"); a person not yet registered is added with the form beside it.
 */
import { useState } from 'react';
import type { Person } from '../../../../electron/contract/station-api';
import { usePersons } from '../../stores/stores';
import { matchesSentence } from './counts';
import { RegisterPersonForm } from './RegisterPersonForm';

export interface PersonSearchProps {
  /** Called with the person the officer picked (or just registered). */
  onSelect(person: Person): void;
  /** Whether the officer may register a person (default true); false hides "Register a new person". */
  canRegister?: boolean;
}

export function PersonSearch({ onSelect, canRegister = true }: PersonSearchProps) {
  const query = usePersons((s) => s.query);
  const results = usePersons((s) => s.results);
  const matchCount = usePersons((s) => s.matchCount);
  const moreMatches = usePersons((s) => s.moreMatches);
  const searching = usePersons((s) => s.searching);
  const error = usePersons((s) => s.error);
  const setQuery = usePersons((s) => s.setQuery);
  const [registering, setRegistering] = useState(false);

  if (registering) {
    return (
      <RegisterPersonForm
        onSaved={(p) => {
          setRegistering(false);
          onSelect(p);
        }}
        onCancel={() => setRegistering(false)}
      />
    );
  }

  return (
    <div className="person-search">
      <label htmlFor="person-search-input">Name, employee id or email</label>
      <p className="muted" id="person-search-help">
        The start of a surname, given name, employee id or e-mail, or a full name (Ada Lovelace, Lovelace, Ada); from 3 characters also any part of them.
      </p>
      <div className="row">
        <input
          id="person-search-input"
          data-testid="person-search"
          type="search"
          autoComplete="off"
          value={query}
          aria-describedby="person-search-help"
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Start typing…"
        />
        {canRegister && (
          <button type="button" data-testid="register-person" onClick={() => setRegistering(true)}>
            Register a new person
          </button>
        )}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <div aria-live="polite" className="muted">
        {searching
          ? 'Searching…'
          : !query.trim() || error
            ? ''
            : results.length === 0
              ? `No person matches.${canRegister ? ' Register the person if they are new.' : ''}`
              : <span data-testid="person-search-count" data-total={matchCount} data-more={moreMatches}>{matchesSentence(results.length, matchCount, moreMatches)}</span>}
      </div>
      {results.length > 0 && (
        <ul className="person-results" aria-label="Matching persons">
          {results.map((p) => (
            <li key={p.id}>
              <button type="button" className="person-result" data-testid="person-result" data-person-id={p.id} onClick={() => onSelect(p)}>
                <span className="person-name">
                  {p.givenName} {p.surname}
                </span>
                <span className="person-meta">{p.employeeId ?? 'no employee id'}</span>
                <span className="person-meta">{p.email ?? 'no email'}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
