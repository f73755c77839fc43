/**
 * Approvals (approver): the requests waiting for a decision, each with what
 * the approver needs to check identity before deciding (issue 12, observation
 * 4): the person's photo and identifiers, who requested the card, when (in
 * the station's locale) and through which channel (desk, kiosk, IDPRS).
 * Approve creates the card object (card number, FASC-N, PUK) in the core and
 * the screen confirms it in words ("Approved: card 00000002 for Ada
 * Lovelace"), staying on the list with its pending count; reject needs a
 * reason. Approve is disabled, with the rule in words, where separation of
 * duties refuses it (the contract's dutyBlock, as the core asks it): a
 * request the officer created, or one for themselves.
 */
import { useEffect, useRef, useState } from 'react';
import type { CardRequestView, OfficerView } from '../../../../electron/contract/station-api';
import { AFFILIATION_WORDS } from '../../../../electron/contract/card-profile';
import { DEFAULT_DUTY_SETTINGS, dutyBlock, requestParties, type DutySettings } from '../../../../electron/contract/duties';
import { useRequests, useSession, useStation, useStores } from '../../stores/stores';
import { dateTimeText } from '../../words/dates';
import { PersonPhoto } from '../photo/PersonPhoto';
import { DecisionCell, type DecisionCellProps } from './DecisionCell';

/** Why `officer` may not approve `request`, in words, or null. */
function approvalBlock(request: CardRequestView, officer: OfficerView | null, settings: DutySettings): string | null {
  if (!officer) return 'Log in to approve requests.';
  return dutyBlock('request', 'approve', request.state, officer, requestParties(request), settings)?.sentence ?? null;
}

/** Who asked for the card and through which channel, in the approver's words. */
function requestedThrough(r: CardRequestView): string {
  switch (r.source) {
    case 'desk':
      return `At the desk, by ${r.requestedBy ?? 'an officer no longer registered'}`;
    case 'kiosk':
      return 'At the kiosk, by the cardholder';
    case 'idprs':
      return 'From the identity registration system (IDPRS)';
  }
}

/** "1 request waits", "3 requests wait". */
const waiting = (n: number): string => (n === 1 ? '1 request waits for a decision' : `${n} requests wait for a decision`);

/** The sentence confirming a decision the core accepted. */
function decisionSentence(decision: Parameters<NonNullable<DecisionCellProps['onDecided']>>[0]): string {
  if ('approved' in decision) {
    const r = decision.approved;
    return r.cardNumber ? `Approved: card ${r.cardNumber} for ${r.personName}.` : `Approved: the card for ${r.personName}.`;
  }
  return `Rejected: the request for ${decision.rejected.personName}.`;
}

export function ApprovalsScreen() {
  const stores = useStores();
  const officer = useSession((s) => s.officer);
  const pending = useRequests((s) => s.pending);
  const listError = useRequests((s) => s.listError);
  const settings = useStation((s) => s.info?.separationOfDuties) ?? DEFAULT_DUTY_SETTINGS;
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    void stores.requests.getState().loadPending();
  }, [stores]);
  // The confirmation takes the focus: the row the officer acted on is gone.
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  return (
    <section className="approvals-screen" data-testid="approvals-screen" aria-labelledby="approvals-title">
      <h2 id="approvals-title">Requests waiting for approval</h2>
      <p data-testid="approvals-pending-count" data-count={pending.length}>
        {pending.length === 0 ? 'No request waits for a decision.' : waiting(pending.length)}
      </p>
      {notice && (
        <p className="notice" role="status" tabIndex={-1} ref={noticeRef} data-testid="approval-notice">
          {notice}
        </p>
      )}
      {listError && (
        <p className="error" role="alert">
          {listError}
        </p>
      )}
      {pending.length > 0 && (
        <table className="requests approvals">
          <thead>
            <tr>
              <th scope="col">Cardholder</th>
              <th scope="col">Identifiers</th>
              <th scope="col">Profile</th>
              <th scope="col">Requested</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {pending.map((r) => (
              <tr key={r.id} data-testid="request-row" data-request-id={r.id} data-state={r.state} className={`request-row state-${r.state}`}>
                <td>
                  <span className="person-with-photo">
                    <PersonPhoto personId={r.personId} width={90} name={r.personName} />
                    <span data-testid="approval-person-name">{r.personName}</span>
                  </span>
                </td>
                <td>
                  {r.person ? (
                    <dl className="identifiers">
                      <dt>Affiliation</dt>
                      <dd data-testid="approval-person-affiliation">{AFFILIATION_WORDS[r.person.affiliation]}</dd>
                      <dt>Employee ID</dt>
                      <dd data-testid="approval-person-employee-id">{r.person.employeeId ?? 'none recorded'}</dd>
                      <dt>E-mail</dt>
                      <dd data-testid="approval-person-email">{r.person.email ?? 'none recorded'}</dd>
                    </dl>
                  ) : (
                    <span className="muted">The person record is gone.</span>
                  )}
                </td>
                <td>{AFFILIATION_WORDS[r.profile]}</td>
                <td>
                  <span data-testid="approval-requested-at">{dateTimeText(r.createdAt)}</span>
                  <br />
                  <span data-testid="approval-channel" data-source={r.source}>
                    {requestedThrough(r)}
                  </span>
                </td>
                <td>
                  <DecisionCell request={r} block={approvalBlock(r, officer, settings)} onDecided={(d) => setNotice(decisionSentence(d))} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
