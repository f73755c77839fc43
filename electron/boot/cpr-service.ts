/**
 * The IDPRS's doors in a running station (`station cpr serve`): the CPR
 * endpoint (HTTP or TLS, config `idprs.http`) and the drop folder (config
 * `idprs.dropDir` or the one given), both reaching the core through dispatch
 * on IDPRS connections (servers/idprs-intake.ts).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { StationError } from '../core/errors.js';
import type { CprResult } from '../core/workflow/cpr-result.js';
import { cprTokenHash, startCprServer } from '../servers/cpr-server.js';
import { CprFolderWatcher } from '../servers/cpr-folder.js';
import { idprsIntake } from '../servers/idprs-intake.js';
import type { Station } from './open-station.js';

/** Options of {@link startCprService}. */
export interface CprServiceOptions {
  /** TCP port; absent: config `idprs.http.port`. */
  port?: number;
  /** The drop folder; absent: config `idprs.dropDir` (relative to the data dir), if any. */
  dropDir?: string;
  /** A bearer token (STATION_CPR_TOKEN) that replaces the configured hash. */
  token?: string;
  /** Called after each dropped file. */
  onResult?: (file: string, result: CprResult) => void;
}

/** The running endpoint and folder. */
export interface RunningCprService {
  /** e.g. `https://127.0.0.1:8781` */
  origin: string;
  dropDir: string | null;
  /** Stops the folder watcher, then the endpoint. */
  close(): Promise<void>;
}

/**
 * Starts the CPR endpoint and, when there is one, the drop folder.
 * @throws StationError INVALID_INPUT when config.json has no `idprs` section or a TLS file cannot be read;
 *   what startCprServer throws (no client authentication, port taken)
 */
export async function startCprService(station: Pick<Station, 'dataDir' | 'config' | 'core'>, opts: CprServiceOptions = {}): Promise<RunningCprService> {
  const idprs = station.config.idprs;
  if (!idprs) throw new StationError('INVALID_INPUT', 'CPR intake is not configured: add an "idprs" section with the IDPRS signing certificate to config.json.');
  const fromDataDir = (p: string) => (isAbsolute(p) ? p : join(station.dataDir, p));
  const { http } = idprs;
  const tls = http.tls && {
    key: readConfigured(fromDataDir(http.tls.key), 'idprs.http.tls.key'),
    cert: readConfigured(fromDataDir(http.tls.cert), 'idprs.http.tls.cert'),
    clientCa: http.tls.clientCa ? readConfigured(fromDataDir(http.tls.clientCa), 'idprs.http.tls.clientCa') : undefined,
  };
  const intake = idprsIntake(station.core());
  const server = await startCprServer({ intake, host: http.host, port: opts.port ?? http.port, tokenSha256: opts.token ? cprTokenHash(opts.token) : http.tokenSha256, tls });
  const dropDir = opts.dropDir ?? (idprs.dropDir ? fromDataDir(idprs.dropDir) : undefined);
  let folder: CprFolderWatcher | undefined;
  try {
    folder = dropDir ? await CprFolderWatcher.start({ dir: dropDir, intake, onResult: opts.onResult }) : undefined;
  } catch (e) {
    await server.close();
    throw e;
  }
  return {
    origin: server.origin,
    dropDir: dropDir ?? null,
    async close() {
      await folder?.close();
      await server.close();
    },
  };
}

function readConfigured(path: string, option: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new StationError('INVALID_INPUT', `The file of ${option} cannot be read.`);
  }
}
