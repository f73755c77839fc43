/** `station readers`: readers, card presence and ATR (readers.list). */
import type { CliContext } from '../context.js';

export async function readersCommand(ctx: CliContext): Promise<number> {
  const readers = await ctx.call('readers.list', {});
  ctx.result(readers, () => {
    if (readers.length === 0) process.stdout.write('No readers.\n');
    for (const r of readers) process.stdout.write(`${r.name}${r.training ? ' (training)' : ''}: ${r.cardPresent ? `card present, ATR ${r.atr}` : 'no card'}\n`);
  });
  return 0;
}
