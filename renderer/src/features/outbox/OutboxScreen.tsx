/**
 * Notifications to the IDPRS (issue 5): the outbox in three tabs (pending,
 * delivered, dead letters) with each event's type, card, person, attempts,
 * last error and next attempt; dead letters can be redelivered one by one or
 * all at once by officers whose role allows it. The list refreshes itself
 * while the screen is open. On a station that does not deliver at all the
 * core's sentence says what to configure, and pending events say they wait
 * for that rather than showing a next attempt (issue 12, observation 3).
 */
import { useEffect } from 'react';
import { dateTimeText } from '../../words/dates';
import type { OutboxEventView } from '../../../../electron/contract/station-api';
import { OUTBOX_PAGE_SIZE, type OutboxTab } from '../../stores/outbox-store';
import { mayCall } from '../../../../electron/contract/access';
import { useOutbox, useSession, useStores } from '../../stores/stores';

const TABS: { tab: OutboxTab; label: string }[] = [
  { tab: 'pending', label: 'Pending' },
  { tab: 'delivered', label: 'Delivered' },
  { tab: 'dead', label: 'Dead letters' },
];

export function OutboxScreen() {
  const stores = useStores();
  const officer = useSession((s) => s.officer);
  const tab = useOutbox((s) => s.tab);
  const counts = useOutbox((s) => s.counts);
  const events = useOutbox((s) => s.events);
  const total = useOutbox((s) => s.total);
  const offset = useOutbox((s) => s.offset);
  const listError = useOutbox((s) => s.listError);
  const actionError = useOutbox((s) => s.actionError);
  const notice = useOutbox((s) => s.notice);
  const busy = useOutbox((s) => s.busy);
  const delivery = useOutbox((s) => s.delivery);
  const notDelivering = delivery !== null && !delivery.configured;
  const mayRedeliver = mayCall(officer, 'outbox.redeliver');

  useEffect(() => stores.outbox.getState().start(), [stores]);

  const outbox = stores.outbox.getState();
  const dead = tab === 'dead';
  return (
    <section className="outbox-screen" data-testid="outbox-screen" aria-labelledby="outbox-title">
      <h2 id="outbox-title">Notifications to the IDPRS</h2>
      <div role="tablist" aria-label="Notification status" className="tabs">
        {TABS.map((t) => (
          <button
            key={t.tab}
            type="button"
            role="tab"
            aria-selected={tab === t.tab}
            data-testid={`outbox-tab-${t.tab}`}
            onClick={() => void outbox.setTab(t.tab)}
          >
            {t.label} <span data-testid={`outbox-count-${t.tab}`}>({counts[t.tab]})</span>
          </button>
        ))}
      </div>
      {notDelivering && (
        <p className="notice" role="status" data-testid="outbox-not-configured" data-missing={delivery.missing.join(' ')}>
          {delivery.sentence}
        </p>
      )}
      {listError && (
        <p className="error" role="alert" data-testid="outbox-error">
          {listError}
        </p>
      )}
      {actionError && (
        <p className="error" role="alert" data-testid="outbox-action-error">
          {actionError}
        </p>
      )}
      {notice && (
        <p role="status" data-testid="outbox-notice">
          {notice}
        </p>
      )}
      {dead && mayRedeliver && counts.dead > 0 && (
        <button type="button" data-testid="outbox-redeliver-all" disabled={busy} onClick={() => void outbox.redeliverAll()}>
          Redeliver all dead letters
        </button>
      )}
      {events.length === 0 ? (
        <p className="muted" data-testid="outbox-empty">
          {tab === 'pending' ? 'Nothing waits for delivery.' : tab === 'delivered' ? 'Nothing has been delivered yet.' : 'There are no dead letters.'}
        </p>
      ) : (
        <table className="outbox" data-testid="outbox-table">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Card</th>
              <th scope="col">Person</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last error</th>
              <th scope="col">{tab === 'pending' ? (notDelivering ? 'Delivery' : 'Next attempt') : tab === 'delivered' ? 'Delivered' : 'Dead since'}</th>
              {dead && mayRedeliver && <th scope="col">Action</th>}
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <OutboxRow key={e.id} event={e} redeliver={dead && mayRedeliver ? () => void outbox.redeliver(e.id) : undefined} busy={busy} waiting={notDelivering} />
            ))}
          </tbody>
        </table>
      )}
      {total > OUTBOX_PAGE_SIZE && (
        <div className="pager">
          <button type="button" data-testid="outbox-previous" disabled={offset === 0} onClick={() => void outbox.setOffset(offset - OUTBOX_PAGE_SIZE)}>
            Previous
          </button>
          <span data-testid="outbox-page">
            {offset + 1}–{Math.min(offset + OUTBOX_PAGE_SIZE, total)} of {total}
          </span>
          <button type="button" data-testid="outbox-next" disabled={offset + OUTBOX_PAGE_SIZE >= total} onClick={() => void outbox.setOffset(offset + OUTBOX_PAGE_SIZE)}>
            Next
          </button>
        </div>
      )}
    </section>
  );
}

/** One event; `waiting`: the station does not deliver, so a pending event has no next attempt to show. */
function OutboxRow({ event: e, redeliver, busy, waiting }: { event: OutboxEventView; redeliver?: () => void; busy: boolean; waiting: boolean }) {
  const when = e.status === 'pending' ? e.nextAttemptAt : e.status === 'delivered' ? e.deliveredAt : e.deadAt;
  const whenText = e.status === 'pending' && waiting ? 'Waits until delivery is configured' : when ? dateTimeText(when) : '';
  return (
    <tr data-testid="outbox-row" data-event-id={e.id} data-status={e.status} data-type={e.type}>
      <td>
        {e.type} <span className="muted">#{e.seq}</span>
      </td>
      <td data-testid="outbox-card">{e.cardNumber ?? (e.cardId ? e.cardId.slice(0, 8) : '—')}</td>
      <td data-testid="outbox-person">{e.personName ?? e.personId ?? 'Station (audit anchor)'}</td>
      <td data-testid="outbox-attempts">{e.attempts}</td>
      <td data-testid="outbox-last-error">{e.lastError ?? ''}</td>
      <td data-testid="outbox-when">{whenText}</td>
      {redeliver && (
        <td>
          <button type="button" data-testid="outbox-redeliver" disabled={busy} onClick={redeliver}>
            Redeliver
          </button>
        </td>
      )}
    </tr>
  );
}
