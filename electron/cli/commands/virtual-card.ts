/**
 * `station virtual-card attach [--vpcd HOST:PORT] [--state FILE] [--personality NAME]
 *  [--tdes] [--remove-after N] [--keygen-delay MS]`: plugs a software PIV card into
 * pcscd's vpcd reader and stays attached until killed (or until the
 * `--remove-after` fault pulls it). With --state the card persists to FILE and
 * comes back as it was when attached again (a card taken out and put back),
 * personality included. --personality chooses how a new card behaves
 * (native/virtual-card/personality.ts); --tdes gives it a 3DES factory 9B key.
 */
import { z } from 'zod';
import type { CliContext } from '../context.js';
import { HostPortOption, parseOption } from '../args.js';
import { VirtualPivCard, type VirtualCardOptions } from '../../../native/virtual-card/card.js';
import { PERSONALITY_NAMES, type PersonalityName } from '../../../native/virtual-card/personality.js';
import { attachToVpcd, VPCD_DEFAULT_HOST, VPCD_DEFAULT_PORT } from '../../../native/vpcd/link.js';
import { StationError } from '../../core/errors.js';

type Flags = Record<string, string | boolean | undefined>;

const Count = z.coerce.number().int().min(1).max(1_000_000);
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
