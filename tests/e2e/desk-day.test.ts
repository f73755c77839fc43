/**
 * A day at the issuance desk (issue 12, observations 2, 3 and 4), in Chromium
 * against the browser host, cards on the real pcscd/vpcd reader:
 * - approving with the facts in view: the pending request shows who asked,
 *   when, through which channel, the person's identifiers and photo; Approve
 *   is confirmed in words and the approver stays on Approvals with the count;
 * - notifications on a station that does not deliver say so and what to set,
 *   instead of "Pending, 0 attempts, next attempt in the past";
 * - a batch on ONE reader: it says what to do ("Insert a blank card …",
 *   "Remove card N … and insert a blank card"), pauses and resumes, a waiting
 *   card is cancelled, its requests are not offered for a new batch, the rate
 *   is said plainly until two cards are done, and a produced card's PUK and
 *   PIN are shown once on the batch screen, or its PIN goes on a PIN mailer;
 *   the batch and its requests are named by their short numbers;
 * - the menu counts pending notifications as the Notifications screen does.
 * A first-run station: the administrator adds a registration officer, an
 * approver and a production officer (separation of duties as the agency
 * default).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startE2eStation, type E2eStation } from '../support/e2e-harness.js';
import { closeReaders, insertPivCard, removePivCard, VPCD_READER, type PivCardProcess } from '../support/e2e-cards.js';
import { batchItem, batchItemState, batchPrompts, cancelBatchItem, startBatchOnReader, whileBatchPaused, PRODUCTION_TIMEOUT_MS, UI_TIMEOUT_MS } from '../support/e2e-ui.js';
import { addOfficer, E2E_ADMIN, firstRunAdmin, login, logout, pendingRow, registerPersonForRequest, requestForChosenPerson, type E2eOfficer } from '../support/e2e-session.js';

const REG: E2eOfficer = { username: 'rita', displayName: 'Rita Registrar', password: 'rita e2e passphrase', roles: ['registration'] };
const APPROVER: E2eOfficer = { username: 'alan', displayName: 'Alan Approver', password: 'alan e2e passphrase', roles: ['approver'] };
const PRODUCER: E2eOfficer = { username: 'paula', displayName: 'Paula Producer', password: 'paula e2e passphrase', roles: ['production'] };

let station: E2eStation;
let cardDir: string;
const cards: PivCardProcess[] = [];
/** Request ids by cardholder, made in the first test. */
const requests: Record<string, string> = {};

beforeAll(async () => {
  cardDir = mkdtempSync(join(tmpdir(), 'piv-station-e2e-desk-'));
  station = await startE2eStation('desk-day', { firstRun: true });
});

afterAll(async () => {
  for (const card of cards) await removePivCard(card).catch(() => undefined);
  await station?.close();
  await closeReaders();
  rmSync(cardDir, { recursive: true, force: true });
});

async function switchTo(page: Page, officer: E2eOfficer): Promise<void> {
  await logout(page);
  await login(page, officer);
}

describe('a day at the desk', () => {
  test('approving in view of the facts: requested by, when, channel, identifiers, photo; confirmed; the approver stays with the count', async () => {
    const { page } = station;
    await page.goto(station.host.url, { waitUntil: 'domcontentloaded' });
    await firstRunAdmin(page);
    for (const o of [REG, APPROVER, PRODUCER]) await addOfficer(page, o);
    await switchTo(page, REG);

    await registerPersonForRequest(page, { givenName: 'Ada', surname: 'Lovelace', email: 'ada.lovelace@example.test', employeeId: 'E-1815', affiliation: 'employee' });
    const ada = await requestForChosenPerson(page, 'employee');
    expect(ada.state).toBe('requested');
    requests.ada = ada.requestId;
    // Visitor cards need no approval: they wait for production at once.
    for (const [givenName, surname, id] of [
      ['Annie', 'Easley', 'V-1933'],
      ['Christine', 'Darden', 'V-1942'],
      ['Katherine', 'Johnson', 'V-1918'],
    ] as const) {
      await registerPersonForRequest(page, { givenName, surname, email: `${givenName.toLowerCase()}@example.test`, employeeId: id, affiliation: 'visitor' });
      const r = await requestForChosenPerson(page, 'visitor');
      expect(r.state).toBe('approved');
      requests[givenName] = r.requestId;
    }

    await switchTo(page, APPROVER);
    const row = await pendingRow(page, ada.requestId);
    expect(await page.getByTestId('approvals-pending-count').textContent()).toBe('1 request waits for a decision');
    expect(await row.getByTestId('approval-channel').textContent()).toBe(`At the desk, by ${REG.username}`);
    expect(await row.getByTestId('approval-person-employee-id').textContent()).toBe('E-1815');
    expect(await row.getByTestId('approval-person-email').textContent()).toBe('ada.lovelace@example.test');
    expect(await row.getByTestId('approval-person-affiliation').textContent()).toBe('Employee');
    // Requested-at in the station's locale, not an ISO timestamp.
    const at = (await row.getByTestId('approval-requested-at').textContent()) ?? '';
    expect(at).not.toBe('');
    expect(at).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    // The photo, or the plain box saying there is none: the approver compares face and identity.
    expect(await row.locator('[data-testid="person-photo"], [data-testid="person-photo-missing"]').count()).toBe(1);
    await station.screenshot('01-approval-pending');

    await row.getByTestId('approve-button').click();
    const notice = page.getByTestId('approval-notice');
    await notice.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await notice.textContent()).toMatch(/^Approved: card \d{8} for Ada Lovelace\.$/);
    // Still on Approvals, the count follows, the row is gone.
    expect(await page.getByTestId('approvals-screen').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('approvals-pending-count').textContent(), { timeout: UI_TIMEOUT_MS }).toBe('No request waits for a decision.');
    expect(await page.locator(`[data-testid="request-row"][data-request-id="${ada.requestId}"]`).count()).toBe(0);
    await station.screenshot('02-approved');
  });

  test('notifications on a station that does not deliver say so and what to configure', async () => {
    const { page } = station;
    await switchTo(page, E2E_ADMIN);
    await page.getByTestId('nav-outbox').click();
    await page.getByTestId('outbox-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const rows = page.getByTestId('outbox-row');
    await rows.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const setup = page.getByTestId('outbox-not-configured');
    expect(await setup.textContent()).toMatch(/^Delivery to the identity registration system \(IDPRS\) is not configured: set "notifications": \{ "url": … \} \(the IDPRS endpoint\) in the station's config\.json, then set the secret shared with the IDPRS with `station outbox secret set`/);
    expect(await setup.getAttribute('data-missing')).toBe('url secret');
    // No pending event claims a next attempt the station will never make.
    expect(new Set(await page.getByTestId('outbox-when').allTextContents())).toEqual(new Set(['Waits until delivery is configured']));
    // The menu counts the pending notifications as the screen does (the core's station.counts, observation 8).
    await expect
      .poll(async () => [await page.getByTestId('nav-count-outbox').textContent(), (await page.getByTestId('outbox-count-pending').textContent())?.replace(/[()]/g, '')], { timeout: UI_TIMEOUT_MS })
      .toSatisfy(([menu, tab]) => menu !== null && menu === tab && Number(menu) > 0);
    await station.screenshot('03-notifications-not-configured');
  });

  test('a batch on one reader tells the officer what to do, pauses, cancels a waiting card and shows the secrets once', async () => {
    const { page } = station;
    await switchTo(page, PRODUCER);
    const ids = [requests.Annie!, requests.Christine!, requests.Katherine!];
    const panel = await startBatchOnReader(page, ids, VPCD_READER);
    // Requests now waiting in the batch are no longer offered for a new one (Ada's employee card still is).
    await expect.poll(() => page.getByTestId('batch-request').evaluateAll((els) => els.map((e) => e.getAttribute('data-request-id'))), { timeout: UI_TIMEOUT_MS }).toEqual([requests.ada]);
    await expect.poll(() => batchPrompts(page), { timeout: UI_TIMEOUT_MS }).toEqual([`Insert a blank card in ${VPCD_READER}.`]);
    expect(await panel.getByTestId('batch-rate').textContent()).toBe('cards per hour shown once 2 cards are done');
    await station.screenshot('04-batch-waiting');
    // The batch and its requests by their short numbers, never a UUID (observation 6).
    const batchNumber = (await panel.getAttribute('data-batch-number')) ?? '';
    expect(batchNumber).toMatch(/^B-\d{6}$/);
    expect(await panel.locator('h4').textContent()).toContain(`Batch ${batchNumber} of 3 cards`);
    expect(await batchItem(page, ids[0]!).getByTestId('batch-item-request').textContent()).toMatch(/^R-\d{6}$/);
    expect(await panel.textContent()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);

    // Paused while the card goes in (the harness reads its serial first): the batch leaves it alone.
    await whileBatchPaused(panel, async () => {
      expect(await batchPrompts(page)).toEqual([]);
      cards.push(await insertPivCard(join(cardDir, 'first.json')));
      expect(await batchItem(page, ids[0]!).getAttribute('data-state')).toBe('queued');
    });
    expect(await batchItemState(page, ids[0]!, ['done', 'failed'], PRODUCTION_TIMEOUT_MS), `${await panel.textContent()}\n${station.host.output()}`).toBe('done');
    const firstNumber = ((await batchItem(page, ids[0]!).getByTestId('batch-item-card').textContent()) ?? '').trim();
    expect(firstNumber).toMatch(/^\d{8}$/);
    // With one reader the batch does not stall in silence: it names the card to take out.
    await expect.poll(() => batchPrompts(page), { timeout: UI_TIMEOUT_MS }).toEqual([`Remove card ${firstNumber} from ${VPCD_READER} and insert a blank card.`]);
    expect(await panel.getByTestId('batch-rate').textContent()).toBe('cards per hour shown once 2 cards are done');
    await station.screenshot('05-batch-remove-card');

    // The first card's PUK and generated PIN, once, on the batch screen.
    await batchItem(page, ids[0]!).getByTestId('batch-item-secrets').click();
    const puk = batchItem(page, ids[0]!).getByTestId('puk-value');
    await puk.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await puk.textContent()).toMatch(/^\d{8}$/);
    expect(await batchItem(page, ids[0]!).getByTestId('pin-value').textContent()).toMatch(/^\d{6,8}$/);
    await station.screenshot('06-batch-secrets');
    await batchItem(page, ids[0]!).getByTestId('secrets-recorded').click();
    await puk.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    await batchItem(page, ids[0]!).getByTestId('batch-item-secrets').waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });

    // Katherine's card waits: the officer cancels it with a reason.
    await cancelBatchItem(page, ids[2]!, 'The visit was called off');

    // The officer swaps the cards while the batch is paused, then resumes.
    await whileBatchPaused(panel, async () => {
      await removePivCard(cards.shift()!);
      cards.push(await insertPivCard(join(cardDir, 'second.json')));
    });
    expect(await batchItemState(page, ids[1]!, ['done', 'failed'], PRODUCTION_TIMEOUT_MS), `${await panel.textContent()}\n${station.host.output()}`).toBe('done');
    await expect.poll(() => panel.getAttribute('data-status'), { timeout: UI_TIMEOUT_MS }).toBe('done');
    expect(await panel.getByTestId('batch-done').textContent()).toBe('2 done');
    expect(await panel.getByTestId('batch-rate').textContent()).toMatch(/^\d+ cards per hour$/);
    expect(await batchPrompts(page)).toEqual([]);
    await station.screenshot('07-batch-done');

    // The second card's generated PIN goes on a PIN mailer from the batch screen (the mailer of
    // single production, jobs.pinMailer); its PUK stays to be shown once.
    const mailers = panel.getByTestId('batch-pin-mailers-print');
    await mailers.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await mailers.textContent()).toMatch(/^(Print|Save) PIN mailers for 1 produced card$/);
    await mailers.click();
    const mailed = panel.getByTestId('batch-pin-mailers-outcome');
    await mailed.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await mailed.textContent()).toMatch(/^1 PIN mailer (sent to .+|saved as PDF files)\.$/);
    expect(await panel.getByTestId('batch-pin-mailers-problems').count()).toBe(0);
    await batchItem(page, ids[1]!).getByTestId('batch-item-secrets').click();
    await batchItem(page, ids[1]!).getByTestId('puk-value').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await batchItem(page, ids[1]!).getByTestId('pin-value').count()).toBe(0);
    await batchItem(page, ids[1]!).getByTestId('secrets-recorded').click();
  });
});
