/**
 * The card lifecycle through the core's dispatch on the training station (the
 * in-process virtual card): every operation changes the card, the CA's CRL,
 * the store, the audit log and the IDPRS outbox together, and the card in the
 * reader is checked with PivSession afterwards.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { onTrainingCard, openTrainingStation, type TrainingStation } from '../../../support/training-station.js';
import type { CardDetailView, CrlViewShape } from '../../../../electron/contract/station-api.js';
import { FactoryDefaults, ObjectTag } from '../../../../electron/core/piv/constants.js';
import { escrowedPuk } from '../../../../electron/core/issuance/card-secrets.js';
import { beginPukRotation, pukRotationPending } from '../../../../electron/core/lifecycle/puk-rotation.js';
import { VirtualPivCard } from '../../../../native/virtual-card/card.js';
import type { PersonalityName } from '../../../../native/virtual-card/personality.js';
import { toHex } from '../../../../electron/core/piv/tlv.js';
import type { StationCore } from '../../../../electron/core/dispatch.js';
import { ok } from '../../../support/results.js';

const PIN = '246801';
const NEW_PIN = '975310';
const WRONG_PIN = '000111';

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A training station, logged in (all roles), with one produced card in the reader. */
async function stationWithCard(personality?: PersonalityName) {
  t = await openTrainingStation(personality ? { personality } : {}, { directProduction: true });
  await t.login();
  const core = t.station.core();
  const personId = t.addPerson();
  const outcome = await t.station.production.produce({ personId, readerName: t.readerName, pin: PIN });
  expect(outcome.job.status).toBe('done');
  return { ts: t, core, personId, card: outcome.card, puk: outcome.oneTimeSecrets!.puk! };
}

/** Runs `fn` on a PivSession over the card in the training reader. */
const onCard = onTrainingCard;

const outbox = (ts: TrainingStation, cardId: string) =>
  (ts.station.store.db.prepare('SELECT type FROM outbox_events WHERE card_id = ? ORDER BY seq').all(cardId) as { type: string }[]).map((r) => r.type);
const audits = (ts: TrainingStation, cardId: string) => ts.station.store.audit.list().filter((e) => e.cardId === cardId);
const crl = async (core: StationCore) => ok<CrlViewShape>(await core.dispatch('crl.get', {}));

describe('lifecycle through dispatch', () => {
  test('activate: a wrong PIN is refused with the tries left; the right PIN makes the card active and notifies the IDPRS', async () => {
    const { ts, core, card } = await stationWithCard();
    const wrong = await core.dispatch('cards.activate', { readerName: ts.readerName, pin: WRONG_PIN });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'WRONG_PIN', details: { retriesLeft: 2 } } });
    expect(ts.station.store.cards.get(card.id)!.status).toBe('produced');
    const active = ok<CardDetailView>(await core.dispatch('cards.activate', { readerName: ts.readerName, pin: PIN }));
    expect(active).toMatchObject({ id: card.id, status: 'active' });
    expect(outbox(ts, card.id)).toEqual(['card.produced', 'card.activated']);
    const events = audits(ts, card.id).map((e) => [e.action, e.outcome, e.actor]);
    expect(events).toContainEqual(['card.activate', 'failed', 'tester']);
    expect(events).toContainEqual(['card.activated', 'ok', 'tester']);
    expect(JSON.stringify(ts.station.store.audit.list())).not.toContain(PIN);
    // Activating twice is refused: the card is no longer awaiting collection.
    expect(await core.dispatch('cards.activate', { readerName: ts.readerName, pin: PIN })).toMatchObject({ ok: false, error: { code: 'CARD_STATE' } });
  });

  test('suspend puts every certificate on hold in the CRL, resume takes them off; both with the card absent', async () => {
    const { ts, core, card } = await stationWithCard();
    ts.reader.remove();
    const serials = ts.station.store.certificates.listByCard(card.id).map((c) => c.serial);
    expect(serials).toHaveLength(4);
    const suspended = ok<CardDetailView>(await core.dispatch('cards.suspend', { card: card.cardNumber ?? card.id }));
    expect(suspended.status).toBe('suspended');
    expect(suspended.certificates.map((c) => c.status)).toEqual(['hold', 'hold', 'hold', 'hold']);
    const held = await crl(core);
    expect(held.entries.map((e) => e.serial).sort()).toEqual([...serials].sort());
    expect(new Set(held.entries.map((e) => e.reason))).toEqual(new Set(['certificateHold']));
    for (const s of serials) expect(await ts.station.ca.status(s)).toBe('hold');

    // The card was produced, never activated: it comes back awaiting collection (finding 3), never active.
    const resumed = ok<CardDetailView>(await core.dispatch('cards.resume', { card: card.id }));
    expect(resumed.status).toBe('produced');
    expect(resumed.certificates.map((c) => c.status)).toEqual(['valid', 'valid', 'valid', 'valid']);
    const after = await crl(core);
    expect(after.entries).toEqual([]);
    expect(after.crlNumber!).toBeGreaterThan(held.crlNumber!);
    expect(outbox(ts, card.id)).toEqual(['card.produced', 'card.suspended', 'card.resumed']);
    // Resuming a card that is not suspended is refused.
    expect(await core.dispatch('cards.resume', { card: card.id })).toMatchObject({ ok: false, error: { code: 'CARD_STATE', details: { status: 'produced', cardId: card.id } } });
  });

  test('revoke (lost → keyCompromise) with the card absent; a revoked card cannot be suspended, resumed or revoked again', async () => {
    const { ts, core, card } = await stationWithCard();
    ts.reader.remove();
    const revoked = ok<CardDetailView>(await core.dispatch('cards.revoke', { card: card.id, reason: 'lost' }));
    expect(revoked.status).toBe('revoked');
    expect(revoked.certificates.every((c) => c.status === 'revoked' && c.revocationReason === 'keyCompromise')).toBe(true);
    const list = await crl(core);
    expect(list.entries).toHaveLength(4);
    expect(new Set(list.entries.map((e) => e.reason))).toEqual(new Set(['keyCompromise']));
    for (const channel of ['cards.suspend', 'cards.resume'] as const) {
      expect(await core.dispatch(channel, { card: card.id }), channel).toMatchObject({ ok: false, error: { code: 'CARD_STATE' } });
    }
    expect(await core.dispatch('cards.revoke', { card: card.id, reason: 'stolen' })).toMatchObject({ ok: false, error: { code: 'CARD_STATE', details: { status: 'revoked' } } });
    expect(outbox(ts, card.id)).toEqual(['card.produced', 'card.revoked']);
    const listed = ok<{ id: string; status: string }[]>(await core.dispatch('cards.list', { status: ['revoked'] }));
    expect(listed.map((c) => c.id)).toEqual([card.id]);
  });

  test('held certificates are revoked for good with the termination reason (left → affiliationChanged)', async () => {
    const { core, card } = await stationWithCard();
    ok(await core.dispatch('cards.suspend', { card: card.id }));
    const revoked = ok<CardDetailView>(await core.dispatch('cards.revoke', { card: card.id, reason: 'left' }));
    expect(revoked.certificates.map((c) => c.revocationReason)).toEqual(Array(4).fill('affiliationChanged'));
    expect(new Set((await crl(core)).entries.map((e) => e.reason))).toEqual(new Set(['affiliationChanged']));
  });

  test('unlock: a blocked PIN is reset with the escrowed PUK, the PUK rotated: the new PIN works, the old PUK no longer does, the new escrowed one does', async () => {
    const { ts, core, card, puk } = await stationWithCard();
    await onCard(ts, async (s) => {
      for (let i = 0; i < 3; i++) await s.verifyPin(WRONG_PIN).catch(() => undefined);
      expect((await s.pinStatus()).blocked).toBe(true);
    });
    const unlocked = ok<CardDetailView>(await core.dispatch('cards.unlock', { readerName: ts.readerName, newPin: NEW_PIN }));
    expect(unlocked.id).toBe(card.id);
    const newPuk = escrowedPuk(ts.station, card.id)!;
    expect(newPuk).toMatch(/^\d{8}$/);
    expect(newPuk).not.toBe(puk);
    expect(pukRotationPending(ts.station, card.id)).toBe(false);
    await onCard(ts, async (s) => {
      await s.verifyPin(NEW_PIN);
      await expect(s.changePuk(puk, '11223344')).rejects.toMatchObject({ code: 'WRONG_PUK' });
      await s.changePuk(newPuk, newPuk); // the escrowed PUK is the card's (and resets the counter the old one spent)
    });
    const audit = audits(ts, card.id).find((e) => e.action === 'card.unlocked')!;
    expect(audit).toMatchObject({ actor: 'tester', outcome: 'ok', details: { pukRotated: true, recoveredRotation: false } });
    expect(JSON.stringify(ts.station.store.audit.list())).not.toContain(newPuk);
    expect(JSON.stringify(ts.station.store.audit.list())).not.toContain(NEW_PIN);
  });

  test('unlock after an interrupted PUK rotation (new PUK escrowed, card unchanged) recovers with the kept previous PUK', async () => {
    const { ts, core, card, puk } = await stationWithCard();
    // The station stopped after escrowing the next PUK and before CHANGE REFERENCE DATA.
    beginPukRotation(ts.station, card.id, puk, '86420975');
    expect(escrowedPuk(ts.station, card.id)).toBe('86420975');
    ok(await core.dispatch('cards.unlock', { readerName: ts.readerName, newPin: NEW_PIN }));
    const current = escrowedPuk(ts.station, card.id)!;
    expect(pukRotationPending(ts.station, card.id)).toBe(false);
    await onCard(ts, async (s) => {
      await s.verifyPin(NEW_PIN);
      await s.changePuk(current, current);
    });
    expect(audits(ts, card.id).find((e) => e.action === 'card.unlocked')?.details).toMatchObject({ recoveredRotation: true });
  });

  test('recycle: certificates revoked (cessationOfOperation), the card reset to a blank that the station produces again', async () => {
    const { ts, core, card, personId } = await stationWithCard();
    const recycled = ok<CardDetailView>(await core.dispatch('cards.recycle', { readerName: ts.readerName }));
    expect(recycled.status).toBe('revoked');
    expect(recycled.certificates.map((c) => c.revocationReason)).toEqual(Array(4).fill('cessationOfOperation'));
    expect(audits(ts, card.id).find((e) => e.action === 'card.recycled')?.details).toMatchObject({ recycled: true, previousStatus: 'produced' });
    await onCard(ts, async (s) => {
      expect(await s.getData(ObjectTag.CHUID)).toBeNull();
      await s.authenticateManagementKey('AES192', FactoryDefaults.MANAGEMENT_KEY.subarray(0, 24)).catch(() =>
        s.authenticateManagementKey('TDEA', FactoryDefaults.MANAGEMENT_KEY.subarray(0, 24)),
      );
      await s.verifyPin(FactoryDefaults.PIN);
    });
    const again = await ts.station.production.produce({ personId, readerName: ts.readerName, pin: PIN });
    expect(again.job.status).toBe('done');
    expect(again.card.id).not.toBe(card.id);
    // A blank card is not a station card: nothing to recycle.
    ts.reader.insert(VirtualPivCard.create());
    expect(await core.dispatch('cards.recycle', { readerName: ts.readerName })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND_RECORD' } });
  });

  for (const personality of ['strict-800-73', 'fixed-objects'] as const) {
    test(`recycle with standard commands only (${personality}): no RESET, no PIN or PUK blocked, the transport values back, produced again`, async () => {
      const { ts, core, card, personId } = await stationWithCard(personality);
      const sent: string[] = [];
      const process = ts.card.processApdu.bind(ts.card);
      ts.card.processApdu = (capdu) => {
        sent.push(toHex(capdu));
        return process(capdu);
      };
      const pinTotal = ts.card.snapshot().pin.total;
      ok<CardDetailView>(await core.dispatch('cards.recycle', { readerName: ts.readerName }));
      // Neither the vendor RESET nor a VERIFY or CHANGE REFERENCE DATA that could spend a try on purpose.
      expect(sent.filter((c) => c.slice(2, 4) === 'FB')).toEqual([]);
      expect(ts.card.snapshot().pin).toMatchObject({ remaining: pinTotal });
      expect(ts.card.snapshot().puk.remaining).toBe(ts.card.snapshot().puk.total);
      expect(audits(ts, card.id).find((e) => e.action === 'card.recycled')?.details).toMatchObject({ recycled: true, keptByCard: '' });
      expect(t!.station.store.cards.get(card.id)).toMatchObject({ mgmtKeyState: 'transport' });
      await onCard(ts, async (s) => {
        expect(await s.getData(ObjectTag.CHUID)).toBeNull();
        expect(await s.getData(ObjectTag.CERT_PIV_AUTH)).toBeNull();
        const alg = personality === 'strict-800-73' ? 'AES192' : 'TDEA'; // strict-800-73's 9B is AES only
        await s.authenticateManagementKey(alg, FactoryDefaults.MANAGEMENT_KEY.subarray(0, 24));
        await s.verifyPin(FactoryDefaults.PIN);
        await s.changePuk(FactoryDefaults.PUK, FactoryDefaults.PUK);
      });
      const again = await ts.station.production.produce({ personId, readerName: ts.readerName, pin: PIN });
      expect(again.job.status, again.job.error?.message).toBe('done');
    });
  }

  test('recycle of a card returned with its PUK blocked: the vendor RESET, the only way back, where the card has it', async () => {
    const { ts, core, card, personId } = await stationWithCard();
    await onCard(ts, async (s) => {
      for (let i = 0; i < 3; i++) await s.changePuk('00000000', '00000000').catch(() => undefined);
    });
    expect(ts.card.snapshot().puk.remaining).toBe(0);
    ok<CardDetailView>(await core.dispatch('cards.recycle', { readerName: ts.readerName }));
    expect(audits(ts, card.id).find((e) => e.action === 'card.recycled')?.details).toMatchObject({ resetByCard: true });
    await onCard(ts, async (s) => {
      expect(await s.getData(ObjectTag.CHUID)).toBeNull();
      await s.verifyPin(FactoryDefaults.PIN);
    });
    const again = await ts.station.production.produce({ personId, readerName: ts.readerName, pin: PIN });
    expect(again.job.status, again.job.error?.message).toBe('done');
  });

  test('reissue: the damaged card is revoked (superseded) and a replacement for the same person is produced on the blank card', async () => {
    const { ts, core, card, personId } = await stationWithCard();
    ts.reader.insert(VirtualPivCard.create());
    const finished = new Promise<string>((resolve) => core.on('job.event', (e) => (e.type === 'job.finished' || e.type === 'job.failed') && resolve(e.type)));
    const requestChanges: { requestId: string; state: string }[] = [];
    core.on('request.changed', (c) => requestChanges.push(c));
    const started = ok<{ replacedCardId: string; cardId: string; jobId: string; requestId: string }>(
      await core.dispatch('cards.reissue', { card: card.id, reason: 'damaged', readerName: ts.readerName, pin: PIN }),
    );
    expect(started.replacedCardId).toBe(card.id);
    expect(await finished).toBe('job.finished');
    const old = ok<CardDetailView>(await core.dispatch('cards.get', { card: card.id }));
    expect(old.status).toBe('revoked');
    expect(old.certificates.map((c) => c.revocationReason)).toEqual(Array(4).fill('superseded'));
    const replacement = ok<CardDetailView>(await core.dispatch('cards.get', { card: started.cardId }));
    expect(replacement).toMatchObject({ personId, status: 'produced' });
    expect(replacement.certificates.filter((c) => c.status === 'valid')).toHaveLength(4);
    expect(replacement.cardNumber).toMatch(/^\d{8}$/);
    // The replacement went through the request workflow: its own request, approved by the reissue, linked to the old card.
    expect(replacement.requestId).toBe(started.requestId);
    const request = ok<{ id: string; personId: string; state: string; cardId: string; decisionReason: string; profile: string }>(
      await core.dispatch('requests.get', { requestId: started.requestId }),
    );
    expect(request).toMatchObject({ personId, state: 'produced', cardId: started.cardId, profile: 'employee', decisionReason: `Replaces card ${card.cardNumber ?? card.id} (damaged).` });
    expect(request.id).not.toBe(old.requestId);
    // Request screens hear of the replacement's request like of any other.
    expect(requestChanges.filter((c) => c.requestId === started.requestId).map((c) => c.state)).toEqual(['in_production', 'produced']);
    const created = ts.station.store.audit.list().find((e) => e.action === 'request.created' && e.details?.requestId === started.requestId);
    expect(created).toMatchObject({ actor: 'tester', outcome: 'ok', cardId: started.cardId, details: { replacesCardId: card.id, reason: 'damaged' } });
    expect(audits(ts, started.cardId).map((e) => e.action)).toEqual(expect.arrayContaining(['request.created', 'card.reissued', 'request.production', 'request.produced']));
    // A desk operation started from the old card on screen refuses the replacement in the reader, before touching it.
    const mismatch = await core.dispatch('cards.activate', { readerName: ts.readerName, pin: PIN, card: card.id });
    expect(mismatch).toMatchObject({ ok: false, error: { code: 'CARD_MISMATCH', details: { cardId: started.cardId, expectedCardId: card.id } } });
    expect(ts.station.store.cards.get(started.cardId)!.status).toBe('produced');
    expect(ok<CardDetailView>(await core.dispatch('cards.activate', { readerName: ts.readerName, pin: PIN, card: started.cardId })).status).toBe('active');
    // A card that left with its holder is terminated, not reissued.
    expect(await core.dispatch('cards.reissue', { card: started.cardId, reason: 'left', readerName: ts.readerName })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  test('reissue is refused, changing nothing, while the cardholder has another open request', async () => {
    const { ts, core, card, personId } = await stationWithCard();
    const pending = ok<{ id: string }>(await core.dispatch('requests.create', { personId, profile: 'contractor' }));
    const refused = await core.dispatch('cards.reissue', { card: card.id, reason: 'lost', readerName: ts.readerName });
    expect(refused).toMatchObject({ ok: false, error: { code: 'REQUEST_STATE', details: { requestId: pending.id } } });
    expect(ts.station.store.cards.get(card.id)!.status).toBe('produced');
    expect(ts.station.store.requests.list({ personId }).map((r) => r.id)).toContain(pending.id);
    expect(audits(ts, card.id).at(-1)).toMatchObject({ action: 'card.reissue', outcome: 'failed', details: { code: 'REQUEST_STATE' } });
  });
});

describe('expiry', () => {
  const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

  test('a produced, active or suspended card past its expiration date becomes expired, audited by the station and announced to the IDPRS, once', async () => {
    const { ts, core, card } = await stationWithCard();
    const lifecycle = ts.station.lifecycle;
    expect(lifecycle.expireDue()).toEqual([]); // not yet due
    ok(await core.dispatch('cards.suspend', { card: card.id }));
    ts.station.store.cards.update(card.id, { expirationDate: yesterday() });
    expect(lifecycle.expireDue()).toEqual([card.id]);
    expect(ts.station.store.cards.get(card.id)!.status).toBe('expired');
    expect(audits(ts, card.id).map((e) => [e.action, e.actor, e.outcome])).toContainEqual(['card.expired', 'station', 'ok']);
    expect(audits(ts, card.id).find((e) => e.action === 'card.expired')!.details).toMatchObject({ previousStatus: 'suspended' });
    expect(outbox(ts, card.id).at(-1)).toBe('card.expired');
    expect(lifecycle.expireDue()).toEqual([]); // never twice
    // An expired card can still be revoked (e.g. reported stolen after expiry), not resumed.
    expect(await core.dispatch('cards.resume', { card: card.id })).toMatchObject({ ok: false, error: { code: 'CARD_STATE' } });
  });

  test('a revoked card stays revoked past its date; the core marks due cards when it starts', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    const ts = t;
    const first = await ts.station.production.produce({ personId: ts.addPerson(), readerName: ts.readerName, pin: PIN });
    ts.station.store.cards.update(first.card.id, { status: 'revoked', expirationDate: yesterday() });
    ts.reader.insert(VirtualPivCard.create());
    const second = await ts.station.production.produce({ personId: ts.addPerson(), readerName: ts.readerName, pin: PIN });
    ts.station.store.cards.update(second.card.id, { expirationDate: yesterday() });
    ts.station.core(); // the core starts here: the first expiry pass runs at once
    expect(ts.station.store.cards.get(second.card.id)!.status).toBe('expired');
    expect(ts.station.store.cards.get(first.card.id)!.status).toBe('revoked');
  });
});
