/** StationApi handlers, station domain: what the station is, and its readers. */
import type { stationChannels } from '../../../contract/channels/station.js';
import type { HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';

export function stationHandlers({ ports, readers }: CoreServices): HandlerTable<keyof typeof stationChannels> {
  return {
    'station.info': async () => ({ version: ports.version, organization: ports.config.organization, training: ports.training }),
    'readers.list': async () => readers.refresh(),
  };
}
