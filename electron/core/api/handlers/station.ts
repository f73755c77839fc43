/** StationApi handlers, station domain: what the station is, its CA's trust anchors, and its readers. */
import type { stationChannels } from '../../../contract/channels/station.js';
import { toPem } from '../../pki/pem.js';
import { officerOf, type HandlerTable } from '../call-context.js';
import { StationError } from '../../errors.js';
import type { CoreServices } from '../core-services.js';
import { deskCounts } from '../../store/desk-counts.js';
import { mayCall } from '../../../contract/access.js';

export function stationHandlers({ ports, readers, rules, store }: CoreServices): HandlerTable<keyof typeof stationChannels> {
  return {
    'station.info': async () => ({ version: ports.version, organization: ports.config.organization, training: ports.training, separationOfDuties: rules.settings }),
    'readers.list': async () => readers.refresh(),
    // Each count goes only to an officer who may open the list it counts (CHANNEL_ROLES, as the menu).
    'station.counts': async (_input, ctx) => {
      const officer = officerOf(ctx);
      const counts = deskCounts(store.db);
      return {
        approvals: mayCall(officer, 'requests.approve') ? counts.requested : null,
        produce: mayCall(officer, 'requests.produce') ? counts.approved : null,
        queue: mayCall(officer, 'jobs.list') ? counts.jobs : null,
        notifications: mayCall(officer, 'outbox.list') ? counts.notifications : null,
      };
    },
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
