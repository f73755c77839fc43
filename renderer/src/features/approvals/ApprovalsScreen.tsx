/**
 * Approvals (approver): the requests waiting for a decision. Approve creates
 * the card object (card number, FASC-N, PUK) in the core; reject needs a
 * reason. Approve is disabled, with the rule in words, for a request the
 * officer created or one for themselves: the core refuses those anyway.
 */
import { useEffect } from 'react';
import { useRequests, useSession, useStores } from '../../stores/stores';
import { approvalBlock } from '../../stores/approval-rules';
import { RequestTable } from '../requests/RequestTable';
import { DecisionCell } from './DecisionCell';

export function ApprovalsScreen() {
  const stores = useStores();
  const officer = useSession((s) => s.officer);
  const pending = useRequests((s) => s.pending);
  const listError = useRequests((s) => s.listError);

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
        photos
        requests={pending}
        empty="No request is waiting for approval."
        actions={(r) => <DecisionCell request={r} block={approvalBlock(r, officer)} />}
      />
    </section>
  );
}
