/** `station verify --reader NAME [--pin PIN]`: the post-production check of any card, as a report (card.verify). */
import type { CliContext } from '../context.js';
import { required } from '../args.js';
import { PRODUCTION_OPTIONS, pinOption, printVerification } from './production.js';

type Flags = Record<string, string | boolean | undefined>;

export async function verifyCommand(ctx: CliContext, flags: Flags): Promise<number> {
  const report = await ctx.call('card.verify', { readerName: required('reader', flags.reader), pin: pinOption(flags) }, PRODUCTION_OPTIONS);
  ctx.result(report, () => printVerification(report));
  return report.ok ? 0 : 1;
}
