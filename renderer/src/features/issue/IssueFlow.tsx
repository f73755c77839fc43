/**
 * The issue-card screen: person → profile → reader (waits for a card) → PIN →
 * Produce. It only collects choices; the core decides whether the card can be
 * produced and says why not.
 */
import { useIssue } from '../../stores/stores';
import { PROFILES, type Affiliation } from '../../stores/issue-store';
import { PersonSearch } from '../persons/PersonSearch';
import { ReaderPinProduce } from './ReaderPinProduce';

export interface IssueFlowProps {
  /** Opens the production screen of the job just started. */
  onJobStarted(jobId: string): void;
}

export function IssueFlow({ onJobStarted }: IssueFlowProps) {
  const person = useIssue((s) => s.person);
  const profile = useIssue((s) => s.profile);
  const { selectPerson, setProfile, produce } = useIssue((s) => s);

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

      <ReaderPinProduce
        firstStep={3}
        profileId={profile}
        ready={person !== null}
        onProduce={() => void onProduce()}
        hint={!person && <p className="muted">Choose the cardholder first.</p>}
      />
    </section>
  );
}
