/** StationApi handlers, officers and sessions: first run, login, logout, officer accounts. */
import type { authChannels } from '../../../contract/channels/auth.js';
import type { HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';

export function authHandlers({ officers, kiosks }: CoreServices): HandlerTable<keyof typeof authChannels> {
  return {
    'auth.status': async (_input, { connectionId }) => officers.status(connectionId),
    'auth.firstRunAdmin': async (input, { connectionId }) => officers.createFirstAdmin(connectionId, input),
    'auth.login': async ({ username, password }, { connectionId }) => {
      const officer = await officers.login(connectionId, username, password);
      kiosks.end(connectionId, officer.username); // an officer's login is the only way out of kiosk mode
      return officer;
    },
    'auth.resume': async ({ token }, { connectionId }) => {
      const status = officers.resume(connectionId, token);
      // As a login: an officer's session on this window ends kiosk mode.
      if (status.officer) kiosks.end(connectionId, status.officer.username);
      return status;
    },
    'auth.logout': async (_input, { connectionId }) => {
      officers.logout(connectionId);
      return {};
    },
    'officers.list': async () => officers.list(),
    'officers.add': async (input, { caller }) => officers.add({ ...input, personId: input.personId ?? null }, caller),
    'officers.unlock': async ({ officerId }, { caller }) => officers.unlock(officerId, caller),
    'officers.link': async ({ officerId, personId }, { caller }) => officers.link(officerId, personId, caller),
    'officers.update': async ({ officerId, displayName, roles }, { caller }) => officers.update(officerId, { displayName, roles }, caller),
    'officers.setStatus': async ({ officerId, status }, { caller }) => officers.setStatus(officerId, status, caller),
    'officers.resetPassword': async ({ officerId }, { caller }) => officers.resetPassword(officerId, caller),
  };
}
