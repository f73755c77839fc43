/**
 * The card is pulled at several different steps of a production through the
 * real pcscd: each time the job is left failed at that step; the card is put
 * back (the same card: its state file) and `station job retry` completes it;
 * no certificate stays valid for a key that is not on the card.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, waitForCardAbsent, waitForCardPresent, VPCD_READER, VPCD_PORT } from '../support/vpcd-card.js';
import { attachCardProcess, station, stationJson } from '../support/station-cli.js';
import { openDatabase } from '../../native/sqlite.js';
import { openStore } from '../../electron/core/store/store.js';

const ATR = '3b8880015049564150504c541f';
const PIN = '246810';
const VPCD = `127.0.0.1:${VPCD_PORT}`;

interface ProduceJson {
  jobId: string;
  status: string;
  failedStep?: string;
  error?: { code: string; message: string };
  card: { id: string };
}

let dir: string;
let dataDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-pull-'));
  dataDir = join(dir, 'station');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function certificatesOf(cardId: string) {
  const db = openDatabase(join(dataDir, 'station.sqlite'));
  try {
    return openStore(db).certificates.listByCard(cardId);
  } finally {
    db.close();
  }
}

describe('card pulled during production, through pcscd', () => {
  test('each pull leaves the job failed at its step, and job retry completes the card', async () => {
    const failedSteps: string[] = [];
    // APDU counts (from power-on) at which the card is pulled: early, key generation/certificates, objects and secrets.
    for (const [i, pullAfter] of [4, 12, 24, 33].entries()) {
      const person = await stationJson<{ id: string }>(dataDir, ['person', 'add', '--given-name', 'Grace', '--surname', `Hopper${i}`]);
      const statePath = join(dir, `card-${i}.json`);

      const first = await attachCardProcess(statePath, ['--vpcd', VPCD, '--remove-after', String(pullAfter)]);
      await waitForCardPresent(VPCD_READER, ATR);
      const failed = await station(dataDir, ['produce', '--person', person.id, '--reader', VPCD_READER, '--pin', PIN, '--json']);
      expect(failed.code, failed.stderr).toBe(1);
      const failedJob = JSON.parse(failed.stdout) as ProduceJson;
      expect(failedJob.status).toBe('failed');
      expect(failedJob.error?.code).toBe('CARD_REMOVED');
      expect(failedJob.error?.message).toMatch(/^The card was removed while /);
      failedSteps.push(failedJob.failedStep!);
      await first.exited;
      await waitForCardAbsent(VPCD_READER);

      const shown = await stationJson<{ job: { status: string; failedStep: string } }>(dataDir, ['job', 'show', failedJob.jobId]);
      expect(shown.job).toMatchObject({ status: 'failed', failedStep: failedJob.failedStep });

      // The officer puts the same card back and retries.
      const again = await attachCardProcess(statePath, ['--vpcd', VPCD]);
      try {
        await waitForCardPresent(VPCD_READER, ATR);
        const retried = await stationJson<ProduceJson>(dataDir, ['job', 'retry', failedJob.jobId, '--reader', VPCD_READER, '--pin', PIN]);
        expect(retried.status, `retry after a pull at APDU ${pullAfter} (${failedJob.failedStep}): ${retried.error?.message}`).toBe('done');

        // Exactly the four certificates on the card are valid; anything else this job caused is revoked.
        const certs = certificatesOf(retried.card.id);
        const valid = certs.filter((c) => c.status === 'valid');
        expect(valid.map((c) => c.slot).sort()).toEqual(['9A', '9C', '9D', '9E']);
        const listed = await run('pkcs15-tool', ['--reader', VPCD_READER, '--list-certificates']);
        const onCard = [...listed.stdout.matchAll(/Encoded serial\s*:\s*02 [0-9A-F]{2} ([0-9A-F]+)/g)].map((m) => m[1]).sort();
        expect(onCard).toEqual(valid.map((c) => c.serial).sort());
      } finally {
        await again.stop();
        await waitForCardAbsent(VPCD_READER);
      }
    }
    expect(new Set(failedSteps).size, `pulls landed in ${failedSteps.join(', ')}`).toBeGreaterThanOrEqual(3);
  });
});
