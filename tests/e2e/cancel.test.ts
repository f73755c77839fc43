/**
 * A failed job (card pulled after its first certificates were issued) is
 * cancelled in the browser with a reason: the screen and the queue show it
 * cancelled with that reason, and no certificate the job caused to be issued
 * is still valid. The cancel is done by keyboard alone (issue 12 "Keyboard": the
 * production screen's Cancel): Tab to "Cancel the job", Enter, the reason is
 * typed where the focus lands, Enter confirms.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startE2eStation, type E2eStation } from '../support/e2e-harness.js';
import { insertPivCard, removePivCard, VPCD_READER, closeReaders } from '../support/e2e-cards.js';
import { stationJson, type CardProcess } from '../support/station-cli.js';
import { waitForCardAbsent } from '../support/e2e-cards.js';
import { certificatesOfJob, seedPersons } from '../support/e2e-store.js';
import {
  chooseProfile,
  focusedElement,
  chooseReader,
  goToIssue,
  openJobFromQueue,
  produce,
  queueRow,
  searchAndSelectPerson,
  tabUntil,
  typePin,
  waitForOutcome,
  waitForQueueStatus,
  waitForReaderKind,
  PRODUCTION_TIMEOUT_MS,
} from '../support/e2e-ui.js';

const PIN = '975310';
/**
 * Pulled after this many APDUs (from power-on; our serial check and the
 * station's recognition probe take ~5): after the certificates were issued,
 * before the PIN, the lock and the verification (~75 APDUs in all).
 */
const PULL_AFTER_APDUS = 40;
const REASON = 'Card cracked at the desk, replaced';

let station: E2eStation;
let cardDir: string;
let card: CardProcess | undefined;

beforeAll(async () => {
  cardDir = mkdtempSync(join(tmpdir(), 'piv-station-e2e-card-'));
  station = await startE2eStation('cancel', {
    directProduction: ['contractor'],
    seed: (dir) => seedPersons(dir, [{ givenName: 'Ada', surname: 'Lovelace', email: 'ada.lovelace@example.test', employeeId: 'C-1815', affiliation: 'contractor' }]).then(() => undefined),
  });
});

afterAll(async () => {
  if (card) await removePivCard(card).catch(() => undefined);
  await station?.close();
  await closeReaders();
  rmSync(cardDir, { recursive: true, force: true });
});

describe('cancel a failed job', () => {
  test('cancelled with a reason on screen and in the queue; none of its certificates stays valid', async () => {
    const { page } = station;
    await station.open();

    card = await insertPivCard(join(cardDir, 'card.json'), {
      removeAfter: PULL_AFTER_APDUS,
      recognized: () => waitForReaderKind(page, VPCD_READER, /PIV card/),
    });
    await goToIssue(page);
    await searchAndSelectPerson(page, 'Lovel', 'Lovelace');
    await chooseProfile(page, 'contractor');
    await chooseReader(page, VPCD_READER);
    await typePin(page, PIN);
    const jobId = await produce(page);
    const failed = await waitForOutcome(page, PRODUCTION_TIMEOUT_MS);
    expect(failed.kind, station.host.output()).toBe('failed');
    await card.exited;
    await waitForCardAbsent(VPCD_READER);

    // The test means something only if the job had certificates issued before it failed.
    const before = certificatesOfJob(station.dataDir, jobId);
    const failedAt = (await page.getByTestId('failure-panel').textContent()) ?? '';
    expect(before.length, `certificates issued before the pull (${failedAt})`).toBeGreaterThan(0);

    // The queue lists it failed; it is cancelled from its production screen.
    await queueRow(page, jobId, 'failed');
    await waitForQueueStatus(page, jobId, 'failed');
    await openJobFromQueue(page, jobId);
    await page.getByTestId('failure-panel').waitFor({ state: 'visible' });
    await station.screenshot('01-failed-from-queue');
    // By keyboard alone: Tab to Cancel, Enter opens the question with the focus in the reason, Enter confirms.
    await tabUntil(page, 'Cancel the job', async () => (await focusedElement(page)) === 'cancel-button');
    await page.keyboard.press('Enter');
    await page.getByTestId('cancel-reason').waitFor({ state: 'visible' });
    expect(await focusedElement(page)).toBe('cancel-reason');
    await page.keyboard.type(REASON);
    await page.keyboard.press('Enter');
    const cancelled = page.getByTestId('cancelled-panel');
    await cancelled.waitFor({ state: 'visible' });
    const cancelledText = (await cancelled.textContent()) ?? '';
    await station.screenshot('02-cancelled');
    expect(cancelledText).toContain(REASON);

    const row = await queueRow(page, jobId);
    await waitForQueueStatus(page, jobId, 'cancelled');
    expect((await row.textContent())?.toLowerCase()).toContain('cancelled');
    await station.screenshot('03-queue');

    // The station's own record (read by the CLI on the same data dir) agrees.
    const shown = await stationJson<{ job: { status: string; cancelReason: string } }>(station.dataDir, ['job', 'show', jobId]);
    expect(shown.job).toMatchObject({ status: 'cancelled', cancelReason: REASON });

    // Every certificate the job caused to be issued is revoked, none valid.
    const after = certificatesOfJob(station.dataDir, jobId);
    expect(after.map((c) => c.serial).sort()).toEqual(before.map((c) => c.serial).sort());
    expect(after.filter((c) => c.status === 'valid')).toEqual([]);
    for (const c of after) expect(c.revokedAt, `certificate ${c.serial} (${c.slot})`).not.toBeNull();
  });
});
