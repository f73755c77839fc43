/** `station verify --reader NAME [--pin PIN]`: the post-production check of any card, as a report. */
import type { CliContext } from '../context.js';
import { required } from '../args.js';
import { PivSession } from '../../core/piv/session.js';
import { verifyCard } from '../../core/issuance/verify-card.js';
import { printVerification } from './production.js';

type Flags = Record<string, string | boolean | undefined>;

export async function verifyCommand(ctx: CliContext, flags: Flags): Promise<number> {
  const station = await ctx.station();
  await ctx.authorize('card.verify');
  const readers = await station.readers();
  const transport = await readers.connect(required('reader', flags.reader));
  try {
    const session = new PivSession(transport);
    await session.select();
    const identity = await session.identify();
    const pin = typeof flags.pin === 'string' ? flags.pin : process.env.STATION_PIN;
    const report = await verifyCard({
      session,
      trust: await station.ca.trustAnchors(),
      verifyPin: pin ? () => session.verifyPin(pin) : undefined,
      identity,
      certificateStatus: (serial) => station.store.certificates.get(serial)?.status,
    });
    ctx.result(report, () => printVerification(report));
    return report.ok ? 0 : 1;
  } finally {
    await transport.close('reset');
  }
}
