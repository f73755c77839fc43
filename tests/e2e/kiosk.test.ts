/**
 * The self-service kiosk in the browser: a registration officer corrects a
 * person's e-mail address (Edit person) and turns the window into a kiosk;
 * the kiosk shows no officer screen, and a call to an officer channel sent
 * straight down that window's own bridge connection is refused by the core;
 * a wrong identification gets the generic answer; the person identifies and
 * requests a visitor card (a profile that needs no approval at the desk,
 * yet a kiosk request waits for an approver); a second browser page of the
 * same launch is the kiosk too (kiosk mode is bound to the launch, issue 10
 * finding 6); an officer's login is the way out of kiosk mode; then an
 * approver in that second browser context sees the request in Approvals
 * "at the kiosk" and approves it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { WebSocketRoute } from 'playwright-core';
import { join } from 'node:path';
import { SCREENSHOT_DIR, startE2eStation, VIEWPORT, type E2eStation } from '../support/e2e-harness.js';
import { station as stationCli } from '../support/station-cli.js';
import { approve, login, pendingRow, requestState, type E2eOfficer } from '../support/e2e-session.js';
import { until, UI_TIMEOUT_MS } from '../support/e2e-ui.js';
import type { Result } from '../../electron/contract/station-api.js';

const REGINA: E2eOfficer = { username: 'regina', displayName: 'Regina Registrar', password: 'regina e2e passphrase', roles: ['registration'] };
const ARTHUR: E2eOfficer = { username: 'arthur', displayName: 'Arthur Approver', password: 'arthur e2e passphrase', roles: ['approver'] };
const VERA = { givenName: 'Vera', surname: 'Visitor', employeeId: 'V-1001', oldEmail: 'vera.old@example.test', email: 'vera@example.test' };

let station: E2eStation;

beforeAll(async () => {
  station = await startE2eStation('kiosk', {
    seed: async (dataDir) => {
      for (const o of [REGINA, ARTHUR]) {
        const r = await stationCli(dataDir, ['officer', 'add', '--username', o.username, '--display-name', o.displayName, '--roles', o.roles.join(',')], { env: { STATION_NEW_PASSWORD: o.password } });
        if (r.code !== 0) throw new Error(r.stderr);
      }
      const p = await stationCli(dataDir, ['person', 'add', '--given-name', VERA.givenName, '--surname', VERA.surname, '--email', VERA.oldEmail, '--employee-id', VERA.employeeId, '--affiliation', 'visitor']);
      if (p.code !== 0) throw new Error(p.stderr);
    },
  });
});

afterAll(async () => {
  await station?.close();
});

/**
 * Taps the page's own bridge WebSocket (the connection the kiosk is bound to)
 * so the test can send a frame down it, as a person at the kiosk with the
 * browser's developer tools could. Everything else passes through unchanged.
 */
async function tapBridge(station: E2eStation) {
  let server: WebSocketRoute | undefined;
  const waiting = new Map<number, (result: Result<unknown>) => void>();
  await station.page.routeWebSocket(/\/bridge/, (ws) => {
    const srv = ws.connectToServer();
    server = srv;
    srv.onMessage((m) => {
      const msg = JSON.parse(String(m)) as { id?: number; result?: Result<unknown> };
      const resolve = typeof msg.id === 'number' ? waiting.get(msg.id) : undefined;
      if (resolve && msg.result) {
        waiting.delete(msg.id!);
        resolve(msg.result);
      } else {
        ws.send(m);
      }
    });
    ws.onMessage((m) => srv.send(m));
  });
  let nextId = 900_000;
  return {
    /** Sends `channel` down the page's bridge connection and resolves with the core's answer. */
    invoke(channel: string, input: unknown): Promise<Result<unknown>> {
      if (!server) throw new Error('the page has no bridge connection yet');
      const id = nextId++;
      const answered = new Promise<Result<unknown>>((resolve) => waiting.set(id, resolve));
      server.send(JSON.stringify({ id, channel, input }));
      return answered;
    },
  };
}

describe('self-service kiosk in the browser', () => {
  test('kiosk mode → no officer screens, officer calls refused by the core → identification → request → approval at the desk', async () => {
    const { page } = station;
    const tap = await tapBridge(station);
    await page.goto(station.host.url, { waitUntil: 'domcontentloaded' });
    await page.getByTestId('login-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await login(page, REGINA);

    // The registration officer corrects Vera's e-mail address (Edit person).
    await page.getByTestId('nav-requests').click();
    await page.getByTestId('person-search').pressSequentially('Visitor', { delay: 30 });
    await page.getByTestId('person-result').filter({ hasText: 'Vera Visitor' }).first().click();
    await page.getByTestId('person-edit').click();
    await page.getByTestId('edit-person-email').fill(VERA.email);
    await page.getByTestId('edit-person-save').click();
    await page.getByTestId('selected-person').filter({ hasText: 'Vera Visitor' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await station.screenshot('01-person-edited');

    // Kiosk mode, after a confirmation.
    await page.getByTestId('kiosk-start').click();
    await station.screenshot('02-kiosk-confirm');
    await page.getByTestId('kiosk-start-confirm').click();
    await page.getByTestId('kiosk-welcome').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await station.screenshot('03-kiosk-welcome');
    expect(await page.getByRole('navigation').count()).toBe(0);
    expect(await page.locator('[data-testid^="nav-"]').count()).toBe(0);
    expect(await page.getByTestId('session-officer').count()).toBe(0);
    expect(await page.getByTestId('readers-panel').count()).toBe(0);

    // Bypassing the screen: officer channels on the kiosk's own connection are refused by the core.
    for (const [channel, input] of [
      ['persons.search', { query: 'Visitor' }],
      ['requests.list', {}],
      ['kiosk.start', {}],
      ['auth.logout', {}],
    ] as const) {
      const r = await tap.invoke(channel, input);
      expect(r, channel).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'kioskOnly' } } });
    }
    expect(await tap.invoke('kiosk.status', {})).toMatchObject({ ok: true, value: { kiosk: true, person: null } });

    // A reload opens a new bridge connection: the launch is still the kiosk, never the officer login (issue 10, finding 6).
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.getByTestId('kiosk-welcome').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('login-screen').count()).toBe(0);
    expect(await page.locator('[data-testid^="nav-"]').count()).toBe(0);

    // The old e-mail address no longer identifies Vera: the generic answer.
    await page.getByTestId('kiosk-employee-id').fill(VERA.employeeId);
    await page.getByTestId('kiosk-email').fill(VERA.oldEmail);
    await page.getByTestId('kiosk-identify').click();
    await page.getByTestId('kiosk-error').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('kiosk-error').textContent()).toContain('We could not find you with these details');
    await station.screenshot('04-kiosk-not-recognized');

    // Vera identifies (e-mail in another case) and requests her card.
    await page.getByTestId('kiosk-employee-id').fill(VERA.employeeId);
    await page.getByTestId('kiosk-email').fill(VERA.email.toUpperCase());
    await page.getByTestId('kiosk-identify').click();
    const person = page.getByTestId('kiosk-person');
    await person.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await person.getAttribute('data-display-name')).toBe('Vera Visitor');
    await station.screenshot('05-kiosk-identified');
    await page.locator('[data-testid="kiosk-request"][data-profile="visitor"]').click();
    const receipt = page.getByTestId('kiosk-confirmation');
    await receipt.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const requestId = (await receipt.getAttribute('data-request-id')) ?? '';
    expect(requestId).not.toBe('');
    expect(await receipt.textContent()).toContain('An approver will review it');
    // The cardholder is given the short request number (R-000001), never the UUID.
    expect(await page.getByTestId('kiosk-request-number').textContent()).toMatch(/^R-\d{6}$/);
    await station.screenshot('06-kiosk-receipt');
    await page.getByTestId('kiosk-done').click();
    await page.getByTestId('kiosk-welcome').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

    // The kiosk is bound to the launch, not to a socket (issue 10, finding 6): a second browser
    // page holding this launch's address is the same kiosk window, never an officer login.
    const desk = await station.browser.newContext({ viewport: VIEWPORT });
    try {
      const approverPage = await desk.newPage();
      await approverPage.goto(station.host.url, { waitUntil: 'domcontentloaded' });
      await approverPage.getByTestId('kiosk-welcome').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
      expect(await approverPage.getByTestId('login-screen').count()).toBe(0);
      expect(await approverPage.locator('[data-testid^="nav-"]').count()).toBe(0);

      // Leaving kiosk mode takes an officer's password.
      await page.getByTestId('kiosk-officer-login').click();
      await login(page, REGINA);
      await until('the officer screens to be back', async () => ((await page.getByTestId('nav-requests').isVisible()) ? true : undefined));
      expect(await page.getByTestId('kiosk-screen').count()).toBe(0);
      await station.screenshot('07-kiosk-left');

      // An approver at the desk, in the second browser context: the request is pending, made "at the kiosk".
      await approverPage.goto(station.host.url, { waitUntil: 'domcontentloaded' });
      await approverPage.getByTestId('login-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
      expect(await approverPage.getByTestId('kiosk-screen').count()).toBe(0);
      await login(approverPage, ARTHUR);
      const row = await pendingRow(approverPage, requestId);
      expect(await row.textContent()).toMatch(/At the kiosk, by the cardholder/); // the channel, in the approver's words (issue 12 obs. 4)
      expect(await row.textContent()).toContain('Vera Visitor');
      await approverPage.screenshot({ path: join(SCREENSHOT_DIR, 'kiosk-08-approvals.png'), fullPage: true });
      await approve(approverPage, requestId);
      expect(await requestState(approverPage, requestId)).toBe('approved');
    } finally {
      await desk.close();
    }
  });
});
