/**
 * A table of card requests: cardholder, profile, state, card number, who
 * requested and decided, and when. `actions` renders extra cells per row.
 */
import { requestNumberText } from '../../../../electron/contract/request-number';
import type { ReactNode } from 'react';
import { dateTimeText } from '../../words/dates';
import type { CardRequestView } from '../../../../electron/contract/station-api';
import { REQUEST_STATE_WORDS } from '../../stores/requests-store';
import { PersonPhoto } from '../photo/PersonPhoto';

/** Where a request came from, in the officer's words. */
const SOURCE_WORDS: Record<CardRequestView['source'], string> = {
  desk: 'at the desk',
  kiosk: 'at the kiosk',
  idprs: 'from the IDPRS',
};

export interface RequestTableProps {
  requests: CardRequestView[];
  /** Extra cell content per row (buttons, explanations). */
  actions?: (request: CardRequestView) => ReactNode;
  /** The words shown when the list is empty. */
  empty?: string;
  /** Shows each cardholder's photo beside the name (approvals: the approver compares photo and identity). */
  photos?: boolean;
}

export function RequestTable({ requests, actions, empty = 'No request to show.', photos = false }: RequestTableProps) {
  if (requests.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table className="requests">
      <thead>
        <tr>
          <th scope="col">Cardholder</th>
          <th scope="col">Profile</th>
          <th scope="col">State</th>
          <th scope="col">Card number</th>
          <th scope="col">Requested</th>
          <th scope="col">Request</th>
          {actions && <th scope="col">Action</th>}
        </tr>
      </thead>
      <tbody>
        {requests.map((r) => (
          <tr key={r.id} data-testid="request-row" data-request-id={r.id} data-request-number={requestNumberText(r.number)} data-state={r.state} className={`request-row state-${r.state}`}>
            <td>
              {photos ? (
                <span className="person-with-photo">
                  <PersonPhoto personId={r.personId} width={60} name={r.personName} />
                  {r.personName}
                </span>
              ) : (
                r.personName
              )}
            </td>
            <td>{r.profile}</td>
            <td>
              {REQUEST_STATE_WORDS[r.state]}
              {r.state === 'rejected' && r.decisionReason && <span className="muted"> · {r.decisionReason}</span>}
            </td>
            <td>{r.cardNumber ?? '—'}</td>
            <td>
              {dateTimeText(r.createdAt)}
              <span className="muted"> · {SOURCE_WORDS[r.source]}</span>
            </td>
            <td data-testid="request-number">{requestNumberText(r.number)}</td>
            {actions && <td>{actions(r)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
