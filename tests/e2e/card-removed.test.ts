/**
 * The card is pulled in the middle of a production started in the browser:
 * the failure panel names the failed step and says "The card was removed
 * while …"; the officer puts the same card back, presses Retry (typing the
 * PIN again when asked) and the job completes with every step done.
 * By keyboard alone (issue 12 "Keyboard": Tab and Enter): the reader is chosen
 * in the readers panel; the failure takes the focus, Retry is reached with Tab
 * and pressed with Enter, and the focus follows the job to its result.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startE2eStation, type E2eStation } from '../support/e2e-harness.js';
import { insertPivCard, removePivCard, VPCD_READER, closeReaders } from '../support/e2e-cards.js';
import { stationJson, type CardProcess } from '../support/station-cli.js';
import { waitForCardAbsent } from '../support/e2e-cards.js';
import { seedPersons } from '../support/e2e-store.js';
import {
  chooseProfile,
  focusedElement,
  goToIssue,
  produce,
  tabUntil,
  until,
  searchAndSelectPerson,
  stepStates,
  typePin,
  waitForOutcome,
  waitForReaderKind,
  PRODUCTION_TIMEOUT_MS,
} from '../support/e2e-ui.js';

const PIN = '135790';
/**
 * APDUs (from power-on; our serial check and the station's recognition probe
 * included) after which
 * the card is pulled: past CHUID and the first keys, well before the end of a
 * production (~90 APDUs), so the job fails in the middle.
 */
const PULL_AFTER_APDUS = 30;

let station: E2eStation;
let cardDir: string;
const cards: CardProcess[] = [];

beforeAll(async () => {
  cardDir = mkdtempSync(join(tmpdir(), 'piv-station-e2e-card-'));
  station = await startE2eStation('card-removed', {
    directProduction: ['employee'],
    seed: (dir) =>
      seedPersons(dir, [
        { givenName: 'Grace', surname: 'Hopper', email: 'grace.hopper@example.test', employeeId: 'E-1906' },
        { givenName: 'Alan', surname: 'Turing', email: 'alan.turing@example.test', employeeId: 'E-1912' },
      ]).then(() => undefined),
  });
});

afterAll(async () => {
  for (const c of cards) await removePivCard(c).catch(() => undefined);
  await station?.close();
  await closeReaders();
  rmSync(cardDir, { recursive: true, force: true });
});

describe('card removed during production', () => {
  test('the failure names the step; the same card reinserted and Retry completes the job', async () => {
    const { page } = station;
    await station.open();
    const statePath = join(cardDir, 'card.json');

    const pulled = await insertPivCard(statePath, {
      removeAfter: PULL_AFTER_APDUS,
      recognized: () => waitForReaderKind(page, VPCD_READER, /PIV card/),
    });
    cards.push(pulled);

    await goToIssue(page);
    const results = await searchAndSelectPerson(page, 'Hopp', 'Hopper');
    // Search as you type: the other seeded person does not match.
    expect(results.join('\n')).not.toContain('Turing');
    await chooseProfile(page, 'employee');
    // The reader, by keyboard in the readers panel: another reader first, then the card's; the form follows each choice.
    const select = page.getByTestId('reader-select');
    const useButton = (name: string) => page.locator(`[data-testid="reader-row"][data-reader="${name}"] [data-testid="reader-use"]`);
    const focusedReaderButton = () =>
      page.evaluate(
        "(() => { const a = document.activeElement; return a && a.getAttribute('data-testid') === 'reader-use' ? a.closest('[data-reader]').getAttribute('data-reader') : null; })()",
      ) as Promise<string | null>;
    const readerNames = await page.getByTestId('reader-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-reader') ?? ''));
    for (const name of [...readerNames.filter((n) => n !== VPCD_READER).slice(0, 1), VPCD_READER]) {
      await select.focus();
      await tabUntil(page, `the button choosing ${name}`, async () => (await focusedReaderButton()) === name, { backwards: true });
      await page.keyboard.press('Enter');
      await until(`${name} chosen in the form`, async () => ((await select.inputValue()) === name ? true : undefined));
      expect(await useButton(name).getAttribute('aria-pressed')).toBe('true');
    }
    await typePin(page, PIN);
    const jobId = await produce(page);

    const failed = await waitForOutcome(page, PRODUCTION_TIMEOUT_MS);
    await station.screenshot('01-failed');
    expect(failed.kind, station.host.output()).toBe('failed');
    expect(failed.kind === 'failed' && failed.reason).toMatch(/^The card was removed while .+\.$/);

    // The panel names the step the station recorded as failed.
    const shown = await stationJson<{ job: { status: string; failedStep: string }; steps: { name: string; label: string }[] }>(station.dataDir, ['job', 'show', jobId]);
    expect(shown.job.status).toBe('failed');
    const failedLabel = shown.steps.find((s) => s.name === shown.job.failedStep)!.label;
    expect(await page.getByTestId('failure-panel').textContent()).toContain(failedLabel);
    expect(await page.getByTestId('failure-panel').getAttribute('role')).toBe('alert');
    const rows = await stepStates(page);
    expect(rows.find((r) => r.step === shown.job.failedStep)?.state).toBe('failed');
    expect(rows.filter((r) => r.state === 'done').length).toBeGreaterThan(0);

    // The card process has pulled the card; the officer puts the same card back.
    await pulled.exited;
    await waitForCardAbsent(VPCD_READER);
    const again = await insertPivCard(statePath, { recognized: () => waitForReaderKind(page, VPCD_READER, /PIV card|Locked by this station/) });
    cards.push(again);
    await station.screenshot('02-card-back');

    // By keyboard: the failure's heading has the focus; Tab reaches the PIN (a typed PIN is never
    // stored: the retry asks for it again) and Retry; Enter retries; the focus follows the job.
    await until('the focus on the failure', async () => ((await focusedElement(page)) === 'failure-title' ? true : undefined));
    await page.keyboard.press('Tab');
    expect(await focusedElement(page)).toBe('retry-pin-input');
    await page.keyboard.type(PIN);
    await page.keyboard.press('Tab');
    expect(await focusedElement(page)).toBe('retry-button');
    await page.keyboard.press('Enter');
    await until('the retry to start', async () => ((await page.getByTestId('failure-panel').isVisible()) ? undefined : true));
    const outcome = await waitForOutcome(page, PRODUCTION_TIMEOUT_MS);
    await station.screenshot('03-retried');
    expect(outcome, station.host.output()).toEqual({ kind: 'done' });
    await until('the focus on the result', async () => ((await focusedElement(page)) === 'result-title' ? true : undefined));
    const after = await stepStates(page);
    expect(after.length).toBe(rows.length);
    expect(after.filter((s) => s.state !== 'done')).toEqual([]);

    const done = await stationJson<{ job: { status: string } }>(station.dataDir, ['job', 'show', jobId]);
    expect(done.job.status).toBe('done');
  });
});
