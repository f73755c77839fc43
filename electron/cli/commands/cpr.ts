/**
 * `station cpr …`: CPR intake from the IDPRS.
 *   cpr submit FILE            a signed CPR, with the same checks as the endpoint; prints the result JSON; exit 0 accepted, 1 rejected
 *   cpr status ID | cpr delete ID   the IDPRS status and delete-request calls
 *   cpr serve [--port N] [--drop DIR]   the HTTP endpoint + drop folder watcher, until SIGINT/SIGTERM
 *   cpr token                  a new bearer token and the hash to put in config.json (idprs.http.tokenSha256)
 *
 * The IDPRS itself comes through `cpr serve` (its token or client
 * certificate, its drop folder). `submit`, `status` and `delete` act for it by
 * hand, so they need an officer (--as) with a role the core allows (cpr.* in
 * CHANNEL_ROLES), who is named in the audit: nobody cancels or replays a
 * request anonymously with the data dir alone.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CliContext } from '../context.js';
import { parseOption } from '../args.js';
import { StationError } from '../../core/errors.js';
import type { CprResultView } from '../../contract/station-api.js';
import { cprTokenHash } from '../../servers/cpr-server.js';

type Flags = Record<string, string | boolean | undefined>;

/** Environment variable carrying the endpoint's bearer token; when set it replaces the configured hash. */
export const CPR_TOKEN_ENV = 'STATION_CPR_TOKEN';
/** Bytes of entropy of a generated token (256 bits). */
const TOKEN_BYTES = 32;

const USAGE = 'Usage: station cpr submit FILE | status ID | delete ID | serve [--port N] [--drop DIR] | token';

/** Runs `station cpr VERB …`; returns the exit code. */
export async function cprCommand(ctx: CliContext, verb: string | undefined, args: string[], flags: Flags): Promise<number> {
  if (verb === 'token') {
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    ctx.result({ token, tokenSha256: cprTokenHash(token) }, () => {
      process.stdout.write(`token (give it to the IDPRS, store it nowhere else): ${token}\n`);
      process.stdout.write(`config.json idprs.http.tokenSha256: ${cprTokenHash(token)}\n`);
    });
    return 0;
  }
  if (verb === 'submit' || verb === 'status' || verb === 'delete') {
    const target = args[0];
    if (!target) throw new StationError('INVALID_INPUT', USAGE);
    let result: CprResultView;
    if (verb === 'submit') {
      let body: Buffer;
      try {
        body = readFileSync(target);
      } catch {
        throw new StationError('INVALID_INPUT', `The CPR file ${target} cannot be read.`);
      }
      result = await ctx.call('cpr.submit', { envelope: body.toString('base64') }, { envelope: 'FILE' });
    } else {
      result = await ctx.call(verb === 'status' ? 'cpr.status' : 'cpr.delete', { idprsRequestId: target }, { idprsRequestId: 'ID' });
    }
    // The same JSON the HTTP endpoint answers, in both output modes.
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    if (result.status === 'rejected' && !ctx.options.json) process.stderr.write(`station: ${result.message} [${result.code}]\n`);
    return result.status === 'rejected' ? 1 : 0;
  }
  if (verb === 'serve') {
    const port = flags.port !== undefined ? parseOption('--port', z.coerce.number().int().min(0).max(65535), flags.port) : undefined;
    const service = await (await ctx.station()).serveCpr({
      port,
      dropDir: typeof flags.drop === 'string' ? flags.drop : undefined,
      token: process.env[CPR_TOKEN_ENV] || undefined,
      onResult: (file, r) => ctx.say(`${file}: ${r.code} ${r.message}`),
    });
    ctx.result({ origin: service.origin, dropDir: service.dropDir }, () => {
      process.stdout.write(`CPR endpoint ${service.origin}/cpr\n`);
      if (service.dropDir) process.stdout.write(`CPR drop folder ${service.dropDir}\n`);
    });
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await service.close();
    return 0;
  }
  throw new StationError('INVALID_INPUT', USAGE);
}
