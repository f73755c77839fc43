/**
 * How the cardholder gets a generated PIN (issue 11): shown once on this
 * screen (the default), or a PIN mailer, printed on a chosen print queue or
 * saved as a PDF. Chosen while the card is being made; when it is finished the
 * mailer is made first (it takes the PIN), then the PUK is shown. The core
 * audits only that a mailer was produced.
 */
import { useAcceptingQueues } from './print-queues';

/** The officer's choice. */
export type PinDeliveryChoice = { kind: 'screen' } | { kind: 'mailer-print'; queue: string } | { kind: 'mailer-pdf' };

export interface PinDeliveryProps {
  choice: PinDeliveryChoice;
  onChoose(choice: PinDeliveryChoice): void;
  /** True once the secrets were taken: the choice is settled. */
  settled: boolean;
  /** What became of the mailer (sentence), if one was made. */
  outcome: string | null;
}

export function PinDelivery({ choice, onChoose, settled, outcome }: PinDeliveryProps) {
  const { queues, error: queueError } = useAcceptingQueues();
  const queue = choice.kind === 'mailer-print' ? choice.queue : (queues[0] ?? '');
  return (
    <fieldset className="pin-delivery" data-testid="pin-delivery" data-choice={choice.kind} disabled={settled}>
      <legend>The generated PIN goes to the cardholder by</legend>
      <label className="choice">
        <input type="radio" name="pin-delivery" data-testid="pin-delivery-screen" checked={choice.kind === 'screen'} onChange={() => onChoose({ kind: 'screen' })} />
        this screen, once
      </label>
      <label className="choice">
        <input type="radio" name="pin-delivery" data-testid="pin-delivery-pdf" checked={choice.kind === 'mailer-pdf'} onChange={() => onChoose({ kind: 'mailer-pdf' })} />
        a PIN mailer saved as a PDF
      </label>
      <label className="choice">
        <input
          type="radio"
          name="pin-delivery"
          data-testid="pin-delivery-print"
          disabled={queues.length === 0}
          checked={choice.kind === 'mailer-print'}
          onChange={() => onChoose({ kind: 'mailer-print', queue })}
        />
        a PIN mailer printed on
      </label>
      <select data-testid="pin-delivery-queue" aria-label="Printer of the PIN mailer" value={queue} disabled={queues.length === 0} onChange={(e) => onChoose({ kind: 'mailer-print', queue: e.target.value })}>
        {queues.map((q) => (
          <option key={q} value={q}>
            {q}
          </option>
        ))}
      </select>
      {queueError && <p className="muted">{queueError}</p>}
      {outcome && (
        <p role="status" data-testid="pin-delivery-outcome">
          {outcome}
        </p>
      )}
    </fieldset>
  );
}
