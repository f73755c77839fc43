/** StationApi handlers, the notifications outbox: list, redeliver dead letters, the secret shared with the IDPRS. */
import type { outboxChannels } from '../../../contract/channels/outbox.js';
import { StationError } from '../../errors.js';
import { setNotificationSecret } from '../../notifications/secret.js';
import { officerOf, type HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';

export function outboxHandlers({ outbox, store, ports }: CoreServices): HandlerTable<keyof typeof outboxChannels> {
  return {
    'outbox.list': async (input) => outbox.list(input),
    'outbox.redeliver': async ({ eventId }, ctx) => outbox.redeliver(eventId !== undefined ? { eventId } : { allDead: true }, officerOf(ctx).username),
    'outbox.setSecret': async ({ secret }, ctx) => {
      if (!ports.secretBox) throw new StationError('UNSUPPORTED', 'This station cannot seal secrets.');
      setNotificationSecret(store, ports.secretBox, secret);
      store.audit.append({ actor: officerOf(ctx).username, action: 'notifications.secret.set', outcome: 'ok' });
      return {};
    },
  };
}
