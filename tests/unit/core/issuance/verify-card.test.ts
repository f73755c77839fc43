/**
 * `card.verify` (the dispatcher's door used by the Verify screen and `station
 * verify`) does not mislead and does not harm (issue 9 §5): at most one
 * VERIFY carrying a PIN per run, none when only one try is left or the PIN is
 * blocked, none on a blank or factory-placeholder card, which it reports as
 * not issued by this station; the report names the capabilities it found.
 * VERIFY commands are counted on the card side.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { fromHex, toHex } from '../../../../electron/core/piv/tlv.js';
import type { VerificationReport } from '../../../../electron/contract/station-api.js';
import type { VirtualPivCard } from '../../../../native/virtual-card/card.js';
import type { PersonalityName } from '../../../../native/virtual-card/personality.js';
import { onTrainingCard, openTrainingStation, type TrainingStation } from '../../../support/training-station.js';

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const PIN = '246810';
const WRONG_PIN = '135790';

/** VERIFY commands that carry a PIN (and so may spend a try), as the card receives them. */
function countPinVerifies(card: VirtualPivCard): () => number {
  let n = 0;
  const process = card.processApdu.bind(card);
  card.processApdu = (capdu) => {
    // 00 20 00 80 08 <PIN>: VERIFY with reference data (a status query has no data field).
    if (capdu[1] === 0x20 && capdu[2] === 0x00 && capdu.length > 5) n++;
    return process(capdu);
  };
  return () => n;
}

async function verify(ts: TrainingStation, pin?: string): Promise<VerificationReport> {
  await ts.login();
  const r = await ts.station.core().dispatch('card.verify', { readerName: ts.readerName, ...(pin ? { pin } : {}) }, 'local');
  if (!r.ok) throw new Error(`card.verify failed: ${r.error.code} ${r.error.message}`);
  return r.value as VerificationReport;
}

const check = (r: VerificationReport, name: string) => r.checks.find((c) => c.name === name);
const pinTriesLeft = (ts: TrainingStation) => onTrainingCard(ts, async (s) => (await s.pinStatus()).retriesLeft);

async function produced(personality: PersonalityName): Promise<TrainingStation> {
  const ts = await openTrainingStation({ personality }, { directProduction: true });
  const out = await ts.station.production.produce({ personId: ts.addPerson(), readerName: ts.readerName, pin: PIN });
  expect(out.job.status, out.job.error?.message).toBe('done');
  return ts;
}

describe('a produced card', () => {
  // The station sets 3 tries where the card has SET PIN RETRIES; a card without it keeps its own 6.
  for (const [personality, tries] of [['yubikey-like', 3], ['strict-800-73', 6]] as const) {
    test(`${personality}: one mistyped PIN sends one VERIFY, fails every check needing it, and leaves the PIN usable`, async () => {
      t = await produced(personality);
      const verifies = countPinVerifies(t.card);
      const report = await verify(t, WRONG_PIN);
      expect(verifies()).toBe(1);
      expect(report.ok).toBe(false);
      expect(check(report, 'PIN verifies')).toMatchObject({ ok: false, detail: `The PIN is wrong; ${tries - 1} tries left; no further VERIFY was sent.` });
      for (const slot of ['9A', '9C', '9D']) expect(check(report, `${slot} key matches its certificate`)?.ok, slot).toBe(false);
      expect(check(report, '9E key matches its certificate')?.ok).toBe(true); // no PIN needed
      expect(await pinTriesLeft(t)).toBe(tries - 1);
    });

    test(`${personality}: the right PIN passes every check with one VERIFY, the Digital Signature key right after it`, async () => {
      t = await produced(personality);
      const verifies = countPinVerifies(t.card);
      const report = await verify(t, PIN);
      expect(verifies()).toBe(1);
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.factoryState).toBeUndefined();
      expect(check(report, '9C key matches its certificate')?.detail).toBe('a fresh challenge signed on card verifies with the certificate');
      expect(check(report, 'Management key is not the default')?.ok).toBe(true);
    });
  }

  test('the report names the capabilities the card showed', async () => {
    t = await produced('strict-800-73');
    const report = await verify(t);
    expect(report.capabilities).toMatchObject({
      extensions: { getVersion: 'no', getMetadata: 'no', setPinRetries: 'no', setManagementKey: 'yes' },
      extendedLength: false,
    });
    // Without metadata the management key is proven by the factory key being refused.
    expect(check(report, 'Management key is not the default')?.detail).toBe('the factory management key is refused');
  });

  test('without a PIN, no PIN try is spent and the checks needing it are skipped', async () => {
    t = await produced('yubikey-like');
    const verifies = countPinVerifies(t.card);
    const report = await verify(t);
    expect(verifies()).toBe(0);
    expect(check(report, 'PIN verifies')).toMatchObject({ ok: true, skipped: true, detail: 'no PIN given' });
    expect(check(report, '9A key matches its certificate')).toMatchObject({ skipped: true, detail: 'no PIN given' });
  });

  test('with one try left the station does not spend it; with the PIN blocked it does not try', async () => {
    t = await produced('strict-800-73');
    await onTrainingCard(t, async (s) => {
      for (let i = 0; i < 5; i++) await s.verifyPin(WRONG_PIN).catch(() => undefined); // 6 tries: 1 left
    });
    expect(await pinTriesLeft(t)).toBe(1);
    const verifies = countPinVerifies(t.card);
    const report = await verify(t, PIN);
    expect(verifies()).toBe(0);
    expect(check(report, 'PIN verifies')).toMatchObject({ skipped: true, detail: 'only one PIN try is left: the station does not spend it' });
    expect(await pinTriesLeft(t)).toBe(1);
    await onTrainingCard(t, (s) => s.verifyPin(WRONG_PIN).catch(() => undefined));
    const afterBlocking = verifies();
    const blocked = await verify(t, PIN);
    expect(verifies()).toBe(afterBlocking);
    expect(check(blocked, 'PIN verifies')).toMatchObject({ skipped: true, detail: 'the PIN is blocked: it was not tried' });
  });
});

describe('a card this station did not issue', () => {
  test('a blank card: the factory state is reported and its PIN is never tried', async () => {
    t = await openTrainingStation();
    const verifies = countPinVerifies(t.card);
    const report = await verify(t, '123456');
    expect(verifies()).toBe(0);
    expect(report).toMatchObject({ ok: false, factoryState: true });
    expect(check(report, 'CHUID present and well formed')).toMatchObject({ ok: false, detail: 'The card has no CHUID: it is blank, not issued by this station.' });
    expect(check(report, 'PIN verifies')).toMatchObject({ skipped: true, detail: 'the card is in its factory state: the PIN was not tried' });
    expect(check(report, 'Management key is not the default')).toMatchObject({ ok: false });
    expect(await pinTriesLeft(t)).toBe(3);
  });

  test('a factory placeholder CHUID (all-zero FASC-N, unsigned) is not "present and well formed"', async () => {
    t = await openTrainingStation({ personality: 'fixed-objects' });
    const chuid = await onTrainingCard(t, (s) => s.getData(0x5fc102));
    expect(toHex(chuid!).slice(0, 54)).toBe(`3019${'00'.repeat(25)}`);
    const verifies = countPinVerifies(t.card);
    const report = await verify(t, '123456');
    expect(verifies()).toBe(0);
    expect(report.factoryState).toBe(true);
    expect(check(report, 'CHUID present and well formed')).toMatchObject({
      ok: false,
      detail: 'The CHUID is a factory placeholder (all-zero FASC-N): this card was not issued by this station.',
    });
    expect(check(report, 'CHUID signature')).toBeUndefined();
  });

  test('an unsigned CHUID with a real FASC-N (a returned card of another issuer) is not "present and well formed" either, and its PIN is not tried', async () => {
    t = await openTrainingStation({ personality: 'factory-dirty' });
    const verifies = countPinVerifies(t.card);
    const report = await verify(t, '123456');
    expect(verifies()).toBe(0);
    expect(report).toMatchObject({ ok: false, factoryState: true });
    expect(check(report, 'CHUID present and well formed')).toMatchObject({
      ok: false,
      detail: 'The CHUID is a factory placeholder (unsigned): this card was not issued by this station.',
    });
    expect(check(report, 'PIN verifies')).toMatchObject({ skipped: true });
  });

  test('a 9B metadata "default" flag cleared on a card still on its factory key (observed after a recycle) is no proof: the factory key is tried, and accepted', async () => {
    t = await openTrainingStation({ personality: 'fixed-objects' });
    // GET METADATA 9B as observed on an independent applet after its factory 3DES key was set back: 3DES, default flag 00.
    const process = t.card.processApdu.bind(t.card);
    t.card.processApdu = (capdu) => (toHex(capdu) === '00F7009B00' ? Promise.resolve(fromHex('01010305010002020101030100' + '9000')) : process(capdu));
    const report = await verify(t);
    expect(check(report, 'Management key is not the default')).toMatchObject({ ok: false, detail: 'The card still accepts the factory management key (TDEA).' });
  });
});
