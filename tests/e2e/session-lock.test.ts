/**
 * The session lock in the browser: a station whose sessions lock after one
 * idle minute (the smallest the configuration allows). The officer leaves the
 * Requests screen with a request just made; the core locks the session and
 * the overlay covers the screen, which stays behind it; a wrong password is
 * refused; the right one brings the officer back to the same screen.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startE2eStation, type E2eStation } from '../support/e2e-harness.js';
import { setSessionLockMinutes } from '../support/e2e-config.js';
import { until, UI_TIMEOUT_MS } from '../support/e2e-ui.js';
import { E2E_OPERATOR, registerPersonForRequest, requestForChosenPerson } from '../support/e2e-session.js';

/** One minute of inactivity, plus the core's lock timer period and slack. */
const LOCK_WAIT_MS = 150_000;

let station: E2eStation;

beforeAll(async () => {
  station = await startE2eStation('session-lock', { seed: async (dir) => setSessionLockMinutes(dir, 1) });
});

afterAll(async () => {
  await station?.close();
});

describe('session lock', () => {
  test('an idle session locks; the overlay keeps the screen behind it and unlocks with the password', { timeout: 240_000 }, async () => {
    const { page } = station;
    await station.open();
    await registerPersonForRequest(page, { givenName: 'Mary', surname: 'Jackson', email: 'mary.jackson@example.test', employeeId: 'V-1921', affiliation: 'visitor' });
    const { requestId, state } = await requestForChosenPerson(page, 'visitor');
    // Visitor cards need no approval (the station's default profile).
    expect(state).toBe('approved');

    // Hands off: only the page is watched (a call would count as activity).
    const overlay = page.getByTestId('lock-overlay');
    const how = await until('the session to lock', async () => ((await overlay.isVisible()) ? 'event' : undefined), LOCK_WAIT_MS).catch(async () => {
      // No event: the next call must find the session locked.
      await page.getByTestId('request-filter-all').click();
      await overlay.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
      return 'call';
    });
    expect(['event', 'call']).toContain(how);
    await station.screenshot('01-locked');
    expect(await overlay.textContent()).toContain(`Password for ${E2E_OPERATOR.username}`);
    // The screen stays behind the overlay, as the officer left it.
    expect(await page.getByTestId('requests-screen').count()).toBe(1);
    expect(await page.locator(`[data-testid="request-created"][data-request-id="${requestId}"]`).count()).toBe(1);

    await page.getByTestId('lock-password').fill('not the password at all');
    await page.getByTestId('lock-submit').click();
    await page.getByTestId('lock-error').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await overlay.isVisible()).toBe(true);
    await station.screenshot('02-wrong-password');

    await page.getByTestId('lock-password').fill(E2E_OPERATOR.password);
    await page.getByTestId('lock-submit').click();
    await overlay.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    expect(await page.locator(`[data-testid="request-created"][data-request-id="${requestId}"]`).count()).toBe(1);
    // The session works again: the list loads.
    await page.getByTestId('request-filter-all').click();
    await page.locator(`[data-testid="request-row"][data-request-id="${requestId}"]`).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await station.screenshot('03-unlocked');
  });
});
