/**
 * The issue-card screen: person → profile → reader (waits for a card) → PIN →
 * Produce. It only collects choices; the core decides whether the card can be
 * produced and says why not.
 */
import { useEffect, useMemo } from 'react';
import { useIssue, useReaders } from '../../stores/stores';
import { PROFILES, cardProblem, pinProblem, type Affiliation } from '../../stores/issue-store';
import { readersForChoice } from '../../stores/readers-store';
import { PersonSearch } from '../persons/PersonSearch';
import { PinEntry } from './PinEntry';

export interface IssueFlowProps {
  /** Opens the production screen of the job just started. */
  onJobStarted(jobId: string): void;
}

export function IssueFlow({ onJobStarted }: IssueFlowProps) {
  const person = useIssue((s) => s.person);
  const profile = useIssue((s) => s.profile);
  const readerName = useIssue((s) => s.readerName);
  const pinMode = useIssue((s) => s.pinMode);
  const pin = useIssue((s) => s.pin);
  const pinConfirm = useIssue((s) => s.pinConfirm);
  const starting = useIssue((s) => s.starting);
  const error = useIssue((s) => s.error);
  const { selectPerson, setProfile, setReader, produce } = useIssue((s) => s);
  const readers = useReaders((s) => s.readers);

  const choices = useMemo(() => readersForChoice(readers), [readers]);
  // Preselect the best reader (one holding a card) until the officer picks one.
  useEffect(() => {
    if (readerName === null && choices.length > 0) setReader(choices[0]!.name);
  }, [readerName, choices, setReader]);

  const reader = readers.find((r) => r.name === readerName);
  const problem = cardProblem(reader);
  const waiting = readerName !== null && !reader?.cardPresent;
  const pinOk = pinMode === 'generated' || pinProblem(pin, pinConfirm) === null;
  const canProduce = person !== null && reader !== undefined && reader.cardPresent && problem === null && pinOk && !starting;

  async function onProduce() {
    const jobId = await produce();
    if (jobId) onJobStarted(jobId);
  }

  return (
    <section className="issue-flow" data-testid="issue-flow" aria-labelledby="issue-title">
      <h2 id="issue-title">Issue a card</h2>

      <section className="step">
        <h3>1. Cardholder</h3>
        {person ? (
          <div className="row selected-person" data-testid="selected-person">
            <span>
              <strong>
                {person.givenName} {person.surname}
              </strong>
              {person.employeeId && <> · {person.employeeId}</>}
              {person.email && <> · {person.email}</>}
            </span>
            <button type="button" onClick={() => selectPerson(null)}>
              Choose another person
            </button>
          </div>
        ) : (
          <PersonSearch onSelect={selectPerson} />
        )}
      </section>

      <section className="step">
        <h3>
          <label htmlFor="profile-select">2. Card profile</label>
        </h3>
        <select id="profile-select" data-testid="profile-select" value={profile} onChange={(e) => setProfile(e.target.value as Affiliation)}>
          {PROFILES.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </section>

      <section className="step">
        <h3>
          <label htmlFor="reader-select">3. Reader</label>
        </h3>
        {choices.length === 0 ? (
          <p className="muted">No reader is connected.</p>
        ) : (
          <select id="reader-select" data-testid="reader-select" value={readerName ?? ''} onChange={(e) => setReader(e.target.value)}>
            {choices.map((r) => (
              <option key={r.name} value={r.name}>
                {r.name} — {r.cardPresent ? 'card present' : 'no card'}
              </option>
            ))}
          </select>
        )}
        <div aria-live="polite">
          {waiting && (
            <p className="waiting" data-testid="waiting-for-card">
              <span className="spinner" aria-hidden="true" /> Insert a card into {readerName}
            </p>
          )}
        </div>
        {problem && (
          <p className="error" data-testid="card-problem" role="alert">
            {problem}
          </p>
        )}
      </section>

      <section className="step">
        <h3>4. PIN</h3>
        <PinEntry />
      </section>

      <section className="step">
        {error && (
          <p className="error" role="alert" data-testid="issue-error">
            {error}
          </p>
        )}
        <button type="button" className="primary big" data-testid="produce-button" disabled={!canProduce} onClick={onProduce}>
          {starting ? 'Starting…' : 'Produce the card'}
        </button>
        {!person && <p className="muted">Choose the cardholder first.</p>}
      </section>
    </section>
  );
}
