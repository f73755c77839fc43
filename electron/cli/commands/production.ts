/**
 * `station produce`, `station job retry|show|cancel|list`: production jobs
 * through the StationApi, with a progress line per step. The core runs the
 * job; the command follows its `job.event`s until it ends, then shows the
 * job and takes its one-time secrets (PUK, generated PIN) once.
 */
import type { CliContext } from '../context.js';
import { AlgorithmOption, parseOption, required } from '../args.js';
import { StationError } from '../../core/errors.js';
import type { ChannelInput, EventPayload, JobDetail, VerificationReport } from '../../contract/station-api.js';
import { capabilityLines, retryCountsSentence } from '../../contract/card-capabilities.js';
import { writeFileAtomic } from '../../core/atomic-file.js';

type Flags = Record<string, string | boolean | undefined>;

/** The option each production field comes from. */
export const PRODUCTION_OPTIONS = { personId: '--person', readerName: '--reader', pin: '--pin', profile: '--profile', algorithm: '--algorithm', requestId: '--request', jobId: 'job id', reason: '--reason' } as const;

/** Job events that end a job's run. */
const ENDINGS: ReadonlySet<string> = new Set(['job.finished', 'job.failed', 'job.cancelled']);

/** One progress line per step as it finishes, fails or is skipped. */
function progressLine(e: EventPayload<'job.event'>, labels: Map<string, string>): string | undefined {
  const n = e.index !== undefined ? `[${String(e.index + 1).padStart(2)}/${e.total}]` : '';
  const label = labels.get(e.step ?? '') ?? e.step;
  if (e.type === 'job.step.finished') return `${n} done     ${label}  (${e.ms} ms${e.apdus !== undefined ? `, ${e.apdus} APDUs` : ''})`;
  if (e.type === 'job.step.skipped') return `${n} skipped  ${label}  (already done)`;
  if (e.type === 'job.step.failed') return `${n} FAILED   ${label}: ${e.sentence}`;
  return undefined;
}

/**
 * Starts a job through `start` and follows its events, printing progress,
 * until the run ends. Events are collected from before the call, so none of a
 * fast job is missed.
 * @returns what `start` returned
 */
export async function followJob<T extends { jobId: string }>(ctx: CliContext, start: () => Promise<T>): Promise<T> {
  const seen: EventPayload<'job.event'>[] = [];
  let wake: (() => void) | undefined;
  const off = await ctx.on('job.event', (e) => {
    seen.push(e);
    wake?.();
  });
  try {
    const started = await start();
    const labels = new Map((await ctx.call('jobs.get', { jobId: started.jobId })).steps.map((s) => [s.name, s.label]));
    for (let next = 0; ; ) {
      for (; next < seen.length; next++) {
        const e = seen[next]!;
        if (e.jobId !== started.jobId) continue;
        const line = progressLine(e, labels);
        if (line) ctx.say(line);
        if (ENDINGS.has(e.type)) return started;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    off();
  }
}

/** The cardholder PIN from --pin or STATION_PIN (never echoed back). */
export function pinOption(flags: Flags): string | undefined {
  const pin = typeof flags.pin === 'string' ? flags.pin : process.env.STATION_PIN;
  return pin && pin.length > 0 ? pin : undefined;
}

/** Prints a verification report, with the capabilities the card showed. */
export function printVerification(report: Pick<VerificationReport, 'ok' | 'checks' | 'factoryState' | 'capabilities'> | null | undefined): void {
  if (!report) return;
  process.stdout.write(`\nVerification report: ${report.ok ? 'PASSED' : 'FAILED'}\n`);
  if (report.factoryState) process.stdout.write('  This card is in its factory state: it was not issued by this station.\n');
  for (const c of report.checks) process.stdout.write(`  ${c.skipped ? 'skip' : c.ok ? ' ok ' : 'FAIL'}  ${c.name}: ${c.detail}\n`);
  if (report.capabilities) {
    process.stdout.write('\nWhat the card showed it can do:\n');
    for (const line of capabilityLines(report.capabilities)) process.stdout.write(`  ${line.label}: ${line.value}\n`);
  }
}

/** The job as `produce` and `job retry` answer it: the JSON an operator's script reads. */
function outcomeJson(detail: JobDetail, secrets: { puk?: string; pin?: string }) {
  return {
    jobId: detail.id,
    status: detail.status,
    failedStep: detail.failedStep ?? undefined,
    error: detail.errorCode ? { code: detail.errorCode, message: detail.failure ?? '', retryable: detail.retryable ?? false } : undefined,
    card: detail.card ?? undefined,
    verification: detail.verification ?? undefined,
    puk: secrets.puk,
    pin: secrets.pin,
  };
}

/**
 * Shows how a job's run ended; on success takes its one-time secrets (after
 * writing the PIN mailer when asked, which takes the generated PIN).
 * @param started what started the job (a reissue: the replaced card, the replacement), added to the JSON
 * @returns the exit code: 0 done, 1 otherwise
 */
export async function reportJob(ctx: CliContext, jobId: string, flags: Flags, started: object = {}): Promise<number> {
  const detail = await ctx.call('jobs.get', { jobId });
  const done = detail.status === 'done';
  const mailerFile = typeof flags['pin-mailer'] === 'string' ? flags['pin-mailer'] : undefined;
  if (done && mailerFile) {
    const { pdf } = await ctx.call('jobs.pinMailer', { jobId });
    if (pdf) {
      writeFileAtomic(mailerFile, Buffer.from(pdf, 'base64'));
      ctx.say(`PIN mailer written to ${mailerFile} (the PIN is shown nowhere else).`);
    }
  }
  const secrets = done ? await ctx.call('jobs.takeSecrets', { jobId }) : {};
  const json = { ...started, ...outcomeJson(detail, secrets) };
  ctx.result(json, () => {
    if (!done) {
      process.stdout.write(`\nProduction FAILED at step "${detail.failedStep}": ${detail.failure ?? 'unknown error'}\n`);
      process.stdout.write(`Job ${detail.id} is kept. Fix the cause, then: station job retry ${detail.id} --reader "<reader>"  (or: station job cancel ${detail.id} --reason "...")\n`);
      return;
    }
    const card = detail.card!;
    process.stdout.write(`\nCard produced.\n  job         ${detail.id}\n  card serial ${card.serial ?? '-'}\n  GUID        ${card.guid}\n  FASC-N      ${card.fascn}\n  credential  ${card.credentialNumber}\n  status      ${card.status}\n  expires     ${card.expirationDate}\n`);
    if (card.capabilities?.retries) process.stdout.write(`  ${retryCountsSentence(card.capabilities.retries)}\n`);
    printVerification(detail.verification);
    if (secrets.pin) process.stdout.write(`\n  PIN (generated, shown once): ${secrets.pin}\n`);
    if (secrets.puk) process.stdout.write(`  PUK (shown once; escrowed encrypted): ${secrets.puk}\n  Write the PUK down for the cardholder's file now: it will not be shown again.\n`);
  });
  return done ? 0 : 1;
}

/**
 * `station produce --request REQ --reader NAME [--pin PIN]`: produces an approved request's card object.
 * `station produce --person ID --reader NAME [--pin PIN] [--algorithm p256|p384|rsa2048] [--profile P]`:
 * direct issue: a request and its production in one (the core's rule book decides).
 */
export async function produceCommand(ctx: CliContext, flags: Flags): Promise<number> {
  const readerName = required('reader', flags.reader);
  const pin = pinOption(flags);
  if (typeof flags.request === 'string') {
    const requestId = flags.request;
    const { jobId } = await followJob(ctx, () => ctx.call('requests.produce', { requestId, readerName, pin }, PRODUCTION_OPTIONS));
    return reportJob(ctx, jobId, flags);
  }
  const input: ChannelInput<'production.start'> = {
    personId: required('person', flags.person),
    readerName,
    pin,
    algorithm: flags.algorithm ? parseOption('--algorithm', AlgorithmOption, flags.algorithm) : undefined,
    profile: typeof flags.profile === 'string' ? (flags.profile as ChannelInput<'production.start'>['profile']) : undefined,
  };
  const { jobId } = await followJob(ctx, () => ctx.call('production.start', input, PRODUCTION_OPTIONS));
  return reportJob(ctx, jobId, flags);
}

/** `station job retry JOB --reader NAME [--pin PIN]`, `show JOB`, `cancel JOB --reason R`, `list` */
export async function jobCommand(ctx: CliContext, verb: string | undefined, args: string[], flags: Flags): Promise<number> {
  if (verb === 'list') {
    const jobs = await ctx.call('jobs.list', {});
    ctx.result(jobs, () => jobs.forEach((j) => process.stdout.write(`${j.id}  ${j.status.padEnd(9)} ${j.failedStep ?? ''}  ${j.updatedAt}\n`)));
    return 0;
  }
  const jobId = args[0];
  if (!jobId) throw new StationError('INVALID_INPUT', `Usage: station job ${verb ?? 'show'} JOB …`);
  if (verb === 'retry') {
    const readerName = required('reader', flags.reader);
    await followJob(ctx, () => ctx.call('jobs.retry', { jobId, readerName, pin: pinOption(flags) }, PRODUCTION_OPTIONS));
    return reportJob(ctx, jobId, flags);
  }
  if (verb === 'cancel') {
    const job = await ctx.call('jobs.cancel', { jobId, reason: required('reason', flags.reason) }, PRODUCTION_OPTIONS);
    ctx.result(job, () => process.stdout.write(`Job ${job.id} cancelled: ${job.cancelReason}. Its certificates are revoked.\n`));
    return 0;
  }
  if (verb === 'show') {
    const { steps, card, certificates, verification, needsPinForRetry, ...job } = await ctx.call('jobs.get', { jobId }, PRODUCTION_OPTIONS);
    ctx.result({ job, steps, card, certificates, verification, needsPinForRetry }, () => {
      process.stdout.write(`Job ${job.id}: ${job.status}${job.failedStep ? ` (failed at ${job.failedStep})` : ''}\n`);
      if (job.failure) process.stdout.write(`  reason: ${job.failure} [${job.errorCode}]\n`);
      for (const s of steps) process.stdout.write(`  ${s.status.padEnd(11)} ${s.label}${s.attempts > 1 ? ` (${s.attempts} attempts)` : ''}\n`);
    });
    return 0;
  }
  throw new StationError('INVALID_INPUT', 'Usage: station job retry|show|cancel|list');
}
