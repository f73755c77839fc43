/**
 * Step 4 of issuing: the cardholder types the PIN twice, or the station
 * generates it (shown once at the end). The digits are never shown; the rule
 * and a mismatch are said in words.
 */
import { useState } from 'react';
import { useIssue } from '../../stores/stores';
import { PIN_RULE, pinProblem } from '../../stores/issue-store';
import { SecretDigitsInput } from './SecretDigitsInput';

export interface PinEntryProps {
  /** Whether the station may generate the PIN (default true); false shows the typed PIN only. */
  allowGenerated?: boolean;
}

export function PinEntry({ allowGenerated = true }: PinEntryProps = {}) {
  const pinMode = useIssue((s) => s.pinMode);
  const pin = useIssue((s) => s.pin);
  const pinConfirm = useIssue((s) => s.pinConfirm);
  const setPinMode = useIssue((s) => s.setPinMode);
  const setPin = useIssue((s) => s.setPin);
  const setPinConfirm = useIssue((s) => s.setPinConfirm);
  const [pinLeft, setPinLeft] = useState(false);
  const [confirmLeft, setConfirmLeft] = useState(false);

  const problem = pinProblem(pin, pinConfirm);
  // Speak up once the officer has left a field or the confirmation is as long as the PIN, not at every keystroke.
  const showProblem =
    pinMode === 'typed' &&
    problem !== null &&
    ((pinLeft && pin.length > 0) || confirmLeft || (pinConfirm.length > 0 && pinConfirm.length >= pin.length));

  return (
    <fieldset className="pin-entry">
      <legend>PIN</legend>
      <div className="row" role="radiogroup" aria-label="How the PIN is chosen">
        <label className="choice">
          <input type="radio" name="pin-mode" data-testid="pin-mode-typed" checked={pinMode === 'typed'} onChange={() => setPinMode('typed')} />
          The cardholder types the PIN
        </label>
        {allowGenerated && (
          <label className="choice">
            <input type="radio" name="pin-mode" data-testid="pin-mode-generated" checked={pinMode === 'generated'} onChange={() => setPinMode('generated')} />
            The station generates the PIN (shown once at the end)
          </label>
        )}
      </div>
      {pinMode === 'typed' && (
        <div className="pin-pad">
          <p className="rule" id="pin-rule">
            {PIN_RULE}
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
