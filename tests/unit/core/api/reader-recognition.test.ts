/**
 * Issue 12, observation 1: the readers panel says what the card is before
 * anything starts. `readers.list` names a blank PIV card, a card this
 * station issued (card number, cardholder, production date; also after the
 * production that personalized it, without the card leaving the reader),
 * and a card of another issuer; a revocation shows at once.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { Reader } from '../../../../electron/contract/station-api.js';
import { FactoryDefaults, ObjectTag } from '../../../../electron/core/piv/constants.js';
import { openDesk, PIN, type Desk } from '../policy/desk.js';
import { onTrainingCard } from '../../../support/training-station.js';
import { encodeChuid } from '../../../../electron/core/piv/objects/chuid.js';

let desk: Desk | undefined;
afterEach(async () => {
  await desk?.close();
  desk = undefined;
});

async function trainingReader(d: Desk): Promise<Reader> {
  const list = await d.ok<Reader[]>('issuer', 'readers.list', {});
  return list.find((r) => r.name === d.t.readerName)!;
}

describe('readers.list recognizes the card', () => {
  test('blank, then issued (number, cardholder, date) after its production, then no longer issued once revoked', async () => {
    const d = (desk = await openDesk({ separationOfDuties: { producerDiffersFromRequester: false } }));
    await d.officer('issuer', ['registration', 'production', 'security']);
    expect(await trainingReader(d)).toMatchObject({ cardPresent: true, card: 'blank' });
    expect((await trainingReader(d)).issued).toBeUndefined();

    const guest = d.t.addPerson({ affiliation: 'visitor', givenName: 'Ada', surname: 'Lovelace' });
    const { jobId } = await d.ok<{ jobId: string }>('issuer', 'production.start', { personId: guest, readerName: d.t.readerName, pin: PIN });
    await d.idle();
    const card = d.t.station.store.cards.get(d.t.station.store.jobs.get(jobId)!.cardId)!;
    expect(card.status).toBe('produced');

    const issued = await trainingReader(d);
    expect(issued.card).toBe('issued');
    expect(issued.issued).toMatchObject({ cardId: card.id, cardNumber: card.cardNumber, cardholder: 'Ada Lovelace', status: 'produced' });
    expect(Date.parse(issued.issued!.producedAt!)).not.toBeNaN();

    await d.ok('issuer', 'cards.revoke', { card: card.id, reason: 'lost' });
    const revoked = await trainingReader(d);
    expect(revoked.card).not.toBe('issued');
    expect(revoked.issued).toBeUndefined();
  });

  test("a PIV card whose CHUID this station never issued is another issuer's card", async () => {
    const d = (desk = await openDesk());
    await d.officer('issuer', ['production']);
    // A CHUID written by someone else (factory management key): its GUID is not in the station's records.
    await onTrainingCard(d.t, async (s) => {
      await s.authenticateManagementKey('AES192', FactoryDefaults.MANAGEMENT_KEY);
      const chuid = encodeChuid({ fascn: new Uint8Array(25).fill(0xd4), guid: new Uint8Array(16).fill(0x42), expiration: '20991231', signature: new Uint8Array(0) });
      await s.putData(ObjectTag.CHUID, chuid);
    });
    expect(await trainingReader(d)).toMatchObject({ card: 'foreign' });
  });
});
