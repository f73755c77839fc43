/**
 * What a running station face (browser host, Electron shell) keeps going in
 * the background besides the core: the IDPRS notification delivery
 * (notification-delivery.ts) and the CRL distribution point
 * (crl-distribution.ts). One start, one stop, so both faces do the same.
 */
import type { Station } from './open-station.js';
import { startNotificationDelivery } from './notification-delivery.js';
import { startCrlDistribution } from './crl-distribution.js';

/** The background services of a running station. */
export interface StationServices {
  /** Stops delivery (in-flight events stay pending, the lease is released) and the CRL server. Call before closing the station. */
  stop(): Promise<void>;
  /** The CRL URL served by this process, if any. */
  crlUrl?: string;
}

/**
 * Starts the background services of an opened station.
 * @param log one line per problem (never a secret or a payload)
 */
export async function startStationServices(station: Pick<Station, 'store' | 'keyring' | 'config' | 'core' | 'lifecycle'>, log: (line: string) => void): Promise<StationServices> {
  const delivery = startNotificationDelivery(station, log);
  const crl = await startCrlDistribution(station, log);
  return {
    crlUrl: crl?.url,
    async stop() {
      await Promise.allSettled([delivery?.stop(), crl?.close()]);
    },
  };
}
