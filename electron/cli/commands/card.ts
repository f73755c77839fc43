/**
 * `station card …`: the card lifecycle at the desk, through the StationApi
 * (the core checks the roles and the card's state).
 *   card list [--status S1,S2] [--person ID] | card show CARD
 *   card revoke CARD --reason lost|stolen|damaged|left|key-compromise
 *   card suspend CARD | card resume CARD
 *   card activate --reader NAME --pin PIN
 *   card unlock --reader NAME   (new PIN from --new-pin or STATION_NEW_PIN)
 *   card reissue CARD --reader NAME [--reason lost|stolen|damaged] [--pin PIN]
 *   card recycle --reader NAME
 * CARD is the card id, its 8-digit card number or its GUID.
 */
import type { CliContext } from '../context.js';
import { required } from '../args.js';
import { StationError } from '../../core/errors.js';
import type { CardDetailView, CardView, ChannelInput } from '../../contract/station-api.js';
import { followJob, pinOption, reportJob } from './production.js';
import { listOption } from './requests.js';

type Flags = Record<string, string | boolean | undefined>;

/** Env var with the cardholder's new PIN for `card unlock` (never on the command line of a shared machine). */
export const NEW_PIN_ENV = 'STATION_NEW_PIN';

/** The option each lifecycle field comes from. */
const CARD_OPTIONS = { card: 'CARD', reason: '--reason', status: '--status', personId: '--person', readerName: '--reader', pin: '--pin', newPin: `--new-pin (or ${NEW_PIN_ENV})` } as const;

function line(c: CardView): string {
  return `${c.id}  ${c.status.padEnd(17)} ${c.cardNumber ?? '--------'}  ${c.personName}  expires ${c.expirationDate}\n`;
}

function detail(c: CardDetailView): string {
  const certs = c.certificates.map((x) => `    ${x.slot}  ${x.serial}  ${x.status}${x.revocationReason ? ` (${x.revocationReason})` : ''}  until ${x.notAfter}\n`).join('');
  return `Card ${c.id}\n  holder      ${c.personName}\n  status      ${c.status}\n  card number ${c.cardNumber ?? '-'}\n  GUID        ${c.guid}\n  FASC-N      ${c.fascn}\n  expires     ${c.expirationDate}\n  certificates\n${certs || '    none\n'}`;
}

/** `station card VERB …`; returns the exit code. */
export async function cardCommand(ctx: CliContext, verb: string | undefined, args: string[], flags: Flags): Promise<number> {
  const show = (c: CardDetailView) => ctx.result(c, () => process.stdout.write(detail(c)));
  const card = () => {
    const id = args[0] ?? (typeof flags.card === 'string' ? flags.card : undefined);
    if (!id) throw new StationError('INVALID_INPUT', `Usage: station card ${verb} CARD`);
    return id;
  };
  switch (verb) {
    case 'list': {
      const status = typeof flags.status === 'string' ? (listOption(flags.status) as ChannelInput<'cards.list'>['status']) : undefined;
      const list = await ctx.call('cards.list', { status, personId: typeof flags.person === 'string' ? flags.person : undefined }, CARD_OPTIONS);
      ctx.result(list, () => (list.length === 0 ? process.stdout.write('No cards.\n') : list.forEach((c) => process.stdout.write(line(c)))));
      return 0;
    }
    case 'show':
      show(await ctx.call('cards.get', { card: card() }, CARD_OPTIONS));
      return 0;
    case 'revoke':
      show(await ctx.call('cards.revoke', { card: card(), reason: required('reason', flags.reason) as ChannelInput<'cards.revoke'>['reason'] }, CARD_OPTIONS));
      return 0;
    case 'suspend':
      show(await ctx.call('cards.suspend', { card: card() }, CARD_OPTIONS));
      return 0;
    case 'resume':
      show(await ctx.call('cards.resume', { card: card() }, CARD_OPTIONS));
      return 0;
    case 'activate': {
      const pin = pinOption(flags);
      if (!pin) throw new StationError('INVALID_INPUT', "Give the cardholder's PIN with --pin or STATION_PIN.", { field: 'pin' });
      show(await ctx.call('cards.activate', { readerName: required('reader', flags.reader), pin }, CARD_OPTIONS));
      return 0;
    }
    case 'unlock': {
      const newPin = typeof flags['new-pin'] === 'string' ? flags['new-pin'] : process.env[NEW_PIN_ENV];
      if (!newPin) throw new StationError('INVALID_INPUT', `Give the cardholder's new PIN with --new-pin or ${NEW_PIN_ENV}.`, { field: 'newPin' });
      show(await ctx.call('cards.unlock', { readerName: required('reader', flags.reader), newPin }, CARD_OPTIONS));
      return 0;
    }
    case 'recycle':
      show(await ctx.call('cards.recycle', { readerName: required('reader', flags.reader) }, CARD_OPTIONS));
      return 0;
    case 'reissue': {
      const readerName = required('reader', flags.reader);
      const reason = (typeof flags.reason === 'string' ? flags.reason : 'lost') as ChannelInput<'cards.reissue'>['reason'];
      const pin = pinOption(flags);
      const started = await followJob(ctx, async () => {
        const r = await ctx.call('cards.reissue', { card: card(), reason, readerName, pin }, CARD_OPTIONS);
        ctx.say(`Card ${r.replacedCardId} revoked (${reason}); producing the replacement ${r.cardId} in ${readerName}…`);
        return r;
      });
      // The replacement's job, reported like any production, with what the reissue started.
      return reportJob(ctx, started.jobId, flags, started);
    }
    default:
      throw new StationError('INVALID_INPUT', 'Usage: station card list|show|revoke|suspend|resume|activate|unlock|reissue|recycle');
  }
}
