/**
 * A regression guard on the APDUs one card costs (issue 14: "APDUs per card
 * ≤ yubico-piv-tool's … and within 10 % of the minimum"; "verification under
 * half its cost"): the default profile produced on the in-process training
 * reader, every C-APDU counted on the card side and classified into the
 * issue's formula terms by the benchmark's own meter (bench/card-meter.ts
 * stationTerms, minimumApdus), production and verification apart. Each term
 * may not exceed the figure the station reaches today; a change that sends
 * more fails here, with the term named. Counts, never times.
 *
 * Figures (yubikey-like card, extended length; 9B 3DES as the bench's card):
 * before issue 14's last round 73 APDUs (59 production + 14 verification),
 * after it 47 (37 + 10), against the formula's minimum of 53.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { meterCard, minimumApdus, stationTerms, totals } from '../../../../bench/card-meter.js';
import { resolvePersonality, type PersonalityName } from '../../../../native/virtual-card/personality.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

type Term = keyof ReturnType<typeof stationTerms>;

/** One production of the default profile, metered as `npm run bench` meters it (phase by step). */
async function meteredProduction(personality: PersonalityName) {
  // The bench's card: a yubikey-like card keeps a 3DES factory 9B there (bench/cards.ts), as firmware before 5.7 does.
  t = await openTrainingStation({ personality, ...(personality === 'yubikey-like' ? { managementKeyAlgorithm: 'TDEA' as const } : {}) });
  const meter = meterCard(t.card, 'production');
  const out = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: '246810' }, (e) => {
    if (e.type === 'job.step.started') meter.phase = e.step === 'verify' ? 'verification' : 'production';
  });
  expect(out.job.status, out.job.error?.message).toBe('done');
  return {
    station: stationTerms(meter.log),
    minimum: minimumApdus(meter.log, resolvePersonality(personality).extendedLength),
    production: totals(meter.log, (a) => a.phase === 'production').apdus,
    verification: totals(meter.log, (a) => a.phase === 'verification').apdus,
  };
}

/** What a card may cost, term by term (the figures the station reached), and production and verification apart. */
interface Budget {
  terms: Record<Term, number>;
  production: number;
  verification: number;
  /** True when the station must stay at or under the formula's minimum for the same work. */
  underMinimum: boolean;
}

const BUDGETS: Record<'yubikey-like' | 'strict-800-73', Budget> = {
  // Extended length: one APDU per object each way.
  'yubikey-like': {
    terms: {
      select: 1,
      // 2 to authenticate with the transport key, 2 to prove the per-card key after SET MANAGEMENT KEY (secret-steps.ts)
      managementKeyAuthentication: 4,
      generate: 4,
      // one extended PUT DATA per certificate
      certificatePutData: 4,
      csrSignatures: 3,
      // the transport PIN (preflight), before the 9C CSR signature (PIN Always), the cardholder's PIN after setting it
      pinVerify: 3,
      objectPutData: 5,
      pinChange: 1,
      // the transport-PUK check before anything is written (card-preflight.ts), then the change
      pukChange: 2,
      managementKeyChange: 1,
      verificationGetData: 9,
      // 9D agrees (no CSR); 9A, 9C and 9E signed their CSRs in this card session
      verificationKeyOperations: 1,
      // GET SERIAL, GET METADATA 9B 80 81, the SET MANAGEMENT KEY probe, the extended-length probe (Discovery's read),
      // and the reads before writing CHUID, Key History, Printed Information
      otherProduction: 9,
      otherVerification: 0,
      total: 47,
    },
    production: 37,
    verification: 10,
    underMinimum: true,
  },
  // No extended length, no vendor extension but SET MANAGEMENT KEY: chained writes, Le 256 and GET RESPONSE.
  'strict-800-73': {
    terms: {
      select: 1,
      // the transport key tried under the algorithm the card does not say (no metadata), refused before any comparison
      managementKeyAuthentication: 5,
      generate: 4,
      certificatePutData: 14,
      csrSignatures: 3,
      pinVerify: 3,
      objectPutData: 10,
      pinChange: 1,
      // no GET METADATA 81: the PUK step itself proves the transport PUK (card-preflight.ts)
      pukChange: 1,
      managementKeyChange: 1,
      verificationGetData: 24,
      verificationKeyOperations: 1,
      otherProduction: 11,
      otherVerification: 0,
      total: 79,
    },
    production: 54,
    verification: 25,
    underMinimum: false,
  },
};

describe('APDUs per card, by the formula of issue 14', () => {
  test.each(Object.keys(BUDGETS) as (keyof typeof BUDGETS)[])('%s: every term, production and verification within the figures reached', async (personality) => {
    const budget = BUDGETS[personality];
    const m = await meteredProduction(personality);
    const over = (Object.keys(budget.terms) as Term[]).filter((k) => m.station[k] > budget.terms[k]).map((k) => `${k}: ${m.station[k]} > ${budget.terms[k]}`);
    expect(over, 'terms over their budget').toEqual([]);
    expect(m.production, 'production APDUs').toBeLessThanOrEqual(budget.production);
    expect(m.verification, 'verification APDUs').toBeLessThanOrEqual(budget.verification);
    if (budget.underMinimum) expect(m.station.total).toBeLessThanOrEqual(m.minimum.total);
  });
});
