/**
 * Approvals (approver): the requests waiting for a decision. Approve creates
 * the card object (card number, FASC-N, PUK) in the core; reject needs a
 * reason. Approve is disabled, with the rule in words, where separation of
 * duties refuses it (the contract's dutyBlock, as the core asks it): a
 * request the officer created, or one for themselves.
 */
import { useEffect } from 'react';
import type { CardRequestView, OfficerView } from '../../../../electron/contract/station-api';
import { DEFAULT_DUTY_SETTINGS, dutyBlock, requestParties, type DutySettings } from '../../../../electron/contract/duties';
import { useRequests, useSession, useStation, useStores } from '../../stores/stores';

/** Why `officer` may not approve `request`, in words, or null. */
function approvalBlock(request: CardRequestView, officer: OfficerView | null, settings: DutySettings): string | null {
  if (!officer) return 'Log in to approve requests.';
  return dutyBlock('request', 'approve', request.state, officer, requestParties(request), settings)?.sentence ?? null;
}
import { RequestTable } from '../requests/RequestTable';
import { DecisionCell } from './DecisionCell';

export function ApprovalsScreen() {
  const stores = useStores();
  const officer = useSession((s) => s.officer);
  const pending = useRequests((s) => s.pending);
  const listError = useRequests((s) => s.listError);
  const settings = useStation((s) => s.info?.separationOfDuties) ?? DEFAULT_DUTY_SETTINGS;

  useEffect(() => {
    void stores.requests.getState().loadPending();
  }, [stores]);

  return (
    <section className="approvals-screen" data-testid="approvals-screen" aria-labelledby="approvals-title">
      <h2 id="approvals-title">Requests waiting for approval</h2>
      {listError && (
        <p className="error" role="alert">
          {listError}
        </p>
      )}
      <RequestTable
        requests={pending}
        empty="No request is waiting for approval."
        actions={(r) => <DecisionCell request={r} block={approvalBlock(r, officer, settings)} />}
      />
    </section>
  );
}
