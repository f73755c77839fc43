/**
 * `station virtual-card attach [--vpcd HOST:PORT] [--state FILE] [--personality NAME]
 *  [--tdes] [--remove-after N] [--pull-after-apdu N] [--sw-at-apdu N=SW] [--trace]
 *  [--keygen-delay MS]`: plugs a software PIV card into pcscd's vpcd reader and
 * stays attached until killed (or until the `--remove-after` / `--pull-after-apdu`
 * fault pulls it). The faults are test hooks counted in APDUs, never in time:
 * `--pull-after-apdu N` pulls the card after its Nth APDU since insertion,
 * `--sw-at-apdu N=SW` answers the Nth with status word SW (hex), and `--trace`
 * prints one JSON line `{"apdu":{index,cla,ins,p1,p2,sw}}` per answered APDU on
 * standard output (the header only, never the data: PINs and keys stay out)
 * before the answer goes out. With --state the card persists to FILE and
 * comes back as it was when attached again (a card taken out and put back),
 * personality included. --personality chooses how a new card behaves
 * (native/virtual-card/personality.ts); --tdes gives it a 3DES factory 9B key.
 */
import { z } from 'zod';
import type { CliContext } from '../context.js';
import { HostPortOption, parseOption } from '../args.js';
import { VirtualPivCard, type ApduTraceEntry, type VirtualCardOptions } from '../../../native/virtual-card/card.js';
import { PERSONALITY_NAMES, type PersonalityName } from '../../../native/virtual-card/personality.js';
import { attachToVpcd, VPCD_DEFAULT_HOST, VPCD_DEFAULT_PORT } from '../../../native/vpcd/link.js';
import { StationError } from '../../core/errors.js';

type Flags = Record<string, string | boolean | undefined>;

const Count = z.coerce.number().int().min(1).max(1_000_000);
/** `N=SW`: the Nth APDU since insertion is answered with status word SW (four hex digits). */
const StatusAt = z
  .string()
  .regex(/^\d{1,7}=[0-9a-fA-F]{4}$/, { error: 'expected N=SW, e.g. 12=6A84' })
  .transform((v) => {
    const [n, sw] = v.split('=') as [string, string];
    return { index: Number(n), sw: parseInt(sw, 16) };
  })
  .refine((v) => v.index >= 1, { error: 'N counts from 1' });
const Millis = z.coerce.number().int().min(0).max(600_000);
const Personality = z.enum(PERSONALITY_NAMES as [PersonalityName, ...PersonalityName[]], {
  error: `expected one of ${PERSONALITY_NAMES.join(', ')}`,
});

export async function virtualCardCommand(ctx: CliContext, verb: string | undefined, flags: Flags): Promise<number> {
  if (verb !== 'attach') throw new StationError('INVALID_INPUT', 'Usage: station virtual-card attach [--vpcd HOST:PORT] [--state FILE] [--personality NAME]');
  const endpoint = flags.vpcd ? parseOption('--vpcd', HostPortOption, flags.vpcd) : { host: VPCD_DEFAULT_HOST, port: VPCD_DEFAULT_PORT };
  const options: VirtualCardOptions = {
    ...(flags.personality !== undefined ? { personality: parseOption('--personality', Personality, flags.personality) } : {}),
    ...(flags.tdes ? { managementKeyAlgorithm: 'TDEA' } : {}),
    faults: {
      removeAfterApdus: flags['remove-after'] ? parseOption('--remove-after', Count, flags['remove-after']) : undefined,
      keygenDelayMs: flags['keygen-delay'] ? parseOption('--keygen-delay', Millis, flags['keygen-delay']) : undefined,
      pullAfterInsertedApdus: flags['pull-after-apdu'] ? parseOption('--pull-after-apdu', Count, flags['pull-after-apdu']) : undefined,
      statusAtApdu: flags['sw-at-apdu'] ? parseOption('--sw-at-apdu', StatusAt, flags['sw-at-apdu']) : undefined,
      onApdu: flags.trace ? printTrace : undefined,
    },
  };
  const card = typeof flags.state === 'string' ? VirtualPivCard.loadOrCreate(flags.state, options) : VirtualPivCard.create(options);
  const link = await attachToVpcd(card, endpoint);
  const personality = card.personality.name;
  ctx.result({ attached: true, serial: card.serial, personality, vpcd: `${endpoint.host}:${endpoint.port}` }, () =>
    process.stdout.write(`Virtual PIV card ${card.serial} (${personality}) attached to vpcd ${endpoint.host}:${endpoint.port}. Stop with Ctrl-C.\n`),
  );
  const stop = () => void link.detach();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await link.closed;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  ctx.say(card.removed ? 'The card was pulled (fault injection).' : 'Detached.');
  return 0;
}

/** Prints an answered APDU's header as one JSON line (flag --trace). */
function printTrace(entry: ApduTraceEntry): void {
  process.stdout.write(`${JSON.stringify({ apdu: entry })}\n`);
}
