/**
 * The PIN step of issuing: the cardholder types the PIN twice, or the station
 * generates it (shown once at the end), as the card profile's PIN policy
 * allows; the lengths are the profile's. The digits are never shown; the rule
 * and a mismatch are said in words.
 */
import { useState } from 'react';
import type { PinPolicy } from '../../../../electron/contract/card-profile';
import { DEFAULT_PIN_POLICY } from '../../../../electron/contract/card-profile';
import { useIssue } from '../../stores/stores';
import { chosenPinProblemWhileTyping, chosenPinRule, pinEntryProblem, pinModesFor, pinRule } from '../../../../electron/contract/pin-rules';
import { SecretDigitsInput } from './SecretDigitsInput';

export interface PinEntryProps {
  /** The card profile's PIN policy (default: 6 to 8 digits, typed or generated). */
  policy?: PinPolicy;
}

export function PinEntry({ policy = DEFAULT_PIN_POLICY }: PinEntryProps) {
  const pinMode = useIssue((s) => s.pinMode);
  const pin = useIssue((s) => s.pin);
  const pinConfirm = useIssue((s) => s.pinConfirm);
  const setPinMode = useIssue((s) => s.setPinMode);
  const setPin = useIssue((s) => s.setPin);
  const setPinConfirm = useIssue((s) => s.setPinConfirm);
  const [pinLeft, setPinLeft] = useState(false);
  const [confirmLeft, setConfirmLeft] = useState(false);

  const modes = pinModesFor(policy);
  const rule = pinRule(policy);
  // A PIN the rule refuses is said as soon as it is long enough to judge (issue 12 obs. 7); a
  // mismatch or a short PIN once the officer has left a field or typed the confirmation.
  const typingProblem = chosenPinProblemWhileTyping(pin, policy);
  const entryProblem = pinEntryProblem(pin, pinConfirm, policy);
  const entryShown = (pinLeft && pin.length > 0) || confirmLeft || (pinConfirm.length > 0 && pinConfirm.length >= pin.length);
  const problem = typingProblem ?? (entryShown ? entryProblem : null);
  const showProblem = pinMode === 'typed' && problem !== null;

  return (
    <fieldset className="pin-entry">
      <legend>PIN</legend>
      <div className="row" role="radiogroup" aria-label="How the PIN is chosen">
        {modes.includes('typed') && (
          <label className="choice">
            <input type="radio" name="pin-mode" data-testid="pin-mode-typed" checked={pinMode === 'typed'} onChange={() => setPinMode('typed')} />
            The cardholder types the PIN
          </label>
        )}
        {modes.includes('generated') && (
          <label className="choice">
            <input type="radio" name="pin-mode" data-testid="pin-mode-generated" checked={pinMode === 'generated'} onChange={() => setPinMode('generated')} />
            The station generates the PIN ({rule}, shown once at the end)
          </label>
        )}
      </div>
      {modes.length === 1 && (
        <p className="hint" data-testid="pin-policy">
          {modes[0] === 'typed' ? 'This card profile needs a PIN chosen by the cardholder.' : 'This card profile has the station generate the PIN.'}
        </p>
      )}
      {pinMode === 'typed' && (
        <div className="pin-pad">
          <p className="rule" id="pin-rule" data-testid="pin-rule">
            The PIN: {chosenPinRule(policy)}.
          </p>
          <label>
            PIN
            <SecretDigitsInput data-testid="pin-input" aria-describedby="pin-rule" value={pin} onDigits={setPin} onBlur={() => setPinLeft(true)} />
          </label>
          <label>
            PIN again
            <SecretDigitsInput data-testid="pin-confirm" aria-describedby="pin-rule" value={pinConfirm} onDigits={setPinConfirm} onBlur={() => setConfirmLeft(true)} />
          </label>
          {showProblem && (
            <p className="error" data-testid="pin-error" role="alert">
              {problem}
            </p>
          )}
        </div>
      )}
    </fieldset>
  );
}
