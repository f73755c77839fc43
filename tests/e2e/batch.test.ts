/**
 * Mass production on the screens: two visitor requests (visitor cards need no
 * approval) and a batch of one of them on the station's in-process training
 * reader, which holds one blank card (no vpcd reader is used, so other tests
 * on the shared readers do not matter). The batch panel shows the item go
 * from waiting to done, the counts and the rate; the request ends produced;
 * the request left out stays approved. Then a batch from a CSV file: the
 * core names the bad lines of a bad file and nothing starts; a clean file
 * lists its request and starts a batch of it, waiting for a blank card.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TRAINING_READER_NAME } from '../../native/virtual-card/training-reader.js';
import { startE2eStation, type E2eStation } from '../support/e2e-harness.js';
import { until, PRODUCTION_TIMEOUT_MS, UI_TIMEOUT_MS } from '../support/e2e-ui.js';
import { registerPersonForRequest, requestForChosenPerson, requestState } from '../support/e2e-session.js';

let station: E2eStation;

beforeAll(async () => {
  station = await startE2eStation('batch');
});

afterAll(async () => {
  await station?.close();
});

describe('mass production in the browser', () => {
  test('a batch on the training reader: progress, item states, the request produced', async () => {
    const { page } = station;
    await station.open();
    await registerPersonForRequest(page, { givenName: 'Annie', surname: 'Easley', email: 'annie.easley@example.test', employeeId: 'V-1933', affiliation: 'visitor' });
    const first = await requestForChosenPerson(page, 'visitor');
    await registerPersonForRequest(page, { givenName: 'Christine', surname: 'Darden', email: 'christine.darden@example.test', employeeId: 'V-1942', affiliation: 'visitor' });
    const second = await requestForChosenPerson(page, 'visitor');
    expect([first.state, second.state]).toEqual(['approved', 'approved']);

    await page.getByTestId('nav-batches').click();
    await page.getByTestId('batches-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const choice = page.locator(`[data-testid="batch-request"][data-request-id="${first.requestId}"]`);
    await choice.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await page.locator(`[data-testid="batch-request"][data-request-id="${second.requestId}"]`).count()).toBe(1);
    await choice.check();
    await page.getByTestId('batch-readers-chosen').check();
    await page.locator(`[data-testid="batch-reader"][data-reader="${TRAINING_READER_NAME}"]`).check();
    expect(await page.getByTestId('batch-start').textContent()).toBe('Start the batch (1 card)');
    await station.screenshot('01-new-batch');
    await page.getByTestId('batch-start').click();

    const panel = page.getByTestId('batch-panel').first();
    await panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const item = panel.locator(`[data-testid="batch-item"][data-request-id="${first.requestId}"]`);
    await item.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const seen = new Set<string>();
    const final = await until(
      'the batch item to finish',
      async () => {
        const state = (await item.getAttribute('data-state')) ?? '';
        seen.add(state);
        return state === 'done' || state === 'failed' || state === 'cancelled' ? state : undefined;
      },
      PRODUCTION_TIMEOUT_MS,
    );
    await station.screenshot('02-batch-done');
    expect(final, `${await panel.textContent()}\n${station.host.output()}`).toBe('done');
    expect(await panel.getByTestId('batch-done').textContent()).toBe('1 done');
    expect(await panel.getByTestId('batch-failed').textContent()).toBe('0 failed');
    expect(await panel.getByTestId('batch-remaining').textContent()).toBe('0 remaining');
    expect(await panel.getByTestId('batch-rate').textContent()).toBe('cards per hour shown once 2 cards are done');
    expect(await item.textContent()).toContain(TRAINING_READER_NAME);
    const bar = panel.getByTestId('batch-progress-bar');
    expect([await bar.getAttribute('aria-valuenow'), await bar.getAttribute('aria-valuemax')]).toEqual(['1', '1']);

    // The request followed its batch job; the one left out is still waiting for production.
    await expect.poll(() => requestState(page, first.requestId), { timeout: UI_TIMEOUT_MS }).toBe('produced');
    expect(await requestState(page, second.requestId)).toBe('approved');

    // A CSV file, read and checked by the core through the bridge.
    await page.getByTestId('nav-batches').click();
    await page.getByTestId('batches-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await page.getByTestId('batch-source-csv').check();
    const file = page.getByTestId('batch-csv-file');
    await file.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`request\n${first.requestId}\nnot an id\n`) });
    const problems = page.getByTestId('batch-csv-problem');
    await problems.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await problems.allTextContents()).toEqual([
      `Line 2: Request ${first.number} (Annie Easley) is produced; only approved requests can be produced in a batch.`,
      'Line 3 of the batch file has no valid request number.',
    ]);
    expect(await page.getByTestId('batch-start').isDisabled()).toBe(true);
    await station.screenshot('03-csv-bad-lines');
    await file.setInputFiles({ name: 'week.csv', mimeType: 'text/csv', buffer: Buffer.from(`name,request\nChristine Darden,${second.requestId}\n`) });
    const listed = page.locator(`[data-testid="batch-csv-request"][data-request-id="${second.requestId}"]`);
    await listed.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await listed.textContent()).toBe(`Line 2: ${second.number} · Christine Darden`);
    expect(await page.getByTestId('batch-start').textContent()).toBe('Start the batch (1 card)');
    // Only the training reader: a blank card another test puts in a shared vpcd reader must not be taken.
    await page.getByTestId('batch-readers-chosen').check();
    await page.locator(`[data-testid="batch-reader"][data-reader="${TRAINING_READER_NAME}"]`).check();
    await page.getByTestId('batch-start').click();
    // The new batch (listed first) waits for a blank card: the training reader holds the card just produced.
    const csvItem = page.getByTestId('batch-panel').first().locator(`[data-testid="batch-item"][data-request-id="${second.requestId}"]`);
    await csvItem.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await csvItem.getAttribute('data-state')).toBe('queued');
    expect(await page.getByTestId('batch-panel').first().textContent()).toContain(`Readers: ${TRAINING_READER_NAME}`);
    // The file is spent: the form is ready for the next one.
    expect(await page.getByTestId('batch-csv-file').inputValue()).toBe('');
    await station.screenshot('04-csv-batch');
  });
});
