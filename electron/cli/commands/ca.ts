/** `station ca chain`: the trust anchors (issuing and root CA) as PEM, for relying parties and `openssl verify` (ca.chain). */
import type { CliContext } from '../context.js';
import { StationError } from '../../core/errors.js';

export async function caCommand(ctx: CliContext, verb: string | undefined): Promise<number> {
  if (verb !== 'chain') throw new StationError('INVALID_INPUT', 'Usage: station ca chain');
  const chain = await ctx.call('ca.chain', {});
  ctx.result(chain, () => process.stdout.write(chain.issuing + chain.root));
  return 0;
}
