/**
 * The CRL distribution point inside a running station (issue 5: "the local CA
 * publishes a fresh CRL after every revocation/hold change, to a file path and
 * over HTTP from the station"): the browser host and the Electron shell serve
 * the CRL at the path and port of config `crlUrl` (the URL every certificate
 * names, RFC 5280 §4.2.1.13) while they run.
 *
 * Served only when `crlUrl` names this machine (127.0.0.1, localhost, ::1);
 * any other host publishes it itself (a web server fed by `station crl --out`).
 * A port already taken (another station process, `station crl serve`) is
 * logged, not fatal: that process serves the same CRL from the same CA dir.
 */
import { StationError, toStationError } from '../core/errors.js';
import { crlListenAddress, startCrlServer, type RunningCrlServer } from '../servers/crl-server.js';
import type { Station } from './open-station.js';

/**
 * Serves the station's CRL at the path of `crlUrl` on 127.0.0.1 (`station crl serve`).
 * @param port absent: the port of `crlUrl`
 * @throws StationError INVALID_INPUT when crlUrl is not http or the port is not one; the listen error (port taken)
 */
export async function serveCrl(station: Pick<Station, 'config' | 'lifecycle'>, port?: number): Promise<RunningCrlServer> {
  const address = crlListenAddress(station.config.crlUrl);
  const listen = port ?? address.port;
  if (!Number.isInteger(listen) || listen < 0 || listen > 65535) throw new StationError('INVALID_INPUT', '--port must be a port number.', { field: 'port' });
  // Public data: relying parties fetch it without logging in, so serving needs no officer either.
  return startCrlServer({ port: listen, path: address.path, source: async () => (await station.lifecycle.crl()).der });
}

/** Host names of `crlUrl` that mean "this machine". */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Starts serving the station's CRL at `crlUrl`.
 * @param station the opened station (its config and lifecycle, which reads the CA's last published CRL per request)
 * @param log     receives one line when the CRL is not served here, and why
 * @returns the running server, or undefined when not served (remote URL, port taken, bad URL: logged)
 */
export async function startCrlDistribution(station: Pick<Station, 'config' | 'lifecycle'>, log: (line: string) => void): Promise<RunningCrlServer | undefined> {
  let address: { port: number; path: string };
  try {
    if (!LOCAL_HOSTS.has(new URL(station.config.crlUrl).hostname)) {
      log(`the CRL is not served here: crlUrl ${station.config.crlUrl} names another host.`);
      return undefined;
    }
    address = crlListenAddress(station.config.crlUrl);
  } catch (e) {
    log(`the CRL is not served: ${toStationError(e).message}`);
    return undefined;
  }
  try {
    return await startCrlServer({ port: address.port, path: address.path, source: async () => (await station.lifecycle.crl()).der });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    log(`the CRL is not served by this process: port ${address.port} ${code === 'EADDRINUSE' ? 'is taken (another station process may serve it)' : `failed (${code ?? toStationError(e).code})`}.`);
    return undefined;
  }
}
