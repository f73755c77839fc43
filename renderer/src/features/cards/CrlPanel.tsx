/**
 * The published CRL (RFC 5280 §5) as relying parties download it: number,
 * validity, how many certificates it lists, and where it is published.
 */
import { useEffect } from 'react';
import { dateTimeText } from '../../words/dates';
import { useCards, useStores } from '../../stores/stores';

export function CrlPanel() {
  const stores = useStores();
  const crl = useCards((s) => s.crl);
  const error = useCards((s) => s.crlError);

  useEffect(() => {
    void stores.cards.getState().loadCrl();
  }, [stores]);

  return (
    <section className="step crl-panel" data-testid="crl-panel" aria-labelledby="crl-title">
      <h3 id="crl-title">Certificate revocation list</h3>
      {error && (
        <p className="error" role="alert" data-testid="crl-error">
          {error}
        </p>
      )}
      {crl && (
        <dl className="card-identity">
          <dt>CRL number</dt>
          <dd data-testid="crl-number">{crl.crlNumber ?? '—'}</dd>
          <dt>Issued</dt>
          <dd data-testid="crl-this-update">{dateTimeText(crl.thisUpdate)}</dd>
          <dt>Next update</dt>
          <dd data-testid="crl-next-update">{crl.nextUpdate ? dateTimeText(crl.nextUpdate) : 'not announced'}</dd>
          <dt>Certificates listed</dt>
          <dd data-testid="crl-revoked-count">{crl.entries.length}</dd>
          <dt>Published at</dt>
          <dd data-testid="crl-distribution-point">{crl.distributionPoint ?? 'this station only'}</dd>
        </dl>
      )}
      <button type="button" data-testid="crl-refresh" onClick={() => void stores.cards.getState().loadCrl()}>
        Refresh
      </button>
    </section>
  );
}
