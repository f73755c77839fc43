/**
 * Issue 13, "Card removal after every APDU index", through the real pcscd:
 * for each personality a reference production records which step sends each
 * APDU (the card's own trace) and how many there are; then, for every index i
 * (`npm run test:sweeps`) or a seeded sample (`npm test`), a new card is
 * pulled right after answering its ith APDU (card-side hook, no timing). The
 * job must be failed at the step that sent APDU i+1 with the officer's
 * sentence for a removed card; the same card put back, `job retry` completes
 * it; the card then passes `station verify` (card.verify, the CLI's door) and
 * OpenSC's pkcs15-tool -D, the CA holds a valid certificate exactly for each
 * key on the card, and the card saw at most one failing management-key
 * authentication over the job's two runs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { productionSteps } from '../../electron/core/issuance/production-steps.js';
import type { JobEvent } from '../../electron/core/issuance/job-types.js';
import type { VirtualPivCard } from '../../native/virtual-card/card.js';
import type { PersonalityName } from '../../native/virtual-card/personality.js';
import { checkOpenscDump } from '../support/independent-clients.js';
import { VPCD_READER } from '../support/vpcd-card.js';
import { caAgreesWithCards, failedManagementAuthentications, openSweepStation, SWEEP_PIN, type SweepStation } from './support/sweep-station.js';
import { sampleSize, SWEEP_ALL, SWEEP_SEED, sweepPoints } from './support/sweep-plan.js';

/** Two personalities that reach the card differently: with the vendor extensions, and with SP 800-73-4 commands only. */
const PERSONALITIES: PersonalityName[] = ['yubikey-like', 'strict-800-73'];
/** Indices per personality in the sampled run (issue 13: at least 20). */
const SAMPLE = 20;

const ACTIVITY = new Map(productionSteps().map((s) => [s.name, s.activity]));

let dir: string;
let sweep: SweepStation;
const produced = new Map<string, VirtualPivCard>();
const counts: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-pull-sweep-'));
  sweep = await openSweepStation(join(dir, 'station'));
});

afterAll(async () => {
  await sweep?.close();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`\ncard-pull sweep (${SWEEP_ALL ? 'every index' : `sample, SWEEP_SEED=${SWEEP_SEED}`}):\n${counts.map((c) => `  ${c}\n`).join('')}`);
});

/**
 * A listener that tags each APDU of the card's trace with the step the engine
 * was in when it was sent. A step sends APDUs between its start and its end
 * event, and also before its start event (or its skip event) while the engine
 * asks the card whether the step is already done: those belong to it too.
 */
function stepTagger(trace: { length: number }): { listener: (e: JobEvent) => void; stepAt: string[] } {
  const stepAt: string[] = [];
  let tagged = 0;
  const tagUpTo = (step: string) => {
    for (; tagged < trace.length; tagged++) stepAt[tagged + 1] = step;
  };
  return {
    stepAt,
    listener(e) {
      if (e.type === 'job.step.started' || e.type === 'job.step.skipped' || e.type === 'job.step.finished') tagUpTo(e.step);
    },
  };
}

describe.each(PERSONALITIES)('a %s card pulled after APDU i of a production', (personality) => {
  test('every pulled job fails at its step, is finished by a retry on the same card, and leaves nothing behind', async () => {
    // Reference production: how many APDUs, and which step sends each.
    const refCard = await sweep.insert(join(dir, `${personality}-reference.json`), personality);
    const tagger = stepTagger(refCard.trace);
    const ref = await sweep.station.production.produce({ personId: sweep.addPerson(personality), readerName: VPCD_READER, pin: SWEEP_PIN }, tagger.listener);
    expect(ref.job.status, ref.job.error?.message).toBe('done');
    const total = refCard.trace.length;
    expect(failedManagementAuthentications(refCard.trace)).toBe(0);
    await refCard.remove();
    expect(tagger.stepAt.length).toBe(total + 1);

    // Pulls after APDU i for i < total: APDU i+1 is the one that finds the card gone.
    const points = sweepPoints(total - 1, sampleSize(SAMPLE), personality);
    const failedAt = new Map<string, number>();
    let worstManagementFailures = 0;
    for (const i of points) {
      const statePath = join(dir, `${personality}-${i}.json`);
      const first = await sweep.insert(statePath, personality, { pullAfterInsertedApdus: i });
      const failed = await sweep.station.production.produce({ personId: sweep.addPerson(`${personality} ${i}`), readerName: VPCD_READER, pin: SWEEP_PIN });
      await first.link.closed;
      await first.remove();
      const step = tagger.stepAt[i + 1]!;
      const where = `pulled after APDU ${i}/${total} (${personality}, next APDU in ${step})`;
      expect(failed.job.status, where).toBe('failed');
      expect(failed.job.failedStep, where).toBe(step);
      expect(failed.job.error, where).toMatchObject({ code: 'CARD_REMOVED', message: `The card was removed while ${ACTIVITY.get(step)}.` });
      failedAt.set(step, (failedAt.get(step) ?? 0) + 1);

      // The officer puts the same card back and retries.
      const again = await sweep.insert(statePath, personality);
      try {
        const retried = await sweep.station.production.retry(failed.job.id, VPCD_READER, SWEEP_PIN);
        expect(retried.job.status, `${where}: retry ${retried.job.error?.message}`).toBe('done');
        // The job's two runs, not the check after it (station verify on a card without 9B metadata tries the factory key once by design).
        const managementFailures = failedManagementAuthentications(first.trace) + failedManagementAuthentications(again.trace);
        const verified = await sweep.verify();
        expect(verified.failed, where).toEqual([]);
        expect(verified.ok, where).toBe(true);
        const expectedSerials = sweep.station.store.certificates
          .listByCard(retried.card.id)
          .filter((c) => c.status === 'valid')
          .map((c) => c.serial);
        const dump = await checkOpenscDump({ reader: VPCD_READER, pin: SWEEP_PIN, caChainPem: '', expectedSerials, workDir: dir });
        expect(dump.ok, `${where}: ${dump.detail}`).toBe(true);
        produced.set(retried.card.id, again.card);
        expect(caAgreesWithCards(sweep.station, new Map([[retried.card.id, again.card]])), where).toEqual([]);
        worstManagementFailures = Math.max(worstManagementFailures, managementFailures);
        expect(managementFailures, `${where}: failing 9B authentications on the card`).toBeLessThanOrEqual(1);
      } finally {
        await again.remove();
      }
    }
    // Across the whole sweep, the CA's valid certificates are exactly the keys on the cards.
    expect(caAgreesWithCards(sweep.station, produced)).toEqual([]);
    counts.push(
      `${personality}: ${points.length} of ${total - 1} pull points swept (production = ${total} APDUs); failed at ${[...failedAt].map(([s, n]) => `${s} ×${n}`).join(', ')}; most failing 9B authentications in one job: ${worstManagementFailures}`,
    );
  });
});
