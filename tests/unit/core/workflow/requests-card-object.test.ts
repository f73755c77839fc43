/**
 * createCardObject, the one writer of new card objects: on approval of a
 * request (card number, escrowed PUK, status approved) and for direct
 * production (ProductionService.createJob: no card number, no PUK before the
 * job's PUK step, status in production). Both draw the FASC-N credential
 * number from the same sequence, so no two cards share one.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../electron/core/config/station-config.js';
import { escrowedPuk } from '../../../../electron/core/issuance/card-secrets.js';
import { decodeFascn } from '../../../../electron/core/piv/objects/fascn.js';
import { fromHex } from '../../../../electron/core/piv/tlv.js';
import { createCardObject } from '../../../../electron/core/workflow/requests-card-object.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';

const NOW = new Date('2026-03-15T10:00:00Z');

let ts: TrainingStation | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

describe('createCardObject', () => {
  test('on approval: numbered, PUK escrowed, approved; FASC-N and expiration from the profile', async () => {
    ts = await openTrainingStation({}, { now: () => NOW });
    const { station } = ts;
    const person = station.store.persons.get(ts.addPerson({ employeeId: '4711' }))!;
    const card = station.store.transaction(() => createCardObject(station, person, 'employee', NOW));
    expect(card).toMatchObject({ status: 'approved', personId: person.id, cardProfile: 'employee', cardNumber: '00000001', credentialNumber: '000001', mgmtKeyState: 'transport' });
    expect(decodeFascn(fromHex(card.fascn))).toMatchObject({ agencyCode: DEFAULT_CONFIG.agencyCode, systemCode: DEFAULT_CONFIG.systemCode, credentialNumber: '000001', personIdentifier: '0000004711' });
    expect(card.expirationDate).toBe('2031-03-15');
    expect(escrowedPuk({ store: station.store, keyring: station.keyring }, card.id)).toMatch(/^\d{8}$/);
  });

  test('direct production (ProductionService.createJob): the same card object, unnumbered, in production, no PUK until the PUK step', async () => {
    ts = await openTrainingStation({}, { now: () => NOW });
    const { station } = ts;
    const personId = ts.addPerson({ employeeId: '815' });
    const job = station.production.createJob({ personId, readerName: ts.readerName, profile: 'visitor' });
    const card = station.store.cards.get(job.cardId)!;
    expect(card).toMatchObject({ status: 'in_production', personId, cardProfile: 'visitor', cardNumber: null, credentialNumber: '000001', mgmtKeyState: 'transport' });
    expect(card.guid).toMatch(/^[0-9A-F]{32}$/);
    expect(decodeFascn(fromHex(card.fascn))).toMatchObject({ credentialNumber: '000001', personIdentifier: '0000000815' });
    // Visitor cards are valid 6 months (the default profile).
    expect(DEFAULT_CONFIG.profiles.find((p) => p.id === 'visitor')!.cardValidityMonths).toBe(6);
    expect(card.expirationDate).toBe('2026-09-15');
    expect(escrowedPuk({ store: station.store, keyring: station.keyring }, card.id)).toBeUndefined();
    // No card number was drawn: the next approved card object still gets the first one.
    const next = station.store.transaction(() => createCardObject(station, station.store.persons.get(personId)!, 'visitor', NOW));
    expect(next.cardNumber).toBe('00000001');
    expect(next.credentialNumber).toBe('000002');
    // The job and its card are created together, audited with the profile and reader.
    const created = station.store.audit.list({ jobId: job.id }).find((e) => e.action === 'job.created');
    expect(created).toMatchObject({ outcome: 'ok', cardId: card.id, personId, details: { profile: 'visitor', reader: ts.readerName } });
  });
});
