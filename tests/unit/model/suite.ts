/**
 * One seeded model-based suite (issue 10): `runs` random sequences of
 * StationApi calls, each on a fresh copy of the template station, by 2 to 4
 * officers with random role sets, some linked to persons who hold cards, under
 * a random setting of the agency's requester/producer rule. Reproducible: the
 * seed is fixed (MODEL_SEED overrides it), and a failure prints the seed, the
 * shrunk path and the calls made. `npm run test:model` runs many more
 * (MODEL_RUNS) with a seed of the day.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Role } from '../../../electron/core/workflow/types.js';
import { buildTemplate, openModelStation, type ModelTemplate } from './harness.js';
import { MODEL_CHANNELS, commandArbitraries } from './commands.js';
import { ModelRun } from './model.js';

const ROLES: Role[] = ['registration', 'approver', 'production', 'security', 'auditor', 'admin'];

/** Officers of a sequence: roles, and the person they are linked to (0 and 1 hold the template's cards). */
const officersArb = fc.array(
  fc.record({
    // Each role three times in five: most officers hold several, as at a small agency.
    roles: fc
      .tuple(...ROLES.map(() => fc.integer({ min: 0, max: 4 })))
      .map((draws) => ROLES.filter((_r, i) => draws[i]! < 3))
      .filter((roles) => roles.length > 0),
    person: fc.option(fc.oneof(fc.constant(0), fc.constant(1), fc.nat(7)), { nil: null, freq: 3 }),
  }),
  { minLength: 2, maxLength: 4 },
);

/**
 * From this many sequences on, every channel of the model must have been
 * called at least once: a command the sequences never reach covers nothing
 * (coverage.test.ts checks that each channel has a command; this, that the
 * command runs). Replays of one seed (MODEL_RUNS=1) are not held to it.
 */
const RUNS_THAT_REACH_EVERY_CHANNEL = 250;

/**
 * Registers the seeded suite `name` with `runs` sequences from `seed`.
 * MODEL_RUNS sets the number of sequences; MODEL_SEED_OFFSET shifts the seed
 * (`npm run test:model` shifts it by the date); MODEL_SEED sets it exactly
 * (to replay a failure: the test's name and fast-check's report give it).
 */
export function modelSuite(name: string, seed: number, runs: number): void {
  const numRuns = Number(process.env.MODEL_RUNS ?? runs);
  const theSeed = process.env.MODEL_SEED !== undefined ? Number(process.env.MODEL_SEED) : seed + Number(process.env.MODEL_SEED_OFFSET ?? 0);
  let template: ModelTemplate;
  beforeAll(async () => {
    template = await buildTemplate();
  }, 120_000);
  afterAll(() => template?.remove());

  test(`${name}: ${numRuns} seeded sequences (seed ${theSeed}) keep the five invariants`, async () => {
    // The calls of the last failing sequence (after shrinking: the counterexample's), for the report.
    let failing: string[] = [];
    const outcomes = new Map<string, number>();
    try {
      await fc.assert(
        fc.asyncProperty(officersArb, fc.boolean(), fc.commands(commandArbitraries(), { maxCommands: 16, size: 'large' }), async (officers, producerDiffersFromRequester, cmds) => {
          const real = await openModelStation(template, producerDiffersFromRequester);
          let log: string[] = [];
          try {
            const m = new ModelRun(real, template, producerDiffersFromRequester);
            log = m.log;
            for (const [i, o] of officers.entries()) await m.addOfficer(`officer${i}`, o.roles, o.person === null ? null : m.person(o.person).id, template.passwordHash);
            m.begin();
            await fc.asyncModelRun(() => ({ model: m, real: m }), cmds);
            m.verifyWholeAudit();
          } catch (e) {
            failing = log;
            throw e;
          } finally {
            await real.close();
            for (const call of log) {
              const key = `${call.split(' ')[1]} ${call.split('→ ')[1]}`;
              outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
            }
          }
        }),
        { numRuns, seed: theSeed },
      );
      // MODEL_STATS=1: how often each channel answered what, over every sequence (is the model reaching the paths that matter?).
      if (process.env.MODEL_STATS === '1') console.log([...outcomes].sort().map(([k, n]) => `${k}: ${n}`).join('\n'));
      if (numRuns >= RUNS_THAT_REACH_EVERY_CHANNEL) {
        const called = new Set([...outcomes.keys()].map((k) => k.split(' ')[0]));
        expect([...MODEL_CHANNELS].filter((c) => !called.has(c)), 'channels no sequence called').toEqual([]);
      }
    } catch (e) {
      // The calls of the (shrunk) failing sequence, as the station answered them.
      (e as Error).message += `\n\nCalls of the failing sequence:\n  ${failing.join('\n  ')}`;
      throw e;
    }
  }, 3_600_000);
}
