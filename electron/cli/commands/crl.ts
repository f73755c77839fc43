/**
 * `station crl [--out FILE]`: the published CRL (what it says; DER written to FILE);
 * `station crl serve [--port N]`: the CRL distribution point on 127.0.0.1 (port and
 * path from config crlUrl), until SIGINT/SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import type { CliContext } from '../context.js';
import { StationError } from '../../core/errors.js';
import { crlListenAddress, startCrlServer } from '../../servers/crl-server.js';

type Flags = Record<string, string | boolean | undefined>;

/** `station crl …` */
export async function crlCommand(ctx: CliContext, verb: string | undefined, flags: Flags): Promise<number> {
  const station = await ctx.station();
  if (verb === 'serve') {
    const { port: configured, path } = crlListenAddress(station.config.crlUrl);
    const port = typeof flags.port === 'string' ? Number(flags.port) : configured;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StationError('INVALID_INPUT', '--port must be a port number.', { field: 'port' });
    // Public data: relying parties fetch it without logging in, so serving needs no officer either.
    const server = await startCrlServer({ port, path, source: async () => (await station.lifecycle.crl()).der });
    ctx.result({ url: server.url }, () => process.stdout.write(`CRL served at ${server.url}\n`));
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    return 0;
  }
  if (verb !== undefined) throw new StationError('INVALID_INPUT', 'Usage: station crl [--out FILE] | station crl serve [--port N]');
  await ctx.authorize('crl.get');
  const { der, view } = await station.lifecycle.crl();
  if (typeof flags.out === 'string') writeFileSync(flags.out, der);
  ctx.result({ ...view, out: typeof flags.out === 'string' ? flags.out : undefined }, () => {
    process.stdout.write(`CRL #${view.crlNumber ?? '-'}  ${view.issuer}\n  this update ${view.thisUpdate}\n  next update ${view.nextUpdate ?? '-'}\n`);
    if (view.entries.length === 0) process.stdout.write('  no revoked certificates\n');
    for (const e of view.entries) process.stdout.write(`  ${e.serial}  ${e.reason.padEnd(20)} ${e.revokedAt}\n`);
    if (typeof flags.out === 'string') process.stdout.write(`DER written to ${flags.out}\n`);
  });
  return 0;
}
