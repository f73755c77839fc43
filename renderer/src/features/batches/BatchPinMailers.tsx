/**
 * PIN mailers for a batch's produced cards (issue 12 observation 2, issue 11's PIN mailer): one
 * click makes the mailer of every produced card whose generated PIN still waits, through the
 * channel single production uses (jobs.pinMailer: the core's rule book decides whether this
 * officer may, card by card, renders the mailer and takes the PIN; the PUK stays for "Show the
 * PUK"). Printed on a chosen print queue, or saved as PDFs when the station has no printer.
 * The core audits that each mailer was made, never the PIN.
 */
import { useState } from 'react';
import type { BatchView } from '../../../../electron/contract/station-api';
import { requestNumberText } from '../../../../electron/contract/request-number';
import { downloadText } from '../audit/download';
import { useStores } from '../../stores/stores';
import { useAcceptingQueues } from '../production/print-queues';

/** The batch's cards whose one-time secrets (PUK, generated PIN) still wait. */
export function cardsWithWaitingSecrets(batch: BatchView): (BatchView['items'][number] & { jobId: string })[] {
  return batch.items.filter((i): i is BatchView['items'][number] & { jobId: string } => i.state === 'done' && i.secretsWaiting === true && i.jobId !== null);
}

export function BatchPinMailers({ batch }: { batch: BatchView }) {
  const stores = useStores();
  const { queues } = useAcceptingQueues();
  const [chosenQueue, setQueue] = useState<string | null>(null);
  // The first accepting queue until the officer chooses one; none: PDF files.
  const queue = chosenQueue ?? queues[0] ?? '';
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const waiting = cardsWithWaitingSecrets(batch);

  if (waiting.length === 0 && outcome === null) return null;

  async function makeMailers() {
    setBusy(true);
    setOutcome(null);
    const failed: string[] = [];
    let made = 0;
    for (const item of waiting) {
      const named = `${item.requestNumber === null ? 'A card' : requestNumberText(item.requestNumber)} (${item.personName})`;
      const r = await stores.jobs.getState().pinMailer(item.jobId, queue || undefined);
      if (r === 'printed') made += 1;
      else if ('pdf' in r) {
        downloadText(`pin-mailer-${item.cardNumber ?? item.jobId}.pdf`, r.pdf, 'application/pdf');
        made += 1;
      } else failed.push(`${named}: ${r.error}`);
    }
    setProblems(failed);
    const mailers = `${made} PIN ${made === 1 ? 'mailer' : 'mailers'}`;
    setOutcome(queue ? `${mailers} sent to ${queue}.` : `${mailers} saved as PDF files.`);
    setBusy(false);
    await stores.batches.getState().load(batch.id);
  }

  return (
    <div className="batch-pin-mailers" data-testid="batch-pin-mailers">
      {waiting.length > 0 && (
        <div className="row">
          <label>
            PIN mailers on{' '}
            <select data-testid="batch-pin-mailers-queue" value={queue} disabled={busy || queues.length === 0} onChange={(e) => setQueue(e.target.value)}>
              {queues.length === 0 && <option value="">no printer: save PDF files</option>}
              {queues.map((q) => (
                <option key={q} value={q}>
                  {q}
                </option>
              ))}
            </select>
          </label>
          <button type="button" data-testid="batch-pin-mailers-print" disabled={busy} onClick={() => void makeMailers()}>
            {queue ? 'Print' : 'Save'} PIN mailers for {waiting.length} produced {waiting.length === 1 ? 'card' : 'cards'}
          </button>
        </div>
      )}
      {outcome && (
        <p role="status" data-testid="batch-pin-mailers-outcome">
          {outcome}
        </p>
      )}
      {problems.length > 0 && (
        <ul className="error" role="alert" data-testid="batch-pin-mailers-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
