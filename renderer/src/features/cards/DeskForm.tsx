/**
 * The at-desk operations on the opened card, which must be in a reader:
 * activate (the cardholder types the PIN, verified on the card), unlock (the
 * cardholder types a new PIN twice; the station uses the escrowed PUK, never
 * shown, and rotates it), recycle (after a confirmation, the card is reset to
 * a blank). The PIN fields are emptied after every attempt.
 */
import { useEffect, useState } from 'react';
import type { CardDetailView } from '../../../../electron/contract/station-api';
import { useCards, useProfiles, useStores } from '../../stores/stores';
import { cardLabel } from '../../stores/cards-store';
import { chosenPinProblemWhileTyping, chosenPinRule, pinEntryProblem, pinRule, verifiedPinProblem } from '../../../../electron/contract/pin-rules';
import { pinPolicyOf } from '../../stores/profiles-store';
import { SecretDigitsInput } from '../issue/SecretDigitsInput';
import { DeskReaderSelect, useCardPresent } from './DeskReaderSelect';

export type DeskOperation = 'activate' | 'unlock' | 'recycle';

const SUBMIT_WORDS: Record<DeskOperation, string> = {
  activate: 'Verify the PIN and activate',
  unlock: 'Unlock with the new PIN',
  recycle: 'Recycle the card',
};

export interface DeskFormProps {
  operation: DeskOperation;
  card: CardDetailView;
  onDone(): void;
}

export function DeskForm({ operation, card, onDone }: DeskFormProps) {
  const stores = useStores();
  const busy = useCards((s) => s.busy);
  const [readerName, setReaderName] = useState<string | null>(null);
  const [pin, setPin] = useState('');
  const [pinConfirm, setPinConfirm] = useState('');
  const [confirmLeft, setConfirmLeft] = useState(false);
  const cardPresent = useCardPresent(readerName);
  const profiles = useProfiles((s) => s.list);
  useEffect(() => {
    if (operation === 'unlock') void stores.profiles.getState().load();
  }, [stores, operation]);
  // Activation only verifies the PIN the cardholder chose (its form); an unlock chooses a new one under the card profile's policy.
  const policy = pinPolicyOf(profiles, card.profile);

  const problem = operation === 'activate' ? verifiedPinProblem(pin) : operation === 'unlock' ? pinEntryProblem(pin, pinConfirm, policy) : null;
  // The new PIN's rule is said as soon as the PIN is long enough to judge; a mismatch once the confirmation is typed.
  const typingProblem = operation === 'unlock' ? chosenPinProblemWhileTyping(pin, policy) : null;
  const shownProblem = typingProblem ?? (operation === 'unlock' && (confirmLeft || (pinConfirm.length > 0 && pinConfirm.length >= pin.length)) ? problem : null);
  const showProblem = shownProblem !== null;
  const ready = readerName !== null && cardPresent && problem === null && !busy;

  async function submit() {
    if (!readerName || !ready) return;
    const cards = stores.cards.getState();
    const typed = pin;
    // The digits leave the screen now, whatever the outcome.
    setPin('');
    setPinConfirm('');
    setConfirmLeft(false);
    const ok = operation === 'activate' ? await cards.activate(readerName, typed) : operation === 'unlock' ? await cards.unlock(readerName, typed) : await cards.recycle(readerName);
    if (ok) onDone();
  }

  return (
    <section className="desk-form" data-testid={`${operation}-form`} aria-label={SUBMIT_WORDS[operation]}>
      <DeskReaderSelect value={readerName} onChange={setReaderName} cardWords={`${cardLabel(card)} (${card.personName})`} />
      {operation === 'activate' && (
        <div className="pin-pad">
          <p className="rule" id="activate-pin-rule">
            The cardholder types the PIN chosen at production ({pinRule()}).
          </p>
          <label>
            PIN
            <SecretDigitsInput data-testid="activate-pin" aria-describedby="activate-pin-rule" value={pin} onDigits={setPin} />
          </label>
        </div>
      )}
      {operation === 'unlock' && (
        <div className="pin-pad">
          <p className="rule" id="unlock-pin-rule">
            The cardholder chooses a new PIN: {chosenPinRule(policy)}. The station resets the PIN with the escrowed PUK and replaces the PUK.
          </p>
          <label>
            New PIN
            <SecretDigitsInput data-testid="unlock-pin" aria-describedby="unlock-pin-rule" value={pin} onDigits={setPin} />
          </label>
          <label>
            New PIN again
            <SecretDigitsInput data-testid="unlock-pin-confirm" aria-describedby="unlock-pin-rule" value={pinConfirm} onDigits={setPinConfirm} onBlur={() => setConfirmLeft(true)} />
          </label>
          {showProblem && (
            <p className="error" role="alert" data-testid="unlock-pin-error">
              {shownProblem}
            </p>
          )}
        </div>
      )}
      {operation === 'recycle' && (
        <p className="puk-warning" data-testid="recycle-confirmation">
          Recycle {cardLabel(card)} of {card.personName}? Its certificates that are still valid are revoked, and everything on the card is erased: it becomes a blank card
          for a new production. This cannot be undone.
        </p>
      )}
      <div className="row">
        <button type="button" className={operation === 'recycle' ? 'danger' : 'primary'} data-testid="desk-submit" disabled={!ready} onClick={() => void submit()}>
          {busy ? 'Working…' : SUBMIT_WORDS[operation]}
        </button>
        <button type="button" disabled={busy} onClick={onDone}>
          Cancel
        </button>
      </div>
    </section>
  );
}
