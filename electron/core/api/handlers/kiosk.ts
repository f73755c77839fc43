/** StationApi handlers, the self-service kiosk (electron/core/workflow/kiosk.ts holds its rules). */
import type { kioskChannels } from '../../../contract/channels/kiosk.js';
import type { HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';

export function kioskHandlers({ kiosks, store }: CoreServices): HandlerTable<keyof typeof kioskChannels> {
  return {
    'kiosk.start': async (_input, { connectionId, caller }) => kiosks.start(connectionId, caller),
    'kiosk.status': async (_input, { connectionId }) => kiosks.status(connectionId),
    'kiosk.identify': async ({ employeeId, email }, { connectionId }) => kiosks.identify(connectionId, employeeId, email),
    'kiosk.request': async ({ profile }, { connectionId }) => {
      const receipt = await kiosks.request(connectionId, profile);
      // The receipt shows the face on record (or that the desk must still take one): the person's own photo only.
      const personId = store.requests.get(receipt.requestId)?.personId;
      const photo = personId ? store.photos.current(personId) : undefined;
      return { ...receipt, photo: photo ? Buffer.from(photo.jpeg).toString('base64') : null };
    },
    'kiosk.reset': async (_input, { connectionId }) => kiosks.reset(connectionId),
  };
}
