/** StationApi handlers, the card lifecycle: revoke, suspend, resume, desk operations, reissue, the CRL. */
import type { cardsChannels } from '../../../contract/channels/cards.js';
import type { LifecycleActor } from '../../lifecycle/service.js';
import { officerOf, type CallContext, type HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';

/** The officer of a lifecycle call, as the lifecycle service records them. */
function lifecycleActor(ctx: CallContext): LifecycleActor {
  return { username: officerOf(ctx).username };
}

export function cardsHandlers({ lifecycle, readers, jobs, production, emit, ports }: CoreServices): HandlerTable<keyof typeof cardsChannels> {
  return {
    'cards.list': async ({ status, personId }) => lifecycle().list({ status, personId }),
    'cards.get': async ({ card }) => lifecycle().get(card),
    'cards.revoke': async ({ card, reason }, ctx) => lifecycle().revoke(card, reason, lifecycleActor(ctx)),
    'cards.suspend': async ({ card }, ctx) => lifecycle().suspend(card, lifecycleActor(ctx)),
    'cards.resume': async ({ card }, ctx) => lifecycle().resume(card, lifecycleActor(ctx)),
    'cards.activate': async ({ readerName, pin, card }, ctx) => readers.atDesk(readerName, () => lifecycle().activate(readerName, pin, lifecycleActor(ctx), card)),
    'cards.unlock': async ({ readerName, newPin, card }, ctx) => readers.atDesk(readerName, () => lifecycle().unlock(readerName, newPin, lifecycleActor(ctx), card)),
    'cards.recycle': async ({ readerName, card }, ctx) => readers.atDesk(readerName, () => lifecycle().recycle(readerName, lifecycleActor(ctx), card)),
    'cards.reissue': async ({ card, reason, readerName, pin }, ctx) => {
      readers.assertFree(readerName);
      const result = await lifecycle().reissue(card, reason, readerName, pin, lifecycleActor(ctx));
      emit('request.changed', { requestId: result.requestId, state: 'in_production' });
      jobs.launch(result.jobId, readerName, (claim) => production.retry(result.jobId, readerName, pin, jobs.listener, claim), officerOf(ctx).username);
      return result;
    },
    'crl.get': async () => {
      const { der, view } = await lifecycle().crl();
      return { der: Buffer.from(der).toString('base64'), ...view, distributionPoint: ports.config.crlUrl };
    },
  };
}
