/**
 * Reissue (replace) a lost, stolen or damaged card in one flow: the reason,
 * the reader with the blank card for the replacement, and the PIN (typed by
 * the cardholder, or generated as in the issue flow). The core revokes the old
 * card, makes the replacement's approved request and starts its production;
 * the production screen then follows the job (steps, Retry/Cancel).
 */
import { useEffect, useState } from 'react';
import type { CardDetailView } from '../../../../electron/contract/station-api';
import { useCards, useIssue, useProfiles, useStores } from '../../stores/stores';
import { cardLabel, TERMINATION_REASON_WORDS, type ReissueReason } from '../../stores/cards-store';
import { pinEntryProblem, pinModesFor } from '../../../../electron/contract/pin-rules';
import { pinPolicyOf } from '../../stores/profiles-store';
import { PinEntry } from '../issue/PinEntry';
import { DeskReaderSelect, useCardPresent } from './DeskReaderSelect';

const REISSUE_REASONS: readonly ReissueReason[] = ['lost', 'stolen', 'damaged'];

export interface ReissueFormProps {
  card: CardDetailView;
  onJobStarted(jobId: string): void;
}

export function ReissueForm({ card, onJobStarted }: ReissueFormProps) {
  const stores = useStores();
  const busy = useCards((s) => s.busy);
  const pinMode = useIssue((s) => s.pinMode);
  const pin = useIssue((s) => s.pin);
  const pinConfirm = useIssue((s) => s.pinConfirm);
  const [reason, setReason] = useState<ReissueReason | ''>('');
  const [readerName, setReaderName] = useState<string | null>(null);
  const cardPresent = useCardPresent(readerName);
  const profiles = useProfiles((s) => s.list);
  // The replacement is produced under the replaced card's profile: its PIN policy applies.
  const policy = pinPolicyOf(profiles, card.profile);
  const modes = pinModesFor(policy);

  useEffect(() => {
    void stores.profiles.getState().load();
    const issue = stores.issue.getState();
    issue.setPinMode('typed');
    // The typed PIN never outlives this form.
    return () => issue.reset();
  }, [stores]);
  // A mode the profile does not allow is switched to the one it does.
  useEffect(() => {
    if (!modes.includes(pinMode)) stores.issue.getState().setPinMode(modes[0]!);
  }, [modes, pinMode, stores]);

  const pinOk = modes.includes(pinMode) && (pinMode === 'generated' || pinEntryProblem(pin, pinConfirm, policy) === null);
  const ready = reason !== '' && readerName !== null && cardPresent && pinOk && !busy;

  async function submit() {
    if (!ready || !readerName) return;
    const typed = pinMode === 'typed' ? pin : undefined;
    stores.issue.getState().setPinMode(pinMode); // clears the digits
    const jobId = await stores.cards.getState().reissue(reason, readerName, typed);
    if (jobId) onJobStarted(jobId);
  }

  return (
    <section className="desk-form reissue-form" data-testid="reissue-form" aria-label="Reissue the card">
      <p>
        {cardLabel(card)} of {card.personName} is revoked (unless it already is) and a replacement is produced for the same person and profile.
      </p>
      <label>
        Reason
        <select data-testid="reissue-reason" value={reason} onChange={(e) => setReason(e.target.value as ReissueReason | '')}>
          <option value="">Choose the reason…</option>
          {REISSUE_REASONS.map((r) => (
            <option key={r} value={r}>
              {TERMINATION_REASON_WORDS[r]}
            </option>
          ))}
        </select>
      </label>
      <DeskReaderSelect value={readerName} onChange={setReaderName} cardWords="a blank card for the replacement" />
      <PinEntry policy={policy} />
      <button type="button" className="primary big" data-testid="reissue-submit" disabled={!ready} onClick={() => void submit()}>
        {busy ? 'Starting…' : 'Revoke and produce the replacement'}
      </button>
    </section>
  );
}
