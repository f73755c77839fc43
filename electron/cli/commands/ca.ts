/** `station ca chain`: the trust anchors (root and issuing CA) as PEM, for relying parties and `openssl verify`. */
import type { CliContext } from '../context.js';
import { StationError } from '../../core/errors.js';

/** DER → PEM with 64-character lines (RFC 7468). */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export async function caCommand(ctx: CliContext, verb: string | undefined): Promise<number> {
  const station = await ctx.station();
  if (verb === 'chain') {
    const { root, issuing } = await station.ca.trustAnchors();
    ctx.result({ root: toPem(root, 'CERTIFICATE'), issuing: toPem(issuing, 'CERTIFICATE') }, () => {
      process.stdout.write(toPem(issuing, 'CERTIFICATE') + toPem(root, 'CERTIFICATE'));
    });
    return 0;
  }
  throw new StationError('INVALID_INPUT', 'Usage: station ca chain');
}
