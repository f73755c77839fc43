/**
 * The last steps shared by the issue screen and the produce-request screen:
 * the reader (waits for a card, says when it is not PIV), the PIN as the card
 * profile's PIN policy allows, and the Produce button. The screens say what
 * comes before (the person, or the approved request) and what Produce does.
 */
import { useEffect, useMemo, type ReactNode } from 'react';
import { useIssue, useProfiles, useReaders, useStores } from '../../stores/stores';
import { cardProblem } from '../../stores/issue-store';
import { pinEntryProblem, pinModesFor } from '../../../../electron/contract/pin-rules';
import { readersForChoice } from '../../stores/readers-store';
import { pinPolicyOf } from '../../stores/profiles-store';
import { PinEntry } from './PinEntry';

export interface ReaderPinProduceProps {
  /** Number of the reader step in the screen (the PIN step follows it). */
  firstStep: number;
  /** The card profile of the card to produce (its PIN policy applies); undefined until known. */
  profileId: string | undefined;
  /** Whatever the screen still needs before producing is there (a person, an approved request it may produce). */
  ready: boolean;
  /** Starts the production (the issue store clears the PIN whatever happens). */
  onProduce(): void;
  /** Shown under the button (e.g. what is still missing). */
  hint?: ReactNode;
}

export function ReaderPinProduce({ firstStep, profileId, ready, onProduce, hint }: ReaderPinProduceProps) {
  const stores = useStores();
  const readers = useReaders((s) => s.readers);
  const readerName = useIssue((s) => s.readerName);
  const pinMode = useIssue((s) => s.pinMode);
  const pin = useIssue((s) => s.pin);
  const pinConfirm = useIssue((s) => s.pinConfirm);
  const starting = useIssue((s) => s.starting);
  const error = useIssue((s) => s.error);
  const setReader = useIssue((s) => s.setReader);
  const setPinMode = useIssue((s) => s.setPinMode);
  const profiles = useProfiles((s) => s.list);

  useEffect(() => {
    void stores.profiles.getState().load();
  }, [stores]);

  const choices = useMemo(() => readersForChoice(readers), [readers]);
  // Preselect the best reader (one holding a card) until the officer picks one.
  useEffect(() => {
    if (readerName === null && choices.length > 0) setReader(choices[0]!.name);
  }, [readerName, choices, setReader]);

  const policy = pinPolicyOf(profiles, profileId);
  const modes = pinModesFor(policy);
  // A mode the profile does not allow is switched to the one it does.
  useEffect(() => {
    if (!modes.includes(pinMode)) setPinMode(modes[0]!);
  }, [modes, pinMode, setPinMode]);

  const reader = readers.find((r) => r.name === readerName);
  const problem = cardProblem(reader);
  const pinOk = modes.includes(pinMode) && (pinMode === 'generated' || pinEntryProblem(pin, pinConfirm, policy) === null);
  const canProduce = ready && reader?.cardPresent === true && problem === null && pinOk && !starting;

  return (
    <>
      <section className="step">
        <h3>
          <label htmlFor="reader-select">{firstStep}. Reader</label>
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
          {readerName !== null && !reader?.cardPresent && (
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
        <h3>{firstStep + 1}. PIN</h3>
        <PinEntry policy={policy} />
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
        {hint}
      </section>
    </>
  );
}
