/** StationApi handlers, the self-service kiosk (electron/core/workflow/kiosk.ts holds its rules). */
import type { kioskChannels } from '../../../contract/channels/kiosk.js';
import type { HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';

export function kioskHandlers({ kiosks }: CoreServices): HandlerTable<keyof typeof kioskChannels> {
  return {
    'kiosk.start': async (_input, { connectionId, caller }) => kiosks.start(connectionId, caller),
    'kiosk.status': async (_input, { connectionId }) => kiosks.status(connectionId),
    'kiosk.identify': async ({ employeeId, email }, { connectionId }) => kiosks.identify(connectionId, employeeId, email),
    'kiosk.request': async ({ profile }, { connectionId }) => kiosks.request(connectionId, profile),
    'kiosk.reset': async (_input, { connectionId }) => kiosks.reset(connectionId),
  };
}
