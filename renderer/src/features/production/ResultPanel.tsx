/**
 * A produced card: its identity, certificates and the verification report,
 * and the one-time secrets. The PUK (and a generated PIN) come from
 * `jobs.takeSecrets`: they are shown here and nowhere else, with the warning
 * to write them down now, until the officer confirms they are recorded (then
 * the core forgets them; before that, a reload shows them again).
 */
import type { JobDetail } from '../../../../electron/contract/station-api';
import type { JobSecrets } from '../../stores/jobs-store';
import { retryCountsSentence } from '../../../../electron/contract/card-capabilities';
import { CardCapabilities } from '../cards/CardCapabilities';
import { OneTimeSecrets } from './OneTimeSecrets';
import { dateText, dateTimeText } from '../../words/dates';

export interface ResultPanelProps {
  job: JobDetail;
  /** Undefined while the secrets are being fetched. */
  secrets: JobSecrets | undefined;
  /** The officer confirmed the secrets are recorded. */
  onRecorded?: () => void;
}

type Check = NonNullable<JobDetail['verification']>['checks'][number];
const checkWord = (c: Check) => (c.skipped ? 'skipped' : c.ok ? 'passed' : 'FAILED');

export function ResultPanel({ job, secrets, onRecorded }: ResultPanelProps) {
  const report = job.verification;
  const capabilities = job.card?.capabilities ?? report?.capabilities;
  // Certificates on the card as verified; the job's records when no report exists.
  const certificates = report?.certificates.length
    ? report.certificates.map((c) => ({ slot: c.slot, serial: c.serial, detail: c.subject, notAfter: c.notAfter }))
    : job.certificates.map((c) => ({ slot: c.slot, serial: c.serial, detail: c.status, notAfter: c.notAfter }));

  return (
    <div className="result-panel" data-testid="result-panel">
      <h3 id="result-title" tabIndex={-1}>
        The card is ready
      </h3>
      {secrets && (secrets.puk || secrets.pin) && <OneTimeSecrets secrets={secrets} onRecorded={onRecorded} />}
      {secrets && !secrets.puk && !secrets.pin && <p className="muted">The PUK was shown and recorded; it cannot be shown again.</p>}

      <dl className="card-identity">
        <dt>Card number</dt>
        <dd data-testid="result-card-number">{job.card?.cardNumber ?? '—'}</dd>
        <dt>Chip serial</dt>
        <dd data-testid="result-serial">{job.card?.serial ?? '—'}</dd>
        <dt>FASC-N</dt>
        <dd data-testid="result-fascn">
          <code>{job.card?.fascn ?? report?.fascn ?? '—'}</code>
        </dd>
        <dt>GUID</dt>
        <dd data-testid="result-guid">
          <code>{job.card?.guid ?? report?.guid ?? '—'}</code>
        </dd>
        {job.card?.expirationDate && (
          <>
            <dt>Expires</dt>
            <dd data-testid="result-expiration" data-date={job.card.expirationDate}>
              {dateText(job.card.expirationDate)}
            </dd>
          </>
        )}
      </dl>

      {capabilities?.retries && (
        <p className="notice" data-testid="result-retries">
          {retryCountsSentence(capabilities.retries)}
        </p>
      )}

      <h4>Certificates</h4>
      <table data-testid="result-certificates">
        <thead>
          <tr>
            <th scope="col">Slot</th>
            <th scope="col">Serial</th>
            <th scope="col">{report?.certificates.length ? 'Subject' : 'Status'}</th>
            <th scope="col">Valid until</th>
          </tr>
        </thead>
        <tbody>
          {certificates.map((c) => (
            <tr key={`${c.slot}-${c.serial}`} data-slot={c.slot}>
              <td>{c.slot}</td>
              <td>
                <code>{c.serial}</code>
              </td>
              <td>{c.detail}</td>
              <td>{dateTimeText(c.notAfter) || c.notAfter}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h4>Verification {report && (report.ok ? '— all checks passed' : '— some checks FAILED')}</h4>
      {report ? (
        <table data-testid="verification-report">
          <tbody>
            {report.checks.map((c) => (
              <tr key={c.name} data-testid="verification-check" data-check={c.name} className={`check-${checkWord(c)}`}>
                <td>{c.name}</td>
                <td className="check-outcome">{checkWord(c)}</td>
                <td>{c.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No verification report was recorded for this job.</p>
      )}

      <details data-testid="result-capabilities">
        <summary>What this card can do</summary>
        <CardCapabilities capabilities={capabilities} />
      </details>
    </div>
  );
}
