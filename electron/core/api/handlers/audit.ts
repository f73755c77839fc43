/** StationApi handlers, audit: list, export, verify the hash chain. */
import type { auditChannels } from '../../../contract/channels/audit.js';
import { officerOf, type HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';

export function auditHandlers({ audit }: CoreServices): HandlerTable<keyof typeof auditChannels> {
  return {
    'audit.list': async (input) => audit.list(input),
    'audit.export': async ({ format, ...filter }, ctx) => audit.export(filter, format, officerOf(ctx).username),
    'audit.verify': async ({ sign, anchor }) => audit.verify({ sign, anchor }),
    'audit.rotateKey': async (_input, ctx) => audit.rotateKey(officerOf(ctx).username),
  };
}
