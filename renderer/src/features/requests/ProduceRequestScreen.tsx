/**
 * Produce an approved request (production): pick the request, the reader and
 * the PIN; `requests.produce` starts the job on the card object made at
 * approval and the production screen follows it. A request separation of
 * duties keeps from this officer (their own card, their own approval, their
 * own request where the agency's policy says so: the contract's dutyBlock, as
 * the core asks it) is not offered for production.
 */
import { requestNumberText } from '../../../../electron/contract/request-number';
import { useEffect, useState } from 'react';
import { DEFAULT_DUTY_SETTINGS, dutyBlock, requestParties } from '../../../../electron/contract/duties';
import { useRequests, useSession, useStation, useStores } from '../../stores/stores';
import { ReaderPinProduce } from '../issue/ReaderPinProduce';

export interface ProduceRequestScreenProps {
  /** Opens the production screen of the job just started. */
  onJobStarted(jobId: string): void;
}

export function ProduceRequestScreen({ onJobStarted }: ProduceRequestScreenProps) {
  const stores = useStores();
  const officer = useSession((s) => s.officer);
  const approved = useRequests((s) => s.approved);
  const listError = useRequests((s) => s.listError);
  const [requestId, setRequestId] = useState<string | null>(null);

  useEffect(() => {
    void stores.requests.getState().loadApproved();
  }, [stores]);

  const request = approved.find((r) => r.id === requestId);
  const settings = useStation((s) => s.info?.separationOfDuties) ?? DEFAULT_DUTY_SETTINGS;
  const block = request && officer ? (dutyBlock('request', 'produce', request.state, officer, requestParties(request), settings)?.sentence ?? null) : null;

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
                {r.cardNumber && <> · card {r.cardNumber}</>} · request {requestNumberText(r.number)}
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

      <ReaderPinProduce firstStep={2} profileId={request?.profile} ready={request !== undefined && block === null} onProduce={() => void produce()} />
    </section>
  );
}
