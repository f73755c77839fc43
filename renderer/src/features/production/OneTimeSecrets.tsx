/**
 * A produced card's one-time secrets on screen: the PUK (and a generated
 * PIN), with the warning to write them down now and the button confirming
 * they are recorded (after which the core forgets them). Shown by the single
 * production's result and by the batch screen for each produced card, so both
 * say the same and behave the same.
 */
import type { JobSecrets } from '../../stores/jobs-store';

export interface OneTimeSecretsProps {
  secrets: JobSecrets;
  /** The officer confirmed the secrets are recorded; absent: no confirmation asked here. */
  onRecorded?: () => void;
  /** Disables the confirmation while it is being sent. */
  busy?: boolean;
}

export function OneTimeSecrets({ secrets, onRecorded, busy = false }: OneTimeSecretsProps) {
  return (
    <div className="puk-warning" data-testid="puk-warning" role="alert">
      <p className="warning-title">Write the PUK down now: once you confirm, it will not be shown again</p>
      {secrets.puk && (
        <p>
          PUK: <code className="secret" data-testid="puk-value">{secrets.puk}</code>
        </p>
      )}
      {secrets.pin && (
        <p>
          Generated PIN (give it to the cardholder): <code className="secret" data-testid="pin-value">{secrets.pin}</code>
        </p>
      )}
      {onRecorded && (
        <button type="button" className="primary" data-testid="secrets-recorded" disabled={busy} onClick={onRecorded}>
          {secrets.pin ? 'I have recorded the PUK and the PIN' : 'I have recorded the PUK'}
        </button>
      )}
    </div>
  );
}
