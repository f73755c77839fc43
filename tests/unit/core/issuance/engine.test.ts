/**
 * The production job engine on the in-process training reader (no pcscd):
 * a whole production, the card pulled at every point of the job and the job
 * retried (in the same station, or in a reopened one as after a crash),
 * cancel, and bad input. PC/SC and independent clients are covered by
 * tests/integration.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { openStationRoot } from '../../../../electron/boot/open-station.js';
import { FactoryDefaults, PIV_SLOTS, SLOT_KEY_REF, Ins, Sw } from '../../../../electron/core/piv/constants.js';
import { toHex } from '../../../../electron/core/piv/tlv.js';
import { isStationError } from '../../../../electron/core/errors.js';
import { derivedKeyFor } from '../../../../electron/core/issuance/management-keys.js';
import type { JobEvent } from '../../../../electron/core/issuance/job-types.js';
import { onTrainingCard, openTrainingStation, type TrainingStation } from '../../../support/training-station.js';

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Opens a session on the card in the training reader (after the job released it). */
const withCard = onTrainingCard;

/** Every valid certificate recorded for the card is for the key its slot holds now. */
async function assertNoCertificateWithoutKey(ts: TrainingStation, cardId: string): Promise<void> {
  const certs = ts.station.store.certificates.listByCard(cardId);
  await withCard(ts, async (s) => {
    for (const cert of certs) {
      if (cert.status !== 'valid') {
        expect(await ts.station.ca.status(cert.serial)).not.toBe('valid');
        continue;
      }
      const meta = await s.getMetadata(SLOT_KEY_REF[cert.slot as '9A']);
      expect(meta?.publicKey && toHex(meta.publicKey.spki), `valid ${cert.slot} certificate ${cert.serial} has its key on the card`).toBe(cert.publicKeySpki);
    }
  });
  // exactly one valid certificate per slot
  const valid = certs.filter((c) => c.status === 'valid').map((c) => c.slot).sort();
  expect(valid).toEqual([...PIV_SLOTS].sort());
}

describe('production on the training reader', () => {
  test('produces a verified, locked card with four certificates, PIN set and PUK escrowed', async () => {
    t = await openTrainingStation();
    const personId = t.addPerson();
    const events: JobEvent[] = [];
    const out = await t.station.production.produce({ personId, readerName: t.readerName, pin: '246810' }, (e) => events.push(e));

    expect(out.job.status).toBe('done');
    expect(out.card.status).toBe('produced');
    expect(out.card.mgmtKeyState).toBe('locked');
    expect(out.card.mgmtKeyAlg).toBe('AES192');
    expect(out.steps.every((s) => s.status === 'done')).toBe(true);
    expect(events.filter((e) => e.type === 'job.step.finished').length + events.filter((e) => e.type === 'job.step.skipped').length).toBe(out.steps.length);
    const report = out.steps.find((s) => s.name === 'verify')!.data!.report as { ok: boolean; checks: { ok: boolean }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.length).toBeGreaterThan(10);

    // PUK: shown once, 8 digits, escrowed sealed (the blob does not contain it).
    const puk = out.oneTimeSecrets!.puk!;
    expect(puk).toMatch(/^\d{8}$/);
    expect(out.oneTimeSecrets!.pin).toBeUndefined(); // the cardholder chose it
    const sealed = t.station.store.escrow.get(out.card.id, 'PUK')!;
    expect(Buffer.from(sealed).includes(Buffer.from(puk))).toBe(false);

    await assertNoCertificateWithoutKey(t, out.card.id);
    const ts = t;
    await withCard(ts, async (s) => {
      // the default management key is refused; the derived one works
      await expect(s.authenticateManagementKey('AES192', FactoryDefaults.MANAGEMENT_KEY)).rejects.toMatchObject({ code: 'MGMT_KEY_REJECTED' });
      await s.authenticateManagementKey('AES192', derivedKeyFor(ts.station.keyring, out.card, 'AES192', out.card.mgmtKeyVersion!));
      // the PIN and the escrowed PUK are the card's
      await s.verifyPin('246810');
      await s.changePuk(puk, puk);
      // a wrong PIN decrements the counter
      await expect(s.verifyPin('135790')).rejects.toMatchObject({ code: 'WRONG_PIN', details: { retriesLeft: 2 } });
    });
  });

  test('a generated PIN is returned once and works on the card', async () => {
    t = await openTrainingStation();
    const out = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName });
    expect(out.job.status).toBe('done');
    const pin = out.oneTimeSecrets!.pin!;
    expect(pin).toMatch(/^\d{6}$/);
    await withCard(t, (s) => s.verifyPin(pin));
  });

  test('RSA-2048 in every slot', async () => {
    t = await openTrainingStation();
    const out = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: '975312', algorithm: 'RSA2048' });
    expect(out.job.status).toBe('done');
    await withCard(t, async (s) => {
      for (const slot of PIV_SLOTS) expect((await s.getMetadata(SLOT_KEY_REF[slot]))?.algorithm).toBe('RSA2048');
    });
  });
});

describe('card pulled during production, then retried', () => {
  /** Total APDUs of a clean production, measured once. */
  async function apdusOfCleanRun(): Promise<number> {
    const ts = await openTrainingStation();
    try {
      const out = await ts.station.production.produce({ personId: ts.addPerson(), readerName: ts.readerName, pin: '246810' });
      return out.steps.reduce((n, s) => n + Number(s.data?.apdus ?? 0), 0);
    } finally {
      await ts.close();
    }
  }

  test('pulled after N APDUs for N across the whole job: the job fails at that step and a retry completes it', async () => {
    const total = await apdusOfCleanRun();
    expect(total).toBeGreaterThan(30);
    const failedSteps = new Set<string>();
    const stride = 1; // every APDU boundary of the job
    for (let n = 2, round = 0; n < total; n += stride, round++) {
      const ts = await openTrainingStation({ faults: { removeAfterApdus: n } });
      try {
        const generated = round % 2 === 1; // odd rounds: generated PIN and a reopened station (lost memory)
        const first = await ts.station.production.produce({ personId: ts.addPerson(), readerName: ts.readerName, pin: generated ? undefined : '246810' });
        expect(first.job.status, `pulled after ${n} APDUs`).toBe('failed');
        expect(first.job.error?.code).toBe('CARD_REMOVED');
        expect(first.job.error?.message).toMatch(/^The card was removed while /);
        expect(first.card.status).toBe('production_failed');
        failedSteps.add(first.job.failedStep!);

        ts.card.faults.removeAfterApdus = undefined;
        ts.reader.insert(ts.card); // the officer puts the card back
        let station = ts.station;
        if (generated) {
          await ts.station.close();
          station = await openStationRoot({ dataDir: ts.dataDir, training: true, readers: ts.reader });
          ts.station = station;
        }
        const retried = await station.production.retry(first.job.id, ts.readerName, generated ? undefined : '246810');
        expect(retried.job.status, `retry after a pull at APDU ${n} (${first.job.failedStep}): ${retried.job.error?.message}`).toBe('done');
        expect(retried.card.status).toBe('produced');
        const pin = generated ? retried.oneTimeSecrets?.pin : '246810';
        if (pin) await withCard(ts, (s) => s.verifyPin(pin));
        await assertNoCertificateWithoutKey(ts, retried.card.id);
      } finally {
        await ts.close();
      }
    }
    // the sweep really hit the different kinds of step
    for (const step of ['chuid', 'certify.9A', 'load.9C', 'generate.9E', 'puk', 'pin', 'lock', 'verify']) {
      if (![...failedSteps].some((s) => s.split('.')[0] === step.split('.')[0])) throw new Error(`no pull landed in a ${step} step: ${[...failedSteps]}`);
    }
  }, 240_000);

  test('a retry on another card is refused with CARD_MISMATCH and changes nothing', async () => {
    t = await openTrainingStation({ faults: { removeAfterApdus: 40 } });
    const first = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: '246810' });
    expect(first.job.status).toBe('failed');
    const { VirtualPivCard } = await import('../../../../native/virtual-card/card.js');
    const other = VirtualPivCard.create();
    t.reader.insert(other);
    const retried = await t.station.production.retry(first.job.id, t.readerName, '246810');
    expect(retried.job.status).toBe('failed');
    expect(retried.job.error?.code).toBe('CARD_MISMATCH');
    // Names both cards: the one in the reader and the one to put in.
    expect(retried.job.error?.message).toContain(`the reader holds the card with serial ${other.serial}; insert the card with serial ${t.card.serial}`);
    expect(retried.job.failedStep).toBe('identify');
  });
});

describe('cancel', () => {
  test('cancelling a failed job revokes its certificates; a new job takes the card over', async () => {
    t = await openTrainingStation({ faults: { removeAfterApdus: 30 } });
    const first = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: '246810' });
    expect(first.job.status).toBe('failed');
    const issued = t.station.store.certificates.listByJob(first.job.id);
    expect(issued.length).toBeGreaterThan(0);

    await expect(t.station.production.cancel(first.job.id, '  ')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const cancelled = await t.station.production.cancel(first.job.id, 'cardholder left before the card was ready');
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancelReason).toBe('cardholder left before the card was ready');
    for (const c of t.station.store.certificates.listByJob(first.job.id)) {
      expect(c.status).toBe('revoked');
      expect(await t.station.ca.status(c.serial)).toBe('revoked');
    }
    expect(t.station.store.cards.get(first.card.id)?.status).toBe('cancelled');
    await expect(t.station.production.retry(first.job.id, t.readerName, '246810')).rejects.toMatchObject({ code: 'JOB_STATE' });

    t.card.faults.removeAfterApdus = undefined;
    t.reader.insert(t.card);
    const again = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: '135246' });
    expect(again.job.status, again.job.error?.message).toBe('done');
    await assertNoCertificateWithoutKey(t, again.card.id);
  });

  test('an issued card is not produced again', async () => {
    t = await openTrainingStation();
    const first = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: '246810' });
    expect(first.job.status).toBe('done');
    const second = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: '246810' });
    expect(second.job.status).toBe('failed');
    expect(second.job.error?.code).toBe('CARD_IN_USE');
  });
});

describe('bad input loses nothing', () => {
  test('a PIN outside 6–8 digits is refused before any job or card record exists', async () => {
    t = await openTrainingStation();
    const personId = t.addPerson();
    for (const pin of ['12345', '123456789', '12a456', '111111']) {
      expect(() => t!.station.production.createJob({ personId, readerName: t!.readerName, pin })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
    expect(t.station.store.jobs.list()).toHaveLength(0);
    expect(t.station.store.cards.listByPerson(personId)).toHaveLength(0);
  });

  test('a card without a PIV application: the job fails at connect with NOT_PIV', async () => {
    t = await openTrainingStation({ faults: { forcedStatus: [{ ins: Ins.SELECT, sw: Sw.FILE_NOT_FOUND }] } });
    const out = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: '246810' });
    expect(out.job.status).toBe('failed');
    expect(out.job.failedStep).toBe('connect');
    expect(out.job.error?.code).toBe('NOT_PIV');
  });

  test('a card whose management key is unknown is left untouched: no key generated, no guessing', async () => {
    t = await openTrainingStation();
    const foreignKey = new Uint8Array(24).fill(0x5a);
    await withCard(t, async (s) => {
      await s.authenticateManagementKey('AES192', FactoryDefaults.MANAGEMENT_KEY);
      await s.setManagementKey('AES192', foreignKey);
    });
    const out = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: '246810' });
    expect(out.job.status).toBe('failed');
    expect(out.job.failedStep).toBe('authenticate');
    expect(out.job.error?.code).toBe('MGMT_KEY_UNKNOWN');
    expect(out.job.error?.retryable).toBe(false);
    await withCard(t!, async (s) => {
      for (const slot of PIV_SLOTS) expect(await s.getMetadata(SLOT_KEY_REF[slot])).toBeNull();
      await s.authenticateManagementKey('AES192', foreignKey); // still the foreign key
    });
    expect(t.station.store.certificates.listByJob(out.job.id)).toHaveLength(0);
  });

  test('a given-PIN job retried without the PIN is refused; an unknown job is NOT_FOUND_RECORD', async () => {
    t = await openTrainingStation({ faults: { removeAfterApdus: 30 } });
    const first = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: '246810' });
    await expect(t.station.production.retry(first.job.id, t.readerName, undefined)).rejects.toSatisfy((e) => isStationError(e, 'INVALID_INPUT'));
    await expect(t.station.production.retry('no-such-job', t.readerName, '246810')).rejects.toSatisfy((e) => isStationError(e, 'NOT_FOUND_RECORD'));
  });
});
