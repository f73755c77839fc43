/**
 * `station crl [--out FILE]`: the published CRL (what it says; DER written to FILE), as crl.get;
 * `station crl serve [--port N]`: the station's CRL distribution point on 127.0.0.1 (port and
 * path from config crlUrl), until SIGINT/SIGTERM. The CRL is public: serving it needs no officer.
 */
import { z } from 'zod';
import type { CliContext } from '../context.js';
import { parseOption } from '../args.js';
import { StationError } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/atomic-file.js';

type Flags = Record<string, string | boolean | undefined>;

const Port = z.coerce.number().int().min(0).max(65535);

/** `station crl …` */
export async function crlCommand(ctx: CliContext, verb: string | undefined, flags: Flags): Promise<number> {
  if (verb === 'serve') {
    const port = typeof flags.port === 'string' ? parseOption('--port', Port, flags.port) : undefined;
    const server = await (await ctx.station()).serveCrl(port);
    ctx.result({ url: server.url }, () => process.stdout.write(`CRL served at ${server.url}\n`));
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    return 0;
  }
  if (verb !== undefined) throw new StationError('INVALID_INPUT', 'Usage: station crl [--out FILE] | station crl serve [--port N]');
  const { der, ...view } = await ctx.call('crl.get', {});
  const out = typeof flags.out === 'string' ? flags.out : undefined;
  if (out) writeFileAtomic(out, Buffer.from(der, 'base64'), { mode: 0o644 });
  ctx.result({ ...view, out }, () => {
    process.stdout.write(`CRL #${view.crlNumber ?? '-'}  ${view.issuer}\n  this update ${view.thisUpdate}\n  next update ${view.nextUpdate ?? '-'}\n`);
    if (view.entries.length === 0) process.stdout.write('  no revoked certificates\n');
    for (const e of view.entries) process.stdout.write(`  ${e.serial}  ${e.reason.padEnd(20)} ${e.revokedAt}\n`);
    if (out) process.stdout.write(`DER written to ${out}\n`);
  });
  return 0;
}
