/**
 * The audit log for auditors (issue 5 "Audit"): filter by date range
 * (UTC), officer, person and card; a paged table (time, officer, action,
 * card, person, outcome); export of the filtered log as CSV or JSON; and
 * "Verify chain", reporting exactly what `station audit verify` says.
 */
import { auditActionText } from '../../words/codes';
import { useEffect, type FormEvent } from 'react';
import type { AuditEventView } from '../../../../electron/contract/station-api';
import { auditVerificationLines } from '../../../../electron/contract/audit-report';
import type { AuditFilterFields } from '../../stores/audit-store';
import { useAudit, useStores } from '../../stores/stores';
import { downloadText, EXPORT_MIME } from './download';

const FILTER_FIELDS: { name: keyof AuditFilterFields; label: string; placeholder: string }[] = [
  { name: 'from', label: 'From (UTC)', placeholder: 'YYYY-MM-DD' },
  { name: 'to', label: 'To (UTC)', placeholder: 'YYYY-MM-DD' },
  { name: 'officer', label: 'Officer', placeholder: 'username' },
  { name: 'personId', label: 'Person id', placeholder: 'any person' },
  { name: 'cardId', label: 'Card id', placeholder: 'any card' },
];

const OUTCOME_WORDS: Record<AuditEventView['outcome'], string> = { ok: 'OK', failed: 'Failed', refused: 'Refused' };

/** `2025-03-01T09:00:01.123Z` → `2025-03-01 09:00:01Z`: the log's own UTC time, as the filter dates are. */
function utcTime(at: string): string {
  return at.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function AuditScreen() {
  const stores = useStores();
  const fields = useAudit((s) => s.fields);
  const events = useAudit((s) => s.events);
  const pageStarts = useAudit((s) => s.pageStarts);
  const hasNext = useAudit((s) => s.hasNext);
  const listError = useAudit((s) => s.listError);
  const exportError = useAudit((s) => s.exportError);
  const exporting = useAudit((s) => s.exporting);
  const verification = useAudit((s) => s.verification);
  const verifyError = useAudit((s) => s.verifyError);
  const verifying = useAudit((s) => s.verifying);
  const audit = stores.audit.getState();

  useEffect(() => {
    void stores.audit.getState().search();
  }, [stores]);

  function submit(e: FormEvent) {
    e.preventDefault();
    void audit.search();
  }

  async function exportAs(format: 'csv' | 'json') {
    const file = await audit.exportLog(format);
    if (file) downloadText(file.filename, file.content, EXPORT_MIME[format]);
  }

  return (
    <section className="audit-screen" data-testid="audit-screen" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <form className="audit-filter" onSubmit={submit} aria-label="Audit filter">
        {FILTER_FIELDS.map((f) => (
          <label key={f.name}>
            {f.label}
            <input
              data-testid={`audit-filter-${f.name}`}
              value={fields[f.name]}
              placeholder={f.placeholder}
              onChange={(e) => audit.setField(f.name, e.target.value)}
            />
          </label>
        ))}
        <button type="submit" data-testid="audit-search">
          Show
        </button>
      </form>
      <div className="audit-actions">
        <button type="button" data-testid="audit-export-csv" disabled={exporting} onClick={() => void exportAs('csv')}>
          Export CSV
        </button>
        <button type="button" data-testid="audit-export-json" disabled={exporting} onClick={() => void exportAs('json')}>
          Export JSON
        </button>
        <button type="button" data-testid="audit-verify" disabled={verifying} onClick={() => void audit.verify()}>
          Verify chain
        </button>
      </div>
      {verification && (
        <div data-testid="audit-verify-result" data-ok={String(verification.ok)} className={verification.ok ? 'ok' : 'error'} role={verification.ok ? 'status' : 'alert'}>
          {auditVerificationLines(verification).map((line) => (
            <p key={line}>{line}</p>
          ))}
        </div>
      )}
      {[listError, exportError, verifyError].map(
        (error, i) =>
          error && (
            <p key={i} className="error" role="alert" data-testid={['audit-error', 'audit-export-error', 'audit-verify-error'][i]}>
              {error}
            </p>
          ),
      )}
      {events.length === 0 && !listError ? (
        <p className="muted" data-testid="audit-empty">
          No audit event matches the filter.
        </p>
      ) : (
        <table className="audit" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Officer</th>
              <th scope="col">Action</th>
              <th scope="col">Card</th>
              <th scope="col">Person</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.seq} data-testid="audit-row" data-seq={e.seq} data-action={e.action} data-outcome={e.outcome}>
                <td>{utcTime(e.at)}</td>
                <td data-testid="audit-officer">{e.actor}</td>
                <td data-testid="audit-action">{auditActionText(e.action)}</td>
                <td>{e.cardId && <FilterLink id={e.cardId} what="card" onPick={() => void audit.filterBy('cardId', e.cardId!)} />}</td>
                <td>{e.personId && <FilterLink id={e.personId} what="person" onPick={() => void audit.filterBy('personId', e.personId!)} />}</td>
                <td data-testid="audit-outcome">{OUTCOME_WORDS[e.outcome]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(pageStarts.length > 1 || hasNext) && (
        <div className="pager">
          <button type="button" data-testid="audit-previous" disabled={pageStarts.length <= 1} onClick={() => void audit.previousPage()}>
            Previous
          </button>
          <span data-testid="audit-page">Page {pageStarts.length}</span>
          <button type="button" data-testid="audit-next" disabled={!hasNext} onClick={() => void audit.nextPage()}>
            Next
          </button>
        </div>
      )}
    </section>
  );
}

/** A card or person id in the table (its first 8 characters); a click shows only that record's events. */
function FilterLink({ id, what, onPick }: { id: string; what: 'card' | 'person'; onPick: () => void }) {
  return (
    <button type="button" className="link" title={`Show this ${what}'s events`} data-testid={`audit-${what}`} onClick={onPick}>
      {id.slice(0, 8)}
    </button>
  );
}
