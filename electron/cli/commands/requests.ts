/** `station request create|approve|reject|list|show`: card requests from the command line. */
import { z } from 'zod';
import type { CliContext } from '../context.js';
import { parseOption, required } from '../args.js';
import { StationError } from '../../core/errors.js';
import type { CardRequestView } from '../../contract/station-api.js';
import { REQUEST_STATES } from '../../core/workflow/types.js';

type Flags = Record<string, string | boolean | undefined>;

const ProfileOption = z.enum(['employee', 'contractor', 'visitor']);
const StatesOption = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.enum(REQUEST_STATES, `each state is one of ${REQUEST_STATES.join(', ')}`)).min(1));

/** One line per request. */
function line(r: CardRequestView): string {
  return `${r.id}  ${r.state.padEnd(17)} ${r.profile.padEnd(10)} ${r.personName}${r.cardNumber ? `  card ${r.cardNumber}` : ''}${r.decisionReason && r.state === 'rejected' ? `  (${r.decisionReason})` : ''}\n`;
}

/** `station request create --person ID --profile P`, `approve REQ`, `reject REQ --reason R`, `list [--state S1,S2]`, `show REQ` */
export async function requestCommand(ctx: CliContext, verb: string | undefined, args: string[], flags: Flags): Promise<number> {
  const station = await ctx.station();
  const print = (r: CardRequestView) => ctx.result(r, () => process.stdout.write(line(r)));
  const requestId = () => {
    const id = args[0] ?? (typeof flags.request === 'string' ? flags.request : undefined);
    if (!id) throw new StationError('INVALID_INPUT', `Usage: station request ${verb} REQ`);
    return id;
  };
  switch (verb) {
    case 'create': {
      const caller = await ctx.authorize('requests.create');
      print(station.requests.create({ personId: required('person', flags.person), profile: parseOption('--profile', ProfileOption, required('profile', flags.profile)) }, caller));
      return 0;
    }
    case 'approve': {
      const caller = await ctx.authorize('requests.approve');
      print(station.requests.approve(requestId(), caller));
      return 0;
    }
    case 'reject': {
      const caller = await ctx.authorize('requests.reject');
      print(station.requests.reject(requestId(), required('reason', flags.reason), caller));
      return 0;
    }
    case 'list': {
      await ctx.authorize('requests.list');
      const states = typeof flags.state === 'string' ? parseOption('--state', StatesOption, flags.state) : undefined;
      const list = station.requests.list({ states });
      ctx.result(list, () => (list.length === 0 ? process.stdout.write('No requests.\n') : list.forEach((r) => process.stdout.write(line(r)))));
      return 0;
    }
    case 'show': {
      await ctx.authorize('requests.get');
      print(station.requests.show(requestId()));
      return 0;
    }
    default:
      throw new StationError('INVALID_INPUT', 'Usage: station request create|approve|reject|list|show');
  }
}
