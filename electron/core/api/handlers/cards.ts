/** StationApi handlers, the card lifecycle: revoke, suspend, resume, desk operations, reissue, the CRL. */
import type { cardsChannels } from '../../../contract/channels/cards.js';
import { officerOf, type HandlerTable } from '../call-context.js';
import type { CoreServices } from '../core-services.js';

export function cardsHandlers({ lifecycle, readers, readerReady, jobs, production, emit, ports }: CoreServices): HandlerTable<keyof typeof cardsChannels> {
  /** A desk operation: the reader ready (no job, no training reader on a real station), then held for it. */
  const atDesk = async <T>(readerName: string, work: () => Promise<T>): Promise<T> => {
    await readerReady(readerName);
    return readers.atDesk(readerName, work);
  };
  return {
    'cards.list': async ({ status, personId }) => lifecycle().list({ status, personId }),
    'cards.get': async ({ card }) => lifecycle().get(card),
    'cards.revoke': async ({ card, reason }, ctx) => lifecycle().revoke(card, reason, ctx.caller),
    'cards.suspend': async ({ card }, ctx) => lifecycle().suspend(card, ctx.caller),
    'cards.resume': async ({ card }, ctx) => lifecycle().resume(card, ctx.caller),
    'cards.activate': async ({ readerName, pin, card }, ctx) => atDesk(readerName, () => lifecycle().activate(readerName, pin, ctx.caller, card)),
    'cards.unlock': async ({ readerName, newPin, card }, ctx) => atDesk(readerName, () => lifecycle().unlock(readerName, newPin, ctx.caller, card)),
    'cards.recycle': async ({ readerName, card }, ctx) => atDesk(readerName, () => lifecycle().recycle(readerName, ctx.caller, card)),
    'cards.reissue': async ({ card, reason, readerName, pin }, ctx) => {
      await readerReady(readerName);
      const result = await lifecycle().reissue(card, reason, readerName, pin, ctx.caller);
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
