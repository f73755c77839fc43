/**
 * Issue 13 "Management key never blocked": a production on a card without 9B
 * metadata (strict-800-73) shows the management key is not the factory key by
 * the per-card key the card accepted in the same session, not by trying the
 * factory key: the card refuses no 9B authentication, even when the job runs
 * its verification twice.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { ApduTraceEntry } from '../../../../native/virtual-card/card.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** GENERAL AUTHENTICATE to 9B that the card refused after comparing the key (6982). */
const refused = (trace: ApduTraceEntry[]) => trace.filter((e) => e.ins === 0x87 && e.p2 === 0x9b && e.sw === 0x6982).length;

describe('refused management-key authentications in a production', () => {
  test('a strict-800-73 card refuses none: its per-card key proves the lock', async () => {
    const trace: ApduTraceEntry[] = [];
    t = await openTrainingStation({ personality: 'strict-800-73', faults: { onApdu: (e) => trace.push(e) } });
    const done = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: '246810' });
    expect(done.job.status, done.job.error?.message).toBe('done');
    const verified = (done.steps.find((s) => s.name === 'verify')!.data as { report: { checks: { name: string; detail: string }[] } }).report;
    expect(verified.checks.find((c) => c.name === 'Management key is not the default')?.detail).toBe('locked to a per-card key (the card accepted it in this session)');
    expect(refused(trace)).toBe(0);
  });

  test('the pulled card is retried from its verification: still none refused', async () => {
    const trace: ApduTraceEntry[] = [];
    t = await openTrainingStation({ personality: 'strict-800-73', faults: { onApdu: (e) => trace.push(e) } });
    const total = await (async () => {
      const probe = await openTrainingStation({ personality: 'strict-800-73' });
      try {
        const out = await probe.station.production.produce({ personId: probe.addPerson(), readerName: probe.readerName, pin: '246810' });
        return out.steps.reduce((n, s) => n + Number((s.data as { apdus?: number } | null)?.apdus ?? 0), 0);
      } finally {
        await probe.close();
      }
    })();
    t.card.faults = { ...t.card.faults, removeAfterApdus: total - 3 }; // inside the final verification
    const failed = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: '246810' });
    expect(failed.job.status).toBe('failed');
    expect(failed.job.failedStep).toBe('verify');
    t.card.faults = { onApdu: (e) => trace.push(e) };
    t.card.reinsert();
    const retried = await t.station.production.retry(failed.job.id, t.readerName, '246810');
    expect(retried.job.status, retried.job.error?.message).toBe('done');
    expect(refused(trace)).toBe(0);
  });
});
