/** StationApi handlers, station domain: what the station is, its CA's trust anchors, and its readers. */
import type { stationChannels } from '../../../contract/channels/station.js';
import { toPem } from '../../pki/pem.js';
import type { HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';

export function stationHandlers({ ports, readers, rules }: CoreServices): HandlerTable<keyof typeof stationChannels> {
  return {
    'station.info': async () => ({ version: ports.version, organization: ports.config.organization, training: ports.training, separationOfDuties: rules.settings }),
    'readers.list': async () => readers.refresh(),
    'ca.chain': async () => {
      const { root, issuing } = await ports.ca.trustAnchors();
      return { root: toPem(root, 'CERTIFICATE'), issuing: toPem(issuing, 'CERTIFICATE') };
    },
  };
}
