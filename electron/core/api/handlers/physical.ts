/** StationApi handlers, the physical card (issue 11): photos, layouts, card faces, reprints, print queues, PIN mailer. */
import type { physicalChannels } from '../../../contract/channels/physical.js';
import { StationError } from '../../errors.js';
import { resolveCard } from '../../lifecycle/service.js';
import { officerOf, type HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';

const base64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

export function physicalHandlers({ store, faces, emit, rules }: CoreServices): HandlerTable<keyof typeof physicalChannels> {
  return {
    'persons.setPhoto': async ({ personId, image, source, crop, dryRun }, { caller }) => {
      // The rule book decides inside (RuleBook.photo, asked by person-photo.ts): nobody their own, none during a production.
      const outcome = await faces.offerPhoto(personId, { image: new Uint8Array(Buffer.from(image, 'base64')), source, crop }, caller, {
        dryRun,
        onVoided: (r) => emit('request.changed', { requestId: r.id, state: r.state }),
      });
      if (!outcome.accepted) return { accepted: false, findings: outcome.findings, photo: null, preview: null, voidedRequests: [] };
      const { stored } = outcome;
      return {
        accepted: true,
        findings: [],
        photo: stored ? { personId: stored.personId, version: stored.version, width: stored.width, height: stored.height, source: stored.source, capturedBy: stored.capturedBy, capturedAt: stored.capturedAt } : null,
        preview: base64(outcome.portrait.jpeg),
        voidedRequests: outcome.voidedRequests,
      };
    },
    'persons.getPhoto': async ({ personId }) => {
      if (!store.persons.get(personId)) throw new StationError('NOT_FOUND_RECORD', 'There is no such person.');
      const p = faces.photo(personId);
      return p ? { personId: p.personId, version: p.version, width: p.width, height: p.height, source: p.source, capturedBy: p.capturedBy, capturedAt: p.capturedAt, jpeg: base64(p.jpeg) } : null;
    },
    'layouts.list': async () => faces.layouts.list().map((e) => faces.layouts.view(e)),
    'layouts.get': async ({ profile }) => faces.layouts.view(faces.layouts.get(profile)),
    'layouts.update': async ({ profile, patch }, ctx) => faces.layouts.view(faces.layouts.update(profile, patch, officerOf(ctx).username)),
    'layouts.preview': async ({ profile, layout, personId }) => faces.previewLayout(profile, layout, personId),
    'cards.preview': async ({ card }) => faces.previewCard(resolveCard(store, card)),
    'cards.reprint': async ({ card, reason }, ctx) => {
      const record = resolveCard(store, card);
      // The rule book: a card the cardholder holds or will collect, never one's own.
      rules.reprint(record, ctx.caller);
      return faces.reprint(record, reason, officerOf(ctx).username);
    },
    'printers.list': async () => faces.printers(),
  };
}
