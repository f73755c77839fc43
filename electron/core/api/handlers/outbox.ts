/** StationApi handlers, the notifications outbox: list, redeliver dead letters. */
import type { outboxChannels } from '../../../contract/channels/outbox.js';
import { officerOf, type HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';

export function outboxHandlers({ outbox }: CoreServices): HandlerTable<keyof typeof outboxChannels> {
  return {
    'outbox.list': async (input) => outbox.list(input),
    'outbox.redeliver': async ({ eventId }, ctx) => outbox.redeliver(eventId !== undefined ? { eventId } : { allDead: true }, officerOf(ctx).username),
  };
}
