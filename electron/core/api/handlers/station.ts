/** StationApi handlers, station domain: what the station is, its CA's trust anchors, and its readers. */
import type { stationChannels } from '../../../contract/channels/station.js';
import { toPem } from '../../pki/pem.js';
import { officerOf, type HandlerTable } from '../call-context.js';
import { StationError } from '../../errors.js';
import type { CoreServices } from '../core-services.js';

export function stationHandlers({ ports, readers, rules }: CoreServices): HandlerTable<keyof typeof stationChannels> {
  return {
    'station.info': async () => ({ version: ports.version, organization: ports.config.organization, training: ports.training, separationOfDuties: rules.settings }),
    'readers.list': async () => readers.refresh(),
    'ca.chain': async () => {
      const { root, issuing } = await ports.ca.trustAnchors();
      return { root: toPem(root, 'CERTIFICATE'), issuing: toPem(issuing, 'CERTIFICATE') };
    },
    'station.changePassphrase': async ({ newPassphrase }, ctx) => {
      // A running station's services hold the current key: only a one-shot face, which closes afterwards, is given the port.
      if (!ports.changePassphrase) throw new StationError('UNSUPPORTED', 'The passphrase is changed from the command line: station passphrase change.');
      return ports.changePassphrase(newPassphrase, officerOf(ctx).username);
    },
  };
}
