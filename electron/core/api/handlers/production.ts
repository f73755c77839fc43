/** StationApi handlers, production: direct production, jobs, one-time secrets, the card check. */
import type { productionChannels } from '../../../contract/channels/production.js';
import { StationError } from '../../errors.js';
import { verifyCard } from '../../issuance/verify-card.js';
import { withCardSession } from '../../piv/card-session.js';
import { officerOf, type HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';
import { jobDetail, jobSummary } from '../views.js';

export function productionHandlers({ store, production, requests, readers, readerReady, rules, jobs, emit, ports }: CoreServices): HandlerTable<keyof typeof productionChannels> {
  return {
    'production.start': async (input, ctx) => {
      await readerReady(input.readerName);
      // Direct issue: the same request record as a desk request, under the same approval policy (the rule book decides).
      const job = requests.issueDirect(input, ctx.caller);
      jobs.launch(job.id, input.readerName, (claim) => production.retry(job.id, input.readerName, input.pin, jobs.listener, claim), officerOf(ctx).username);
      return { jobId: job.id };
    },
    'jobs.list': async ({ status }) => store.jobs.list(status ? { status } : undefined).map((job) => jobSummary(store, job)),
    'jobs.get': async ({ jobId }) => jobDetail(store, production, jobId),
    'jobs.retry': async ({ jobId, readerName, pin }, ctx) => {
      if (jobs.isRunning(jobId)) throw new StationError('JOB_STATE', 'This job is already running.');
      await readerReady(readerName);
      const job = store.jobs.get(jobId);
      if (!job) throw new StationError('NOT_FOUND_RECORD', `There is no production job ${jobId}.`);
      if (job.status === 'done' || job.status === 'cancelled') throw new StationError('JOB_STATE', `This job is ${job.status}; there is nothing to retry.`);
      if ((job.params as { pinSource?: string }).pinSource === 'given' && !pin) {
        throw new StationError('INVALID_INPUT', "This job needs the cardholder's PIN again: ask the cardholder to type it.", { field: 'pin' });
      }
      requests.retryJob(jobId, ctx.caller);
      jobs.launch(jobId, readerName, (claim) => production.retry(jobId, readerName, pin, jobs.listener, claim), officerOf(ctx).username);
      return { jobId };
    },
    'jobs.cancel': async ({ jobId, reason }) => {
      const wasCancelled = store.jobs.get(jobId)?.status === 'cancelled';
      const job = await production.cancel(jobId, reason);
      requests.jobSettled(jobId);
      // Cancelling again changes nothing (the first reason stays): no second event.
      if (!wasCancelled) emit('job.event', { type: 'job.cancelled', jobId, sentence: job.cancelReason ?? reason });
      return jobSummary(store, job);
    },
    'jobs.takeSecrets': async ({ jobId }, ctx) => {
      // Never the one-time secrets of one's own card (the rule book), and only for the officer who ran the job (the runner).
      const card = store.cards.get(store.jobs.get(jobId)?.cardId ?? '');
      if (card) rules.takeSecrets(card, ctx.caller);
      return jobs.takeSecrets(jobId, officerOf(ctx).username);
    },
    'jobs.pinMailer': async ({ jobId }, ctx) => {
      const officer = officerOf(ctx);
      const job = store.jobs.get(jobId);
      // The rule book's PIN mailer row: never for one's own card.
      const card = store.cards.get(job?.cardId ?? '');
      if (card) rules.pinMailer(card, ctx.caller);
      const pin = await jobs.takePin(jobId, officer.username);
      if (pin === undefined || !job) return { pdf: null };
      const person = store.persons.get(job.personId);
      // pdf-lib loads with the first PIN mailer, not with the station (issue 14: start-up).
      const { renderPinMailer } = await import('../../workflow/pin-mailer.js');
      const pdf = await renderPinMailer({
        holderName: person ? `${person.givenName} ${person.surname}` : '',
        cardNumber: card?.credentialNumber ?? '',
        organization: ports.config.organization,
        pin,
      });
      // The audit records that a mailer was made, and by whom: never the PIN.
      store.audit.append({ actor: officer.username, action: 'pin-mailer.produced', outcome: 'ok', personId: job.personId, cardId: job.cardId, jobId });
      return { pdf: Buffer.from(pdf).toString('base64') };
    },
    'card.verify': async ({ readerName, pin }) => {
      readers.assertFree(readerName, `A card is being produced in ${readerName}.`);
      return withCardSession(ports.readers, readerName, async (session) => {
        const identity = await session.identify();
        return verifyCard({
          session,
          trust: await ports.ca.trustAnchors(),
          verifyPin: pin ? () => session.verifyPin(pin) : undefined,
          identity,
          certificateStatus: (serial) => store.certificates.get(serial)?.status,
        });
      });
    },
  };
}
