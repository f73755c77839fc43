/**
 * `station produce`, `station job retry|show|cancel|list`: production jobs
 * from the command line, with a progress line per step.
 */
import type { CliContext } from '../context.js';
import { AlgorithmOption, parseOption, required } from '../args.js';
import type { JobListener } from '../../core/issuance/job-types.js';
import type { ProductionOutcome } from '../../core/issuance/production-service.js';
import { allProductionSteps } from '../../core/issuance/production-steps.js';
import { StationError } from '../../core/errors.js';
import { guidToUuid } from '../../core/issuance/steps/chuid-step.js';
import { renderPinMailer } from '../../core/workflow/pin-mailer.js';
import { writeFileSync } from 'node:fs';
import { ProfileRegistry } from '../../core/workflow/profile-registry.js';
import { assertMayProduceFor } from '../../core/workflow/authorization.js';
import { NEEDS_APPROVAL_SENTENCE } from '../../core/workflow/requests.js';

type Flags = Record<string, string | boolean | undefined>;

/** Progress printer: one line per step as it finishes, fails or is skipped. */
function progress(ctx: CliContext): JobListener {
  const labels = new Map(allProductionSteps().map((s) => [s.name, s.label]));
  return (e) => {
    const n = 'index' in e ? `[${String(e.index + 1).padStart(2)}/${e.total}]` : '';
    if (e.type === 'job.step.finished') ctx.say(`${n} done     ${labels.get(e.step)}  (${e.ms} ms, ${e.apdus} APDUs)`);
    if (e.type === 'job.step.skipped') ctx.say(`${n} skipped  ${labels.get(e.step)}  (already done)`);
    if (e.type === 'job.step.failed') ctx.say(`${n} FAILED   ${labels.get(e.step)}: ${e.sentence}`);
  };
}

/** The cardholder PIN from --pin or STATION_PIN (never echoed back). */
function pinOption(flags: Flags): string | undefined {
  const pin = typeof flags.pin === 'string' ? flags.pin : process.env.STATION_PIN;
  return pin && pin.length > 0 ? pin : undefined;
}

/**
 * Writes a generated PIN into a PIN mailer PDF (mode 0600) instead of the
 * terminal; the audit records that a mailer was produced, never the PIN.
 */
async function writePinMailer(ctx: CliContext, outcome: ProductionOutcome, path: string): Promise<void> {
  const station = await ctx.station();
  const person = station.store.persons.get(outcome.card.personId);
  const pdf = await renderPinMailer({
    holderName: person ? `${person.givenName} ${person.surname}` : '',
    cardNumber: outcome.card.credentialNumber,
    organization: station.config.organization,
    pin: outcome.oneTimeSecrets!.pin!,
  });
  writeFileSync(path, pdf, { mode: 0o600 });
  station.store.audit.append({ actor: 'station', action: 'pin-mailer.produced', outcome: 'ok', personId: outcome.card.personId, cardId: outcome.card.id, jobId: outcome.job.id });
  outcome.oneTimeSecrets!.pin = undefined;
  ctx.say(`PIN mailer written to ${path} (the PIN is shown nowhere else).`);
}

/** Prints the outcome; returns the exit code. */
async function report(ctx: CliContext, outcome: ProductionOutcome, flags: Flags): Promise<number> {
  if (typeof flags['pin-mailer'] === 'string' && outcome.oneTimeSecrets?.pin) await writePinMailer(ctx, outcome, flags['pin-mailer']);
  const { job, card } = outcome;
  const json = {
    jobId: job.id,
    status: job.status,
    failedStep: job.failedStep ?? undefined,
    error: job.error ?? undefined,
    card: { id: card.id, serial: card.chipSerial, guid: guidToUuid(card.guid), fascn: card.fascn, credentialNumber: card.credentialNumber, status: card.status, expirationDate: card.expirationDate },
    verification: outcome.steps.find((s) => s.name === 'verify')?.data?.report,
    puk: outcome.oneTimeSecrets?.puk,
    pin: outcome.oneTimeSecrets?.pin,
  };
  ctx.result(json, () => {
    if (job.status !== 'done') {
      const err = job.error;
      process.stdout.write(`\nProduction FAILED at step "${job.failedStep}": ${err?.message ?? "unknown error"}\n`);
      process.stdout.write(`Job ${job.id} is kept. Fix the cause, then: station job retry ${job.id} --reader "<reader>"  (or: station job cancel ${job.id} --reason "...")\n`);
      return;
    }
    process.stdout.write(`\nCard produced.\n  job         ${job.id}\n  card serial ${card.chipSerial ?? '-'}\n  GUID        ${guidToUuid(card.guid)}\n  FASC-N      ${card.fascn}\n  credential  ${card.credentialNumber}\n  status      ${card.status}\n  expires     ${card.expirationDate}\n`);
    printVerification(json.verification as VerificationLike | undefined);
    if (json.pin) process.stdout.write(`\n  PIN (generated, shown once): ${json.pin}\n`);
    if (json.puk) process.stdout.write(`  PUK (shown once; escrowed encrypted): ${json.puk}\n  Write the PUK down for the cardholder's file now: it will not be shown again.\n`);
  });
  return job.status === 'done' ? 0 : 1;
}

interface VerificationLike {
  ok: boolean;
  checks: { name: string; ok: boolean; skipped?: boolean; detail: string }[];
}

/** Prints a verification report. */
export function printVerification(report: VerificationLike | undefined): void {
  if (!report) return;
  process.stdout.write(`\nVerification report: ${report.ok ? 'PASSED' : 'FAILED'}\n`);
  for (const c of report.checks) process.stdout.write(`  ${c.skipped ? 'skip' : c.ok ? ' ok ' : 'FAIL'}  ${c.name}: ${c.detail}\n`);
}

/**
 * `station produce --request REQ --reader NAME [--pin PIN]`: produces an approved request's card object.
 * `station produce --person ID --reader NAME [--pin PIN] [--algorithm p256|rsa2048] [--profile P]`:
 * direct production (issue 2), only for profiles that need no approval.
 */
export async function produceCommand(ctx: CliContext, flags: Flags): Promise<number> {
  const station = await ctx.station();
  if (typeof flags.request === 'string') {
    const caller = await ctx.authorize('requests.produce');
    const readerName = required('reader', flags.reader);
    const pin = pinOption(flags);
    const { job } = station.requests.startProduction(flags.request, readerName, pin, caller);
    let outcome: ProductionOutcome;
    try {
      outcome = await station.production.retry(job.id, readerName, pin, progress(ctx));
    } finally {
      station.requests.jobSettled(job.id);
    }
    return report(ctx, outcome, flags);
  }
  const caller = await ctx.authorize('production.start');
  const person = station.store.persons.get(required('person', flags.person));
  if (!person) throw new StationError('NOT_FOUND_RECORD', `There is no person ${flags.person}.`);
  assertMayProduceFor(caller.officer, person.id);
  if (new ProfileRegistry(station).profile(typeof flags.profile === 'string' ? flags.profile : person.affiliation).approvalRequired) {
    throw new StationError('FORBIDDEN', NEEDS_APPROVAL_SENTENCE, { rule: 'approvalRequired' });
  }
  const algorithm = flags.algorithm ? parseOption('--algorithm', AlgorithmOption, flags.algorithm) : undefined;
  const outcome = await station.production.produce(
    {
      personId: required('person', flags.person),
      readerName: required('reader', flags.reader),
      pin: pinOption(flags),
      algorithm,
      profile: typeof flags.profile === 'string' ? flags.profile : undefined,
    },
    progress(ctx),
  );
  return report(ctx, outcome, flags);
}

/** `station job retry JOB --reader NAME [--pin PIN]`, `show JOB`, `cancel JOB --reason R`, `list` */
export async function jobCommand(ctx: CliContext, verb: string | undefined, args: string[], flags: Flags): Promise<number> {
  const station = await ctx.station();
  const caller = await ctx.authorize(verb === 'retry' ? 'jobs.retry' : verb === 'cancel' ? 'jobs.cancel' : verb === 'list' ? 'jobs.list' : 'jobs.get');
  if (verb === 'list') {
    const jobs = station.store.jobs.list();
    ctx.result(jobs, () => jobs.forEach((j) => process.stdout.write(`${j.id}  ${j.status.padEnd(9)} ${j.failedStep ?? ''}  ${j.updatedAt}\n`)));
    return 0;
  }
  const jobId = args[0];
  if (!jobId) throw new StationError('INVALID_INPUT', `Usage: station job ${verb ?? 'show'} JOB …`);
  if (verb === 'retry') {
    const job = station.store.jobs.get(jobId);
    if (job) assertMayProduceFor(caller.officer, job.personId);
    station.requests.jobStarted(jobId);
    try {
      const outcome = await station.production.retry(jobId, required('reader', flags.reader), pinOption(flags), progress(ctx));
      return await report(ctx, outcome, flags);
    } finally {
      station.requests.jobSettled(jobId);
    }
  }
  if (verb === 'cancel') {
    const job = await station.production.cancel(jobId, required('reason', flags.reason));
    station.requests.jobSettled(jobId);
    ctx.result(job, () => process.stdout.write(`Job ${job.id} cancelled: ${job.cancelReason}. Its certificates are revoked.\n`));
    return 0;
  }
  if (verb === 'show') {
    const shown = station.production.show(jobId);
    ctx.result(shown, () => {
      process.stdout.write(`Job ${shown.job.id}: ${shown.job.status}${shown.job.failedStep ? ` (failed at ${shown.job.failedStep})` : ''}\n`);
      const err = shown.job.error;
      if (err) process.stdout.write(`  reason: ${err.message} [${err.code}]\n`);
      for (const s of shown.steps) process.stdout.write(`  ${s.status.padEnd(11)} ${s.label}${s.attempts > 1 ? ` (${s.attempts} attempts)` : ''}\n`);
    });
    return 0;
  }
  throw new StationError('INVALID_INPUT', 'Usage: station job retry|show|cancel|list');
}
