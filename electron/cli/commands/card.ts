/**
 * `station card …`: the card lifecycle at the desk (issue 5), as the --as
 * officer, with the roles the core checks for the matching channels.
 *   card list [--status S1,S2] [--person ID] | card show CARD
 *   card revoke CARD --reason lost|stolen|damaged|left|key-compromise
 *   card suspend CARD | card resume CARD
 *   card activate --reader NAME --pin PIN
 *   card unlock --reader NAME   (new PIN from --new-pin or STATION_NEW_PIN)
 *   card reissue CARD --reader NAME [--reason lost|stolen|damaged] [--pin PIN]
 *   card recycle --reader NAME
 * CARD is the card id, its 8-digit card number or its GUID.
 */
import { z } from 'zod';
import type { CliContext } from '../context.js';
import { parseOption, required } from '../args.js';
import { StationError } from '../../core/errors.js';
import { CARD_STATUSES } from '../../core/store/records.js';
import { REISSUE_REASONS, TERMINATION_REASONS } from '../../core/lifecycle/reasons.js';
import type { CardDetailView, CardView } from '../../core/lifecycle/service.js';
import { guidToUuid } from '../../core/issuance/steps/chuid-step.js';

type Flags = Record<string, string | boolean | undefined>;

const StatusesOption = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(CARD_STATUSES, `each status is one of ${CARD_STATUSES.join(', ')}`)).min(1));
const ReasonOption = z.enum(TERMINATION_REASONS, `the reason is one of ${TERMINATION_REASONS.join(', ')}`);
const ReissueReasonOption = z.enum(REISSUE_REASONS, `the reason is one of ${REISSUE_REASONS.join(', ')}`);

/** Env var with the cardholder's new PIN for `card unlock` (never on the command line of a shared machine). */
export const NEW_PIN_ENV = 'STATION_NEW_PIN';

function line(c: CardView): string {
  return `${c.id}  ${c.status.padEnd(17)} ${c.cardNumber ?? '--------'}  ${c.personName}  expires ${c.expirationDate}\n`;
}

function detail(c: CardDetailView): string {
  const certs = c.certificates.map((x) => `    ${x.slot}  ${x.serial}  ${x.status}${x.revocationReason ? ` (${x.revocationReason})` : ''}  until ${x.notAfter}\n`).join('');
  return `Card ${c.id}\n  holder      ${c.personName}\n  status      ${c.status}\n  card number ${c.cardNumber ?? '-'}\n  GUID        ${c.guid}\n  FASC-N      ${c.fascn}\n  expires     ${c.expirationDate}\n  certificates\n${certs || '    none\n'}`;
}

/** `station card VERB …`; returns the exit code. */
export async function cardCommand(ctx: CliContext, verb: string | undefined, args: string[], flags: Flags): Promise<number> {
  const station = await ctx.station();
  const lifecycle = station.lifecycle;
  const show = (c: CardDetailView) => ctx.result(c, () => process.stdout.write(detail(c)));
  const cardArg = () => {
    const id = args[0] ?? (typeof flags.card === 'string' ? flags.card : undefined);
    if (!id) throw new StationError('INVALID_INPUT', `Usage: station card ${verb} CARD`);
    return id;
  };
  const actor = (channel: Parameters<CliContext['authorize']>[0]) => ctx.authorize(channel);
  switch (verb) {
    case 'list': {
      await ctx.authorize('cards.list');
      const status = typeof flags.status === 'string' ? parseOption('--status', StatusesOption, flags.status) : undefined;
      const list = lifecycle.list({ status, personId: typeof flags.person === 'string' ? flags.person : undefined });
      ctx.result(list, () => (list.length === 0 ? process.stdout.write('No cards.\n') : list.forEach((c) => process.stdout.write(line(c)))));
      return 0;
    }
    case 'show':
      await ctx.authorize('cards.get');
      show(lifecycle.get(cardArg()));
      return 0;
    case 'revoke': {
      const who = await actor('cards.revoke');
      show(await lifecycle.revoke(cardArg(), parseOption('--reason', ReasonOption, required('reason', flags.reason)), who));
      return 0;
    }
    case 'suspend':
      show(await lifecycle.suspend(cardArg(), await actor('cards.suspend')));
      return 0;
    case 'resume':
      show(await lifecycle.resume(cardArg(), await actor('cards.resume')));
      return 0;
    case 'activate': {
      const who = await actor('cards.activate');
      const pin = typeof flags.pin === 'string' ? flags.pin : process.env.STATION_PIN;
      if (!pin) throw new StationError('INVALID_INPUT', "Give the cardholder's PIN with --pin or STATION_PIN.", { field: 'pin' });
      show(await lifecycle.activate(required('reader', flags.reader), pin, who));
      return 0;
    }
    case 'unlock': {
      const who = await actor('cards.unlock');
      const newPin = typeof flags['new-pin'] === 'string' ? flags['new-pin'] : process.env[NEW_PIN_ENV];
      if (!newPin) throw new StationError('INVALID_INPUT', `Give the cardholder's new PIN with --new-pin or ${NEW_PIN_ENV}.`, { field: 'newPin' });
      show(await lifecycle.unlock(required('reader', flags.reader), newPin, who));
      return 0;
    }
    case 'recycle':
      show(await lifecycle.recycle(required('reader', flags.reader), await actor('cards.recycle')));
      return 0;
    case 'reissue': {
      const who = await actor('cards.reissue');
      const reader = required('reader', flags.reader);
      const reason = parseOption('--reason', ReissueReasonOption, typeof flags.reason === 'string' ? flags.reason : 'lost');
      const pin = typeof flags.pin === 'string' ? flags.pin : process.env.STATION_PIN || undefined;
      const started = await lifecycle.reissue(cardArg(), reason, reader, pin, who);
      ctx.say(`Card ${started.replacedCardId} revoked (${reason}); producing the replacement ${started.cardId} in ${reader}…`);
      const outcome = await station.production.retry(started.jobId, reader, pin);
      station.requests.jobSettled(started.jobId);
      const { job, card } = outcome;
      const json = {
        ...started,
        status: job.status,
        failedStep: job.failedStep ?? undefined,
        error: job.error ?? undefined,
        card: { id: card.id, guid: guidToUuid(card.guid), credentialNumber: card.credentialNumber, cardNumber: card.cardNumber, status: card.status },
        puk: outcome.oneTimeSecrets?.puk,
        pin: outcome.oneTimeSecrets?.pin,
      };
      ctx.result(json, () => {
        if (job.status !== 'done') {
          process.stdout.write(`Production of the replacement FAILED at "${job.failedStep}": ${job.error?.message ?? 'unknown error'}\nRetry: station job retry ${job.id} --reader "${reader}"\n`);
          return;
        }
        process.stdout.write(`Replacement card ${card.id} produced (card number ${card.cardNumber ?? '-'}).\n`);
        if (json.pin) process.stdout.write(`  PIN (generated, shown once): ${json.pin}\n`);
        if (json.puk) process.stdout.write(`  PUK (shown once; escrowed encrypted): ${json.puk}\n`);
      });
      return job.status === 'done' ? 0 : 1;
    }
    default:
      throw new StationError('INVALID_INPUT', 'Usage: station card list|show|revoke|suspend|resume|activate|unlock|reissue|recycle');
  }
}
