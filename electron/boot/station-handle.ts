/**
 * A station as a face holds it (DESIGN.md "One door"): the core — the only
 * door, `dispatch` and its events — and the station's own background services
 * (notification delivery, the CRL distribution point, the IDPRS's doors),
 * wired here by the composition root. A face never gets the store, the
 * keyring or a service: everything it does goes through dispatch.
 */
import type { StationCore } from '../core/dispatch.js';
import type { RunningCrlServer } from '../servers/crl-server.js';
import type { DeliveryOutcome } from '../core/notifications/worker.js';
import { startCprService, type CprServiceOptions, type RunningCprService } from './cpr-service.js';
import { serveCrl } from './crl-distribution.js';
import { startOutboxDelivery, type RunningOutboxDelivery } from './notification-delivery.js';
import { startStationServices, type StationServices } from './station-services.js';
import type { Station } from './open-station.js';

/** A station opened for a face. */
export interface StationHandle {
  readonly dataDir: string;
  /** The StationApi core over this station (created on first call): every call of the face goes to its dispatch. */
  core(): StationCore;
  /** Starts what a running station face keeps going (browser host, Electron shell): delivery to the IDPRS, the CRL distribution point. */
  startServices(log: (line: string) => void): Promise<StationServices>;
  /** Delivers the outbox on its own until stopped (`station outbox deliver`). @throws StationError INVALID_INPUT (not configured) */
  startDelivery(report: { onOutcome(o: DeliveryOutcome): void; onError(e: unknown): void }): RunningOutboxDelivery;
  /** Serves the published CRL at config crlUrl's path (`station crl serve`). */
  serveCrl(port?: number): Promise<RunningCrlServer>;
  /** The CPR endpoint and drop folder (`station cpr serve`), through dispatch on IDPRS connections. */
  serveCpr(opts?: CprServiceOptions): Promise<RunningCprService>;
  /** Closes the core (waits for running jobs), signs the audit head, closes the readers and the database. */
  close(): Promise<void>;
}

/** The face's view of an opened station. */
export function stationHandle(station: Station): StationHandle {
  return {
    dataDir: station.dataDir,
    core: () => station.core(),
    startServices: (log) => startStationServices(station, log),
    startDelivery: (report) => startOutboxDelivery(station, report),
    serveCrl: (port) => serveCrl(station, port),
    serveCpr: (opts) => startCprService(station, opts),
    close: () => station.close(),
  };
}
