/**
 * Issue 13, the other card faults of "Fault sweeps", through the real pcscd:
 *
 * - An unexpected status word (6F00, 6581, 6A84 "not enough memory", 6982)
 *   answered at the first use of each command kind (INS) of a production
 *   (card-side hook statusAtApdu): the run ends either done (the station took
 *   the answer as "not supported" and fell back) or failed with a typed error
 *   and the officer's sentence; a retry on the same card completes it, the card
 *   passes `station verify`, and nothing is blocked (PIN and PUK tries whole,
 *   at most one refused 9B authentication).
 * - The reader gone (pcscd stopped, as tests/integration/reader-gone.test.ts
 *   does) while the card answers APDU i, at a spread of i: a typed error, and
 *   once pcscd is back the same job completes on retry.
 * - A different card on retry: refused with a message naming both cards; the
 *   other card is left untouched; the job stays resumable and completes on its
 *   own card.
 *
 * `npm test` takes a seeded sample of the status-word × command pairs and of
 * the reader-gone points; `npm run test:sweeps` takes every pair and more points.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_CODES } from '../../electron/contract/errors.js';
import { guidToUuid } from '../../electron/core/issuance/steps/chuid-step.js';
import type { ApduTraceEntry } from '../../native/virtual-card/card.js';
import type { PersonalityName } from '../../native/virtual-card/personality.js';
import { ROOT } from '../support/station-cli.js';
import { run, VPCD_READER } from '../support/vpcd-card.js';
import { SWEEP_ALL, SWEEP_SEED, spreadPoints, sweepPoints } from './support/sweep-plan.js';
import { caAgreesWithCards, failedManagementAuthentications, openSweepStation, pcscdPid, SWEEP_PIN, type InsertedCard, type SweepStation } from './support/sweep-station.js';

/** The unexpected status words of issue 13. */
const STATUS_WORDS = [0x6f00, 0x6581, 0x6a84, 0x6982] as const;
const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');

let dir: string;
let sweep: SweepStation;
const counts: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-card-faults-'));
  sweep = await openSweepStation(join(dir, 'station'));
});

afterAll(async () => {
  await sweep?.close();
  await run('bash', [join(ROOT, 'scripts', 'ensure-pcscd.sh')]);
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`\ncard faults (${SWEEP_ALL ? 'every pair' : `sample, SWEEP_SEED=${SWEEP_SEED}`}):\n${counts.map((c) => `  ${c}\n`).join('')}`);
});

/** A reference production on a new card: its card-side trace. */
async function referenceTrace(personality: PersonalityName, label: string): Promise<ApduTraceEntry[]> {
  const card = await sweep.insert(join(dir, `${label}-reference.json`), personality);
  try {
    const out = await sweep.station.production.produce({ personId: sweep.addPerson(label), readerName: VPCD_READER, pin: SWEEP_PIN });
    expect(out.job.status, out.job.error?.message).toBe('done');
    return card.trace;
  } finally {
    await card.remove();
  }
}

/** What any faulted job must come to once retried on its own card: done, verified, nothing blocked. */
async function expectFinishedAndUnblocked(jobId: string, status: string, card: InsertedCard, runs: InsertedCard[], where: string): Promise<void> {
  const out = status === 'done' ? undefined : await sweep.station.production.retry(jobId, VPCD_READER, SWEEP_PIN);
  if (out) expect(out.job.status, `${where}: retry ${out.job.error?.message}`).toBe('done');
  // The job's runs, not the check after it (station verify on a card without 9B metadata tries the factory key once by design).
  const refused = runs.reduce((n, r) => n + failedManagementAuthentications(r.trace), 0);
  const verified = await sweep.verify();
  expect(verified.failed, where).toEqual([]);
  const state = card.card.snapshot();
  expect(state.pin.remaining, `${where}: PIN tries`).toBe(state.pin.total);
  expect(state.puk.remaining, `${where}: PUK tries`).toBe(state.puk.total);
  expect(refused, `${where}: refused 9B authentications`).toBeLessThanOrEqual(1);
  const job = sweep.station.store.jobs.get(jobId)!;
  expect(caAgreesWithCards(sweep.station, new Map([[job.cardId, card.card]])), where).toEqual([]);
}

describe('an unexpected status word at each command kind', () => {
  test.each(['yubikey-like', 'strict-800-73'] as PersonalityName[])('on a %s card: a typed error, the job resumable, nothing blocked', async (personality) => {
    const trace = await referenceTrace(personality, `sw-${personality}`);
    // The first successful use of each INS: where an unexpected answer changes the most.
    const firstUse = new Map<number, number>();
    for (const e of trace) if (!firstUse.has(e.ins) && (e.sw === 0x9000 || e.sw >> 8 === 0x61)) firstUse.set(e.ins, e.index);
    const pairs = [...firstUse].flatMap(([ins, index]) => STATUS_WORDS.map((sw) => ({ ins, index, sw })));
    const chosen = sweepPoints(pairs.length, 8, `sw-${personality}`).map((k) => pairs[k - 1]!);
    const outcomes: Record<string, number> = {};
    for (const { ins, index, sw } of chosen) {
      const where = `${personality}: ${hex4(sw)} at APDU ${index} (INS ${ins.toString(16).toUpperCase()})`;
      const statePath = join(dir, `sw-${personality}-${index}-${hex4(sw)}.json`);
      const card = await sweep.insert(statePath, personality, { statusAtApdu: { index, sw } });
      try {
        const out = await sweep.station.production.produce({ personId: sweep.addPerson(where), readerName: VPCD_READER, pin: SWEEP_PIN });
        if (out.job.status === 'failed') {
          const error = out.job.error!;
          expect(ERROR_CODES, `${where}: ${error.code}`).toContain(error.code);
          expect(error.code, `${where}: ${error.message}`).not.toBe('INTERNAL');
          expect(error.message, where).toMatch(/^[A-Z].*\.$/);
        } else {
          expect(out.job.status, where).toBe('done');
        }
        outcomes[out.job.status === 'done' ? 'done' : out.job.error!.code] = (outcomes[out.job.status === 'done' ? 'done' : out.job.error!.code] ?? 0) + 1;
        await expectFinishedAndUnblocked(out.job.id, out.job.status, card, [card], where);
      } finally {
        await card.remove();
      }
    }
    counts.push(`${personality} status words: ${chosen.length} of ${pairs.length} (SW × INS) pairs; first runs ended ${Object.entries(outcomes).map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  });
});

/** The running pcscd's process id. @throws Error when pcscd is not running */
function runningPcscd(): number {
  const pid = pcscdPid();
  if (pid === undefined) throw new Error('pcscd is not running');
  return pid;
}

describe('the reader gone at a spread of APDU indices', () => {
  test('pcscd stops while the card answers APDU i: a typed error; once it is back the job completes on retry', async () => {
    const personality: PersonalityName = 'yubikey-like';
    const trace = await referenceTrace(personality, 'gone');
    const points = spreadPoints(trace.length - 1, 10, 3, 'reader-gone');
    const codes: Record<string, number> = {};
    for (const i of points) {
      const where = `pcscd stopped at APDU ${i}/${trace.length}`;
      const statePath = join(dir, `gone-${i}.json`);
      let card: InsertedCard | undefined = await sweep.insert(statePath, personality, {
        // Synchronously, before the card's answer to APDU i goes out: pcscd is gone while the station waits for it.
        onApdu: (e) => {
          if (e.index === i) execFileSync('kill', [String(runningPcscd())]);
        },
      });
      let out: Awaited<ReturnType<typeof sweep.station.production.produce>>;
      try {
        out = await sweep.station.production.produce({ personId: sweep.addPerson(where), readerName: VPCD_READER, pin: SWEEP_PIN });
        expect(out.job.status, where).toBe('failed');
        // TRANSPORT: pcscd went away while the station was connecting (its sentence says to check pcscd).
        expect(['READER_GONE', 'PCSC_UNAVAILABLE', 'CARD_REMOVED', 'NO_READER', 'TRANSPORT'], `${where}: ${out.job.error?.code} ${out.job.error?.message}`).toContain(out.job.error?.code);
        codes[out.job.error!.code] = (codes[out.job.error!.code] ?? 0) + 1;
      } finally {
        // pcscd comes back whatever happened, so one failed point does not take the readers from the next tests.
        await card.link.detach();
        card = undefined;
        const started = await run('bash', [join(ROOT, 'scripts', 'ensure-pcscd.sh')]);
        expect(started.code, started.stderr).toBe(0);
      }
      const again = await sweep.insert(statePath, personality);
      try {
        expect(sweep.station.store.jobs.get(out.job.id)!.status, where).toBe('failed');
        await expectFinishedAndUnblocked(out.job.id, 'failed', again, [again], where);
      } finally {
        await again.remove();
      }
    }
    counts.push(`reader gone: ${points.length} points of ${trace.length - 1}; errors ${Object.entries(codes).map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  });
});

describe('a different card on retry', () => {
  test.each(['yubikey-like', 'strict-800-73'] as PersonalityName[])('on %s cards: refused naming both cards; the job completes on its own card', async (personality) => {
    const trace = await referenceTrace(personality, `other-${personality}`);
    // Pulled once keys are being generated: the job's card has its serial and CHUID recorded.
    const pullAt = trace.findIndex((e) => e.ins === 0x47);
    expect(pullAt).toBeGreaterThan(0);
    const statePath = join(dir, `own-${personality}.json`);
    const own = await sweep.insert(statePath, personality, { pullAfterInsertedApdus: pullAt });
    const failed = await sweep.station.production.produce({ personId: sweep.addPerson(`own ${personality}`), readerName: VPCD_READER, pin: SWEEP_PIN });
    await own.link.closed;
    await own.remove();
    expect(failed.job.status).toBe('failed');
    const record = sweep.station.store.cards.get(failed.job.cardId)!;

    // Another card: the reference card, produced for someone else.
    const otherPath = join(dir, `other-${personality}-reference.json`);
    const other = await sweep.insert(otherPath, personality);
    const before = other.card.snapshot();
    let refusedMessage: string;
    try {
      const refused = await sweep.station.production.retry(failed.job.id, VPCD_READER, SWEEP_PIN);
      expect(refused.job.status).toBe('failed');
      expect(refused.job.error?.code).toBe('CARD_MISMATCH');
      refusedMessage = refused.job.error!.message;
      if (personality === 'yubikey-like') {
        expect(refusedMessage).toContain(`serial ${other.card.serial}`);
        expect(refusedMessage).toContain(`serial ${record.chipSerial}`);
      } else {
        const otherGuid = String(sweep.station.store.db.prepare("SELECT guid FROM cards WHERE id != ? AND status = 'produced' ORDER BY rowid DESC LIMIT 1").pluck().get(record.id));
        expect(refusedMessage).toContain(`GUID ${guidToUuid(otherGuid)}`);
        expect(refusedMessage).toContain(`GUID ${guidToUuid(record.guid)}`);
      }
      expect(other.card.snapshot(), 'the other card is left as it was').toEqual(before);
      expect(sweep.station.store.jobs.get(failed.job.id)!.status).toBe('failed');
    } finally {
      await other.remove();
    }
    const back = await sweep.insert(statePath, personality);
    try {
      await expectFinishedAndUnblocked(failed.job.id, 'failed', back, [own, back], `${personality} own card back`);
    } finally {
      await back.remove();
    }
    counts.push(`different card (${personality}): refused with "${refusedMessage}"`);
  });
});
