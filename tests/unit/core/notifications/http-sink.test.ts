import { afterEach, describe, expect, it } from 'vitest';
import { HttpNotificationSink } from '../../../../electron/core/notifications/http-sink.js';
import { outboxRepository, recordNotification, type OutboxEvent } from '../../../../electron/core/notifications/outbox.js';
import { DeliveryFailure } from '../../../../electron/core/notifications/sink.js';
import { startIdprsReceiver, type IdprsReceiver } from '../../../support/idprs-receiver.js';
import { ADA, memoryStore, sampleCard } from '../store/helpers.js';

const secret = new TextEncoder().encode('the IDPRS shared secret, 32 bytes');
let receiver: IdprsReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

function oneEvent(): OutboxEvent {
  const store = memoryStore();
  const ada = store.persons.add(ADA);
  const card = store.cards.create(sampleCard(ada.id, { status: 'produced' }));
  const e = store.transaction(() => recordNotification(store, { type: 'card.produced', personId: ada.id, cardId: card.id }));
  return outboxRepository(store.db).get(e.id)!;
}

async function failure(p: Promise<unknown>): Promise<DeliveryFailure> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DeliveryFailure);
    return e as DeliveryFailure;
  }
  throw new Error('the delivery did not fail');
}

describe('HttpNotificationSink', () => {
  it('POSTs the payload JSON with headers the receiver verifies (HMAC, event id)', async () => {
    receiver = await startIdprsReceiver(secret);
    const event = oneEvent();
    await new HttpNotificationSink({ url: receiver.url, secret, timeoutMs: 5_000 }).deliver(event);
    expect(receiver.posts).toEqual([{ eventId: event.id, signature: 'ok', duplicate: false, status: 200 }]);
    expect(receiver.events).toEqual([event.payload]);
  });

  it('a wrong secret is refused by the receiver (401): a permanent failure', async () => {
    receiver = await startIdprsReceiver(secret);
    const f = await failure(new HttpNotificationSink({ url: receiver.url, secret: new TextEncoder().encode('not the shared secret at all'), timeoutMs: 5_000 }).deliver(oneEvent()));
    expect(receiver.posts[0]).toMatchObject({ signature: 'mismatch', status: 401 });
    expect(f).toMatchObject({ permanent: true, message: 'The IDPRS answered HTTP 401.' });
    expect(receiver.events).toEqual([]);
  });

  it('classifies answers: 5xx temporary, 400 permanent, timeout and refused connection temporary', async () => {
    receiver = await startIdprsReceiver(secret);
    const sink = new HttpNotificationSink({ url: receiver.url, secret, timeoutMs: 300 });
    receiver.mode = 'error';
    expect(await failure(sink.deliver(oneEvent()))).toMatchObject({ permanent: false, message: 'The IDPRS answered HTTP 503.' });
    receiver.mode = 'reject';
    expect(await failure(sink.deliver(oneEvent()))).toMatchObject({ permanent: true, message: 'The IDPRS answered HTTP 400.' });
    receiver.mode = 'slow';
    receiver.slowMs = 1_500;
    expect(await failure(sink.deliver(oneEvent()))).toMatchObject({ permanent: false, message: 'The IDPRS did not answer within 300 ms.' });
    await receiver.down();
    const refused = await failure(sink.deliver(oneEvent()));
    expect(refused.permanent).toBe(false);
    expect(refused.message).toMatch(/^The IDPRS could not be reached \((ECONNREFUSED|UND_ERR_SOCKET)\)\.$/);
  });

  it('408 and 429 are temporary, with Retry-After in milliseconds', async () => {
    for (const status of [408, 429]) {
      const fetchStub: typeof fetch = async () => new Response('', { status, headers: { 'retry-after': '7' } });
      const f = await failure(new HttpNotificationSink({ url: 'http://127.0.0.1:9/x', secret, timeoutMs: 1_000, fetch: fetchStub }).deliver(oneEvent()));
      expect(f).toMatchObject({ permanent: false, retryAfterMs: 7_000 });
    }
  });
});
