/** StationApi handlers, card profiles: read by every officer, changed by administrators. */
import type { profilesChannels } from '../../../contract/channels/profiles.js';
import { officerOf, type HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';
import { profileView } from '../views.js';

export function profilesHandlers({ profiles }: CoreServices): HandlerTable<keyof typeof profilesChannels> {
  return {
    'profiles.list': async () => profiles.list().map(profileView),
    'profiles.get': async ({ id }) => profileView(profiles.get(id)),
    'profiles.update': async ({ id, patch }, ctx) => {
      const { entry, changes } = profiles.update(id, patch, officerOf(ctx).username);
      return { ...profileView(entry), changes };
    },
  };
}
