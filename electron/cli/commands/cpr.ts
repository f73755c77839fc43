/**
 * `station cpr …`: CPR intake from the IDPRS.
 *   cpr submit FILE            the same checks as the HTTP endpoint; prints the result JSON; exit 0 accepted, 1 rejected
 *   cpr status ID | cpr delete ID   the IDPRS status and delete-request calls
 *   cpr serve [--port N] [--drop DIR]   the HTTP endpoint + drop folder watcher, until SIGINT/SIGTERM
 *   cpr token                  a new bearer token and the hash to put in config.json (idprs.http.tokenSha256)
 *
 * The CPR's signature by the configured IDPRS certificate is the authority
 * here (as at the endpoint): these commands act as the IDPRS caller.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import type { CliContext } from '../context.js';
import { parseOption } from '../args.js';
import { StationError } from '../../core/errors.js';
import type { Station } from '../../boot/open-station.js';
import { createStationCprIntake, idprsRequestOps } from '../../core/workflow/cpr-station.js';
import type { CprIntake } from '../../core/workflow/cpr-intake.js';
import type { CprResult } from '../../core/workflow/cpr-result.js';
import { CprFolderWatcher } from '../../servers/cpr-folder.js';
import { cprTokenHash, startCprServer } from '../../servers/cpr-server.js';

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
    const intake = stationIntake(await ctx.station());
    let result: CprResult;
    if (verb === 'submit') {
      let body: Buffer;
      try {
        body = readFileSync(target);
      } catch {
        throw new StationError('INVALID_INPUT', `The CPR file ${target} cannot be read.`);
      }
      result = await intake.submit(new Uint8Array(body), 'cli');
    } else {
      result = verb === 'status' ? intake.status(target) : await intake.deleteRequest(target);
    }
    // The same JSON the HTTP endpoint answers, in both output modes.
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    if (result.status === 'rejected' && !ctx.options.json) process.stderr.write(`station: ${result.message} [${result.code}]\n`);
    return result.status === 'rejected' ? 1 : 0;
  }
  if (verb === 'serve') return serve(ctx, flags);
  throw new StationError('INVALID_INPUT', USAGE);
}

function stationIntake(station: Station): CprIntake {
  return createStationCprIntake({ dataDir: station.dataDir, store: station.store, idprs: station.config.idprs, requests: idprsRequestOps(station.requests), codec: station.physical.codec });
}

/** `station cpr serve`: endpoint and folder until a signal. */
async function serve(ctx: CliContext, flags: Flags): Promise<number> {
  const station = await ctx.station();
  const intake = stationIntake(station);
  const http = station.config.idprs!.http;
  const fromDataDir = (p: string) => (isAbsolute(p) ? p : join(station.dataDir, p));
  const port = flags.port !== undefined ? parseOption('--port', z.coerce.number().int().min(0).max(65535), flags.port) : http.port;
  const envToken = process.env[CPR_TOKEN_ENV];
  const tls = http.tls && {
    key: readConfigured(fromDataDir(http.tls.key), 'idprs.http.tls.key'),
    cert: readConfigured(fromDataDir(http.tls.cert), 'idprs.http.tls.cert'),
    clientCa: http.tls.clientCa ? readConfigured(fromDataDir(http.tls.clientCa), 'idprs.http.tls.clientCa') : undefined,
  };
  const server = await startCprServer({ intake, host: http.host, port, tokenSha256: envToken ? cprTokenHash(envToken) : http.tokenSha256, tls });
  const dropDir = typeof flags.drop === 'string' ? flags.drop : station.config.idprs!.dropDir ? fromDataDir(station.config.idprs!.dropDir) : undefined;
  const folder = dropDir
    ? await CprFolderWatcher.start({ dir: dropDir, intake, onResult: (file, r) => ctx.say(`${file}: ${r.code} ${r.message}`) })
    : undefined;
  ctx.result({ origin: server.origin, dropDir: dropDir ?? null }, () => {
    process.stdout.write(`CPR endpoint ${server.origin}/cpr\n`);
    if (dropDir) process.stdout.write(`CPR drop folder ${dropDir}\n`);
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await folder?.close();
  await server.close();
  return 0;
}

function readConfigured(path: string, option: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new StationError('INVALID_INPUT', `The file of ${option} cannot be read.`);
  }
}
