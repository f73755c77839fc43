/**
 * The Security Object step on the in-process training reader (no pcscd): written after every
 * object it covers, mapping only what the card profile writes, verified by verify-card (a changed
 * Printed Information fails), and skipped on a retry when proven done. PC/SC and independent
 * clients: tests/integration/produce.test.ts.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { PivSession } from '../../../../electron/core/piv/session.js';
import { ObjectTag } from '../../../../electron/core/piv/constants.js';
import { decodeLdsSecurityObject, decodeSecurityObject, dataGroupHash } from '../../../../electron/core/piv/objects/security-object.js';
import { encodePrintedInformation, decodePrintedInformation } from '../../../../electron/core/piv/objects/printed-information.js';
import { verifyEncapsulatedSignature } from '../../../../electron/core/pki/content-signer.js';
import { bytesEqual, toHex } from '../../../../electron/core/piv/tlv.js';
import { derivedKeyFor } from '../../../../electron/core/issuance/management-keys.js';
import { verifyCard } from '../../../../electron/core/issuance/verify-card.js';
import type { JobEvent } from '../../../../electron/core/issuance/job-types.js';
import type { VerificationReport } from '../../../../electron/core/issuance/verify-card.js';
import { onTrainingCard, openTrainingStation, type TrainingStation } from '../../../support/training-station.js';

const PIN = '246810';
const STEP = 'object.security-object';
let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** The card's Security Object: its mapping (DG → ContainerID hex) and whether each hash equals the object's. */
async function securityObjectOnCard(ts: TrainingStation): Promise<{ raw: Uint8Array; containers: string[]; hashesMatch: boolean }> {
  return onTrainingCard(ts, async (s) => {
    const raw = (await s.getData(ObjectTag.SECURITY_OBJECT))!;
    const so = decodeSecurityObject(raw);
    const lds = verifyEncapsulatedSignature(so.signature, '2.23.136.1.1.1', ts.station.ca.contentSignerCertificate(), 'Security Object');
    const hashes = decodeLdsSecurityObject(lds);
    await s.verifyPin(PIN);
    let hashesMatch = true;
    const tags: Record<number, number> = { 0x3000: ObjectTag.CHUID, 0xdb00: ObjectTag.CCC, 0x3001: ObjectTag.PRINTED_INFORMATION, 0x6050: ObjectTag.DISCOVERY, 0x6060: ObjectTag.KEY_HISTORY };
    for (const m of so.mapping) {
      const content = await s.getData(tags[m.containerId]!);
      hashesMatch &&= !!content && bytesEqual(dataGroupHash(content), hashes.find((h) => h.number === m.number)!.hash);
    }
    return { raw, containers: so.mapping.map((m) => m.containerId.toString(16).padStart(4, '0')), hashesMatch };
  });
}

describe('the Security Object step', () => {
  test('the default profile: written after every object it covers, maps CHUID, CCC, Printed Information, Discovery and Key History, and verify checks it', async () => {
    t = await openTrainingStation();
    const out = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: PIN });
    expect(out.job.status, out.job.error?.message).toBe('done');
    const names = out.steps.map((s) => s.name);
    const at = names.indexOf(STEP);
    for (const covered of ['chuid', 'object.ccc', 'object.printed-information', 'object.discovery', 'object.key-history']) {
      expect(names.indexOf(covered), covered).toBeLessThan(at);
    }
    const so = await securityObjectOnCard(t);
    expect(so.containers).toEqual(['3000', 'db00', '3001', '6050', '6060']);
    expect(so.hashesMatch).toBe(true);
    const report = out.steps.find((s) => s.name === 'verify')!.data!.report as VerificationReport;
    expect(report.checks.find((c) => c.name === 'Security Object')).toMatchObject({ ok: true });
    expect(report.checks.find((c) => c.name === 'Security Object')!.skipped).toBeUndefined();
  });

  test('a profile without Printed Information or Discovery: the Security Object maps only what is written', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    t.station.profiles.update('employee', { slots: ['9A', '9E'], objects: ['key-history'] }, 'admin');
    const out = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: PIN });
    expect(out.job.status, out.job.error?.message).toBe('done');
    const so = await securityObjectOnCard(t);
    expect(so.containers).toEqual(['3000', 'db00', '6060']);
    expect(so.hashesMatch).toBe(true);
  });

  test('a changed Printed Information fails verification of the Security Object', async () => {
    t = await openTrainingStation();
    const out = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: PIN });
    expect(out.job.status, out.job.error?.message).toBe('done');
    const ts = t;
    const verify = (s: PivSession): Promise<VerificationReport> =>
      ts.station.ca.trustAnchors().then((trust) => verifyCard({ session: s, trust, verifyPin: () => s.verifyPin(PIN) }));

    const before = await onTrainingCard(ts, verify);
    expect(before.checks.find((c) => c.name === 'Security Object')).toMatchObject({ ok: true });

    await onTrainingCard(ts, async (s) => {
      await s.authenticateManagementKey('AES192', derivedKeyFor(ts.station.keyring, out.card, 'AES192', out.card.mgmtKeyVersion!));
      await s.verifyPin(PIN);
      const printed = decodePrintedInformation((await s.getData(ObjectTag.PRINTED_INFORMATION))!);
      await s.putData(ObjectTag.PRINTED_INFORMATION, encodePrintedInformation({ ...printed, name: 'Mallory Changed' }));
    });
    const after = await onTrainingCard(ts, verify);
    expect(after.ok).toBe(false);
    expect(after.checks.find((c) => c.name === 'Security Object')).toMatchObject({ ok: false, detail: expect.stringMatching(/3001 .*does not match/) });
  });

  test('a card pulled after the step: the retry skips it (proven done) and the Security Object is unchanged', async () => {
    // APDUs up to the end of the step, from a clean run; key sizes may shift the count a little, so step forward.
    const clean = await openTrainingStation();
    const events: JobEvent[] = [];
    try {
      await clean.station.production.produce({ personId: clean.addPerson(), readerName: clean.readerName, pin: PIN }, (e) => events.push(e));
    } finally {
      await clean.close();
    }
    const finished = events.filter((e): e is Extract<JobEvent, { type: 'job.step.finished' }> => e.type === 'job.step.finished');
    let n = finished.slice(0, finished.findIndex((e) => e.step === STEP) + 1).reduce((sum, e) => sum + e.apdus, 0);

    for (let attempt = 0; attempt < 20; attempt++, n++) {
      const ts = await openTrainingStation({ faults: { removeAfterApdus: n } });
      t = ts;
      const first = await ts.station.production.produce({ personId: ts.addPerson(), readerName: ts.readerName, pin: PIN });
      expect(first.job.status).toBe('failed');
      const steps = first.steps.map((s) => s.name);
      if (steps.indexOf(first.job.failedStep!) <= steps.indexOf(STEP)) {
        await ts.close();
        t = undefined;
        continue;
      }
      const written = first.steps.find((s) => s.name === STEP)!.data!.content as string;
      ts.card.faults.removeAfterApdus = undefined;
      ts.reader.insert(ts.card);
      const retryEvents: JobEvent[] = [];
      const retried = await ts.station.production.retry(first.job.id, ts.readerName, PIN, (e) => retryEvents.push(e));
      expect(retried.job.status, retried.job.error?.message).toBe('done');
      expect(retryEvents.some((e) => e.type === 'job.step.skipped' && e.step === STEP)).toBe(true);
      expect(retryEvents.some((e) => e.type === 'job.step.started' && e.step === STEP)).toBe(false);
      expect(toHex((await securityObjectOnCard(ts)).raw)).toBe(written);
      return;
    }
    throw new Error('no pull landed after the Security Object step');
  });
});
