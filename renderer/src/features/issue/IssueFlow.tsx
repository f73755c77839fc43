/**
 * The issue-card screen: person → profile → reader (waits for a card) → PIN →
 * Produce. Direct issue requests and produces a card in one call, under the
 * same approval policy as a desk request, so the screen offers only what the
 * core would accept (the contract's directIssueBlock over the administered
 * profiles, the person's request history, the officer and the agency's
 * settings) and says why when that is nothing.
 */
import { useEffect, useMemo } from 'react';
import { useIssue, useProfiles, useSession, useStation, useStores } from '../../stores/stores';
import type { Affiliation } from '../../stores/issue-store';
import { DEFAULT_DUTY_SETTINGS, directIssueBlock, directIssueOfficerBlock } from '../../../../electron/contract/duties';
import { PersonSearch } from '../persons/PersonSearch';
import { ReaderPinProduce } from './ReaderPinProduce';

export interface IssueFlowProps {
  /** Opens the production screen of the job just started. */
  onJobStarted(jobId: string): void;
}

export function IssueFlow({ onJobStarted }: IssueFlowProps) {
  const stores = useStores();
  const person = useIssue((s) => s.person);
  const history = useIssue((s) => s.history);
  const profile = useIssue((s) => s.profile);
  const { selectPerson, setProfile, produce } = useIssue((s) => s);
  const profiles = useProfiles((s) => s.list);
  const officer = useSession((s) => s.officer);
  const settings = useStation((s) => s.info?.separationOfDuties) ?? DEFAULT_DUTY_SETTINGS;

  useEffect(() => {
    void stores.profiles.getState().load();
  }, [stores]);

  const officerBlock = officer ? directIssueOfficerBlock(officer, settings) : null;
  // Each administered profile with why it cannot be issued to this person directly (null: it can).
  const choices = useMemo(
    () =>
      person && officer && history
        ? profiles.map((p) => ({ profile: p, block: directIssueBlock({ officer, person, profile: p, history, settings }) }))
        : [],
    [person, officer, history, profiles, settings],
  );
  const offered = useMemo(() => choices.filter((c) => c.block === null), [choices]);
  // The chosen profile must be one offered; the person's own (affiliation) first.
  useEffect(() => {
    if (offered.length > 0 && !offered.some((c) => c.profile.id === profile)) setProfile(offered[0]!.profile.id as Affiliation);
  }, [offered, profile, setProfile]);
  const ownProfile = choices.find((c) => c.profile.id === person?.affiliation) ?? choices[0];

  async function onProduce() {
    const jobId = await produce();
    if (jobId) onJobStarted(jobId);
  }

  if (officerBlock) {
    return (
      <section className="issue-flow" data-testid="issue-flow" aria-labelledby="issue-title">
        <h2 id="issue-title">Issue a card</h2>
        <p className="notice" role="status" data-testid="issue-blocked">
          {officerBlock.sentence}
        </p>
      </section>
    );
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
        {person && history && offered.length === 0 ? (
          <p className="notice" role="status" data-testid="issue-blocked">
            {ownProfile?.block?.sentence ?? 'No card profile can be issued to this person here.'}
          </p>
        ) : (
          <select id="profile-select" data-testid="profile-select" value={profile} disabled={!person || !history} onChange={(e) => setProfile(e.target.value as Affiliation)}>
            {offered.map((c) => (
              <option key={c.profile.id} value={c.profile.id}>
                {c.profile.label}
              </option>
            ))}
          </select>
        )}
      </section>

      <ReaderPinProduce
        firstStep={3}
        profileId={profile}
        ready={person !== null && offered.some((c) => c.profile.id === profile)}
        onProduce={() => void onProduce()}
        hint={!person && <p className="muted">Choose the cardholder first.</p>}
      />
    </section>
  );
}
