/**
 * The card request workflow in the browser, with four officers on one
 * station: the administrator is created on the first-run screen and adds the
 * others; a registration officer (also an approver) registers a person and
 * requests an employee card; their own approval is refused (the screen says
 * why, and the core refuses it on its own when the screen is bypassed); a
 * second officer approves it, which creates the card object with its card
 * number; a production officer produces it on the vpcd card. OpenSC then
 * judges the card, and the request ends `produced`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startE2eStation, type E2eStation } from '../support/e2e-harness.js';
import { closeReaders, insertPivCard, removePivCard, runTool, VPCD_READER, type PivCardProcess } from '../support/e2e-cards.js';
import { chooseReader, confirmSecretsRecorded, produce, typePin, waitForOutcome, waitForReaderKind, PRODUCTION_TIMEOUT_MS, UI_TIMEOUT_MS } from '../support/e2e-ui.js';
import {
  addOfficer,
  approve,
  chooseApprovedRequest,
  firstRunAdmin,
  login,
  logout,
  pendingRow,
  registerPersonForRequest,
  requestForChosenPerson,
  requestState,
  sessionScreen,
  type E2eOfficer,
} from '../support/e2e-session.js';
import { openBridge } from '../support/e2e-bridge.js';

const PIN = '135792';
/** Registers persons and requests cards; also an approver, which is what makes self-approval a question. */
const REGINA: E2eOfficer = { username: 'regina', displayName: 'Regina Registrar', password: 'regina e2e passphrase', roles: ['registration', 'approver'] };
const ARTHUR: E2eOfficer = { username: 'arthur', displayName: 'Arthur Approver', password: 'arthur e2e passphrase', roles: ['approver'] };
const PAT: E2eOfficer = { username: 'pat', displayName: 'Pat Producer', password: 'pat e2e passphrase', roles: ['production'] };

let station: E2eStation;
let cardDir: string;
let card: PivCardProcess | undefined;

beforeAll(async () => {
  cardDir = mkdtempSync(join(tmpdir(), 'piv-station-e2e-card-'));
  station = await startE2eStation('request-approval', { firstRun: true });
});

afterAll(async () => {
  if (card) await removePivCard(card).catch(() => undefined);
  await station?.close();
  await closeReaders();
  rmSync(cardDir, { recursive: true, force: true });
});

describe('card request workflow in the browser', () => {
  test('request → refused self-approval → approval by a second officer → production on the approved card object', async () => {
    const { page } = station;
    await page.goto(station.host.url, { waitUntil: 'domcontentloaded' });

    // First run: a new station asks for its administrator, who adds the officers.
    expect(await sessionScreen(page)).toBe('first-run');
    await station.screenshot('01-first-run');
    await firstRunAdmin(page);
    for (const o of [REGINA, ARTHUR, PAT]) await addOfficer(page, o);
    await station.screenshot('02-officers');
    await logout(page);
    await station.screenshot('03-login');

    // The registration officer registers the person and requests an employee card (approval required).
    await login(page, REGINA);
    expect(await page.getByTestId('nav-officers').count()).toBe(0);
    expect(await page.getByTestId('nav-produce').count()).toBe(0);
    await registerPersonForRequest(page, { givenName: 'Dorothy', surname: 'Vaughan', email: 'dorothy.vaughan@example.test', employeeId: 'E-1910', affiliation: 'employee' });
    const { requestId, state } = await requestForChosenPerson(page, 'employee');
    expect(state).toBe('requested');
    await station.screenshot('04-request-created');

    // Self-approval: the Approve button is disabled and the rule is said in words.
    const own = await pendingRow(page, requestId);
    expect(await own.getByTestId('approve-button').isDisabled()).toBe(true);
    expect(await own.getByTestId('approve-blocked').textContent()).toBe('You created this request: another approver must approve it.');
    await station.screenshot('05-self-approval-refused');

    // The core refuses it on its own: the same officer on a second connection, bypassing the screen.
    const side = openBridge(station.host.url);
    try {
      const loggedIn = await side.bridge.invoke('auth.login', { username: REGINA.username, password: REGINA.password });
      expect(loggedIn.ok).toBe(true);
      const refused = await side.bridge.invoke('requests.approve', { requestId });
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.error.code).toBe('FORBIDDEN');
        expect(refused.error.message.length).toBeGreaterThan(10);
      }
    } finally {
      side.close();
    }
    expect(await requestState(page, requestId)).toBe('requested');
    await logout(page);

    // A second officer approves: the card object is made, with its card number.
    await login(page, ARTHUR);
    const pending = await pendingRow(page, requestId);
    expect(await pending.getByTestId('approve-button').isEnabled()).toBe(true);
    expect(await pending.getByTestId('approve-blocked').count()).toBe(0);
    await station.screenshot('06-approvals');
    await approve(page, requestId);
    expect(await requestState(page, requestId)).toBe('approved');
    const approvedRow = page.locator(`[data-testid="request-row"][data-request-id="${requestId}"]`);
    const cardNumber = ((await approvedRow.locator('td').nth(3).textContent()) ?? '').trim();
    expect(cardNumber).toMatch(/^\d{8}$/);
    await station.screenshot('07-approved');
    await logout(page);

    // The production officer produces the approved request on the vpcd card.
    await login(page, PAT);
    expect(await page.getByTestId('nav-approvals').count()).toBe(0);
    card = await insertPivCard(join(cardDir, 'card.json'), { recognized: () => waitForReaderKind(page, VPCD_READER, /PIV card/) });
    await chooseApprovedRequest(page, requestId);
    expect(await page.locator(`[data-testid="approved-request"][data-request-id="${requestId}"]`).locator('xpath=..').textContent()).toContain(`card ${cardNumber}`);
    await chooseReader(page, VPCD_READER);
    await typePin(page, PIN);
    await station.screenshot('08-produce-request');
    const jobId = await produce(page);
    const outcome = await waitForOutcome(page, PRODUCTION_TIMEOUT_MS);
    await station.screenshot('09-produced');
    expect(outcome, station.host.output()).toEqual({ kind: 'done' });
    expect(jobId).not.toBe('');
    await page.getByTestId('puk-warning').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(((await page.getByTestId('puk-value').textContent()) ?? '').trim()).toMatch(/^\d{8}$/);
    // The result screen is left only once the officer says the PUK is recorded (issue 12).
    await confirmSecretsRecorded(page);

    // The request followed its card to the end.
    await expect.poll(() => requestState(page, requestId), { timeout: UI_TIMEOUT_MS }).toBe('produced');
    await station.screenshot('10-request-produced');

    // OpenSC, not our code, judges the card: four certificates.
    const listed = await runTool('pkcs15-tool', ['--reader', VPCD_READER, '--list-certificates']);
    expect(listed.code, listed.stderr).toBe(0);
    expect([...listed.stdout.matchAll(/X\.509 Certificate \[/g)]).toHaveLength(4);
  });
});
