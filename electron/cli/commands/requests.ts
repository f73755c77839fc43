/** `station request create|approve|reject|list|show`: card requests, through the StationApi. */
import type { CliContext } from '../context.js';
import { required } from '../args.js';
import { StationError } from '../../core/errors.js';
import type { CardRequestView, ChannelInput } from '../../contract/station-api.js';

type Flags = Record<string, string | boolean | undefined>;

/** The option each request field comes from. */
const REQUEST_OPTIONS = { personId: '--person', profile: '--profile', state: '--state', reason: '--reason', requestId: 'request id' } as const;

/** One line per request. */
function line(r: CardRequestView): string {
  return `${r.id}  ${r.state.padEnd(17)} ${r.profile.padEnd(10)} ${r.personName}${r.cardNumber ? `  card ${r.cardNumber}` : ''}${r.decisionReason && r.state === 'rejected' ? `  (${r.decisionReason})` : ''}\n`;
}

/** A comma-separated option as a list. */
export function listOption(value: string): string[] {
  return value
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** `station request create --person ID --profile P`, `approve REQ`, `reject REQ --reason R`, `list [--state S1,S2]`, `show REQ` */
export async function requestCommand(ctx: CliContext, verb: string | undefined, args: string[], flags: Flags): Promise<number> {
  const print = (r: CardRequestView) => ctx.result(r, () => process.stdout.write(line(r)));
  const requestId = () => {
    const id = args[0] ?? (typeof flags.request === 'string' ? flags.request : undefined);
    if (!id) throw new StationError('INVALID_INPUT', `Usage: station request ${verb} REQ`);
    return id;
  };
  switch (verb) {
    case 'create':
      print(await ctx.call('requests.create', { personId: required('person', flags.person), profile: required('profile', flags.profile) as ChannelInput<'requests.create'>['profile'] }, REQUEST_OPTIONS));
      return 0;
    case 'approve':
      print(await ctx.call('requests.approve', { requestId: requestId() }, REQUEST_OPTIONS));
      return 0;
    case 'reject':
      print(await ctx.call('requests.reject', { requestId: requestId(), reason: required('reason', flags.reason) }, REQUEST_OPTIONS));
      return 0;
    case 'list': {
      const state = typeof flags.state === 'string' ? (listOption(flags.state) as ChannelInput<'requests.list'>['state']) : undefined;
      const list = await ctx.call('requests.list', { state }, REQUEST_OPTIONS);
      ctx.result(list, () => (list.length === 0 ? process.stdout.write('No requests.\n') : list.forEach((r) => process.stdout.write(line(r)))));
      return 0;
    }
    case 'show':
      print(await ctx.call('requests.get', { requestId: requestId() }, REQUEST_OPTIONS));
      return 0;
    default:
      throw new StationError('INVALID_INPUT', 'Usage: station request create|approve|reject|list|show');
  }
}
