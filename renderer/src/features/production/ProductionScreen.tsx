/**
 * One production job, live: steps, progress and elapsed time, then either the
 * failure with Retry/Cancel, the result with the one-time secrets, or the
 * cancellation. Events move steps at once; `jobs.get` refreshes from the core.
 */
import { useEffect, useRef, useState } from 'react';
import { useJobs, useReaders, useStores } from '../../stores/stores';
import { progressOf } from '../../stores/jobs-store';
import { StepList } from './StepList';
import { FailurePanel } from './FailurePanel';
import { ResultPanel } from './ResultPanel';
import { elapsedMs, formatElapsed } from './elapsed';
import { PinDelivery, type PinDeliveryChoice } from './PinDelivery';
import { PersonPhoto } from '../photo/PersonPhoto';
import { CardFaceOfCard } from '../cardface/CardFacePreview';
import { downloadText } from '../audit/download';

/** Refresh of the elapsed time while a job runs, in milliseconds. */
const TICK_MS = 1000;

/** Where the keyboard goes when a job reaches a status: the element id of its outcome. */
const OUTCOME_FOCUS: Record<string, string> = { failed: 'failure-title', done: 'result-title', cancelled: 'cancelled-title', running: 'progress-text' };

export function ProductionScreen({ jobId }: { jobId: string }) {
  const stores = useStores();
  const job = useJobs((s) => s.jobs[jobId]);
  const secrets = useJobs((s) => s.secrets[jobId]);
  const actionError = useJobs((s) => s.errors[jobId] ?? null);
  const readers = useReaders((s) => s.readers);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    void stores.jobs.getState().load(jobId);
    // Secrets live only while this screen shows them.
    return () => stores.jobs.getState().forgetSecrets(jobId);
  }, [jobId, stores]);

  const status = job?.status;
  const [delivery, setDelivery] = useState<PinDeliveryChoice>({ kind: 'screen' });
  const [mailerOutcome, setMailerOutcome] = useState<string | null>(null);
  const pinGenerated = job?.pinGenerated === true;
  useEffect(() => {
    if (status !== 'done') return;
    let live = true;
    void (async () => {
      // A PIN mailer takes the PIN first; the screen then shows the PUK only.
      if (pinGenerated && delivery.kind !== 'screen') {
        const r = await stores.jobs.getState().pinMailer(jobId, delivery.kind === 'mailer-print' ? delivery.queue : undefined);
        if (!live) return;
        if (r === 'printed') setMailerOutcome(`The PIN mailer was sent to ${delivery.kind === 'mailer-print' ? delivery.queue : 'the printer'}.`);
        else if ('pdf' in r) {
          downloadText(`pin-mailer-${job?.card?.credentialNumber ?? jobId}.pdf`, r.pdf, 'application/pdf');
          setMailerOutcome('The PIN mailer was saved as a PDF.');
        } else setMailerOutcome(r.error);
      }
      if (live) await stores.jobs.getState().takeSecrets(jobId);
    })();
    return () => {
      live = false;
    };
    // The choice counts as it stands when the card is finished.
  }, [status, jobId, stores]);

  // After an action or a change of the job's state, the keyboard goes to its outcome (issue 12
  // "Keyboard"): the failure (its sentence and failed step), the result, the cancellation, or the
  // progress once a retry runs. The screen's first look is screen-focus.ts's.
  const shownStatus = useRef(status);
  useEffect(() => {
    const before = shownStatus.current;
    shownStatus.current = status;
    if (before === undefined || before === status) return;
    const target = OUTCOME_FOCUS[status ?? ''];
    if (!target || (status === 'running' && before !== 'failed')) return;
    document.getElementById(target)?.focus();
  }, [status]);

  useEffect(() => {
    if (status !== 'running' && status !== 'pending') return;
    const t = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(t);
  }, [status]);

  if (!job) {
    return (
      <section className="production-screen" data-testid="production-screen" data-job-id={jobId}>
        <h2>Production</h2>
        {actionError ? <p className="error" role="alert">{actionError}</p> : <p className="muted">Loading the job…</p>}
      </section>
    );
  }

  const { done, total } = progressOf(job);
  const elapsed = formatElapsed(elapsedMs(job, now));

  return (
    <section className="production-screen" data-testid="production-screen" data-job-id={jobId} data-status={job.status} aria-labelledby="production-title">
      <h2 id="production-title">
        Card for {job.personName || 'the cardholder'}
        {job.readerName && <span className="muted"> · {job.readerName}</span>}
      </h2>
      <div className="person-with-photo">
        <PersonPhoto personId={job.personId} width={90} name={job.personName} />
        {job.card && <CardFaceOfCard key={`${job.card.id}-${job.status}`} card={job.card.id} />}
      </div>
      {pinGenerated && <PinDelivery choice={delivery} onChoose={setDelivery} settled={secrets !== undefined} outcome={mailerOutcome} />}
      <div className="progress" aria-live="polite">
        <div
          className="progress-bar"
          data-testid="progress-bar"
          role="progressbar"
          aria-label="Steps done"
          aria-valuemin={0}
          aria-valuenow={done}
          aria-valuemax={total}
        >
          <div className="progress-fill" style={{ width: total ? `${(100 * done) / total}%` : '0%' }} />
        </div>
        <p className="progress-text" id="progress-text" data-testid="progress-text" tabIndex={-1}>
          {done} of {total} steps · {elapsed} elapsed
        </p>
      </div>

      {job.status === 'failed' && (
        <FailurePanel
          job={job}
          readers={readers}
          actionError={actionError}
          onRetry={(readerName, pin) => stores.jobs.getState().retry(jobId, readerName, pin)}
          onCancel={(reason) => stores.jobs.getState().cancel(jobId, reason)}
        />
      )}
      {job.status === 'done' && <ResultPanel job={job} secrets={secrets} onRecorded={() => void stores.jobs.getState().recordSecrets(jobId)} />}
      {job.status === 'cancelled' && (
        <div className="cancelled-panel" data-testid="cancelled-panel">
          <h3 id="cancelled-title" tabIndex={-1}>
            Job cancelled
          </h3>
          <p>Reason: {job.cancelReason ?? 'none given'}</p>
          <p className="muted">Every certificate this job had issued was revoked; the card can be used by a new job.</p>
        </div>
      )}
      {job.status !== 'failed' && actionError && <p className="error" role="alert">{actionError}</p>}

      <StepList steps={job.steps} />
    </section>
  );
}
