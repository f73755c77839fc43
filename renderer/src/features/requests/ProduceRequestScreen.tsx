/**
 * Produce an approved request (production): pick the request, the reader and
 * the PIN; `requests.produce` starts the job on the card object made at
 * approval and the production screen follows it. A request for the officer's
 * own card is not offered for production (the core refuses it anyway).
 */
import { useEffect, useMemo, useState } from 'react';
import { useIssue, useReaders, useRequests, useSession, useStores } from '../../stores/stores';
import { cardProblem, pinProblem } from '../../stores/issue-store';
import { readersForChoice } from '../../stores/readers-store';
import { productionBlock } from '../../stores/approval-rules';
import { PinEntry } from '../issue/PinEntry';

export interface ProduceRequestScreenProps {
  /** Opens the production screen of the job just started. */
  onJobStarted(jobId: string): void;
}

export function ProduceRequestScreen({ onJobStarted }: ProduceRequestScreenProps) {
  const stores = useStores();
  const officer = useSession((s) => s.officer);
  const approved = useRequests((s) => s.approved);
  const listError = useRequests((s) => s.listError);
  const readers = useReaders((s) => s.readers);
  const readerName = useIssue((s) => s.readerName);
  const pinMode = useIssue((s) => s.pinMode);
  const pin = useIssue((s) => s.pin);
  const pinConfirm = useIssue((s) => s.pinConfirm);
  const starting = useIssue((s) => s.starting);
  const error = useIssue((s) => s.error);
  const setReader = useIssue((s) => s.setReader);
  const [requestId, setRequestId] = useState<string | null>(null);

  useEffect(() => {
    void stores.requests.getState().loadApproved();
  }, [stores]);

  const choices = useMemo(() => readersForChoice(readers), [readers]);
  useEffect(() => {
    if (readerName === null && choices.length > 0) setReader(choices[0]!.name);
  }, [readerName, choices, setReader]);

  const request = approved.find((r) => r.id === requestId);
  const block = request ? productionBlock(request, officer) : null;
  const reader = readers.find((r) => r.name === readerName);
  const problem = cardProblem(reader);
  const pinOk = pinMode === 'generated' || pinProblem(pin, pinConfirm) === null;
  const canProduce = request !== undefined && block === null && reader?.cardPresent === true && problem === null && pinOk && !starting;

  async function produce() {
    if (!requestId) return;
    const jobId = await stores.issue.getState().produceRequest(requestId);
    if (jobId) onJobStarted(jobId);
  }

  return (
    <section className="produce-request-screen issue-flow" data-testid="produce-request-screen" aria-labelledby="produce-request-title">
      <h2 id="produce-request-title">Produce an approved request</h2>
      <section className="step">
        <h3>1. Approved request</h3>
        {listError && (
          <p className="error" role="alert">
            {listError}
          </p>
        )}
        {approved.length === 0 ? (
          <p className="muted">No approved request is waiting for production.</p>
        ) : (
          <div role="radiogroup" aria-label="Approved requests" className="request-choices">
            {approved.map((r) => (
              <label key={r.id} className="choice">
                <input
                  type="radio"
                  name="approved-request"
                  data-testid="approved-request"
                  data-request-id={r.id}
                  checked={requestId === r.id}
                  onChange={() => setRequestId(r.id)}
                />
                {r.personName} · {r.profile}
                {r.cardNumber && <> · card {r.cardNumber}</>}
              </label>
            ))}
          </div>
        )}
        {block && (
          <p className="hint" data-testid="produce-blocked">
            {block}
          </p>
        )}
      </section>

      <section className="step">
        <h3>
          <label htmlFor="reader-select">2. Reader</label>
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
        <h3>3. PIN</h3>
        <PinEntry />
      </section>

      <section className="step">
        {error && (
          <p className="error" role="alert" data-testid="issue-error">
            {error}
          </p>
        )}
        <button type="button" className="primary big" data-testid="produce-button" disabled={!canProduce} onClick={() => void produce()}>
          {starting ? 'Starting…' : 'Produce the card'}
        </button>
      </section>
    </section>
  );
}
