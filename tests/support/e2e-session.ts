/**
 * What officers do on the issue-4 screens, in terms of the renderer's
 * data-testids (tests/e2e/README.md): first run, login, logout, adding
 * officers, requesting a card, approving it and producing it. Every wait is
 * on UI state, never a fixed sleep.
 */
import type { Page } from 'playwright-core';
import { until, UI_TIMEOUT_MS } from './e2e-ui.js';
import { CLI_OFFICER } from './station-cli.js';

/** Roles as the contract names them. */
export type E2eRole = 'registration' | 'approver' | 'production' | 'security' | 'auditor' | 'admin';

/** An officer account the tests create. Test passwords only: never a real secret. */
export interface E2eOfficer {
  username: string;
  displayName: string;
  password: string;
  roles: E2eRole[];
}

/** The station's first administrator in every e2e station. */
export const E2E_ADMIN: E2eOfficer = { username: 'admin', displayName: 'Station Administrator', password: 'e2e admin passphrase', roles: ['admin'] };

/**
 * The officer `station.open()` logs in as: the CLI helper's test officer
 * (every role), so the CLI calls of a spec and its screens act as the same
 * person. A station that starts empty gets it from the first-run administrator.
 */
export const E2E_OPERATOR: E2eOfficer = {
  username: CLI_OFFICER.username,
  displayName: 'Test Officer',
  password: CLI_OFFICER.password,
  roles: ['registration', 'approver', 'production', 'security', 'auditor', 'admin'],
};

/** Which of the session screens the page shows. */
export type SessionScreen = 'first-run' | 'login' | 'station';

/** Waits until the page shows the first-run screen, the login screen or the logged-in station, and says which. */
export function sessionScreen(page: Page): Promise<SessionScreen> {
  return until('the first-run, login or station screen', async (): Promise<SessionScreen | undefined> => {
    if (await page.getByTestId('first-run-screen').isVisible()) return 'first-run';
    if (await page.getByTestId('login-screen').isVisible()) return 'login';
    if (await page.getByTestId('session-officer').isVisible()) return 'station';
    return undefined;
  });
}

/** Waits until `username` is the logged-in officer shown in the header. */
async function waitForOfficer(page: Page, username: string): Promise<void> {
  await page.locator(`[data-testid="session-officer"][data-username="${username}"]`).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/** Creates the first administrator on the first-run screen and waits until they are logged in. */
export async function firstRunAdmin(page: Page, admin: E2eOfficer = E2E_ADMIN): Promise<void> {
  await page.getByTestId('first-run-username').fill(admin.username);
  await page.getByTestId('first-run-display-name').fill(admin.displayName);
  await page.getByTestId('first-run-password').fill(admin.password);
  await page.getByTestId('first-run-password-confirm').fill(admin.password);
  await page.getByTestId('first-run-submit').click();
  await waitForOfficer(page, admin.username);
}

/**
 * Logs in on the login screen.
 * @throws Error with the screen's refusal when the station shows login-error
 */
export async function login(page: Page, officer: Pick<E2eOfficer, 'username' | 'password'>): Promise<void> {
  await page.getByTestId('login-username').fill(officer.username);
  await page.getByTestId('login-password').fill(officer.password);
  await page.getByTestId('login-submit').click();
  const outcome = await until(`${officer.username} to be logged in`, async () => {
    if (await page.locator(`[data-testid="session-officer"][data-username="${officer.username}"]`).isVisible()) return 'ok';
    if (await page.getByTestId('login-error').isVisible()) return `refused: ${await page.getByTestId('login-error').textContent()}`;
    return undefined;
  });
  if (outcome !== 'ok') throw new Error(`Login as ${officer.username} ${outcome}`);
}

/** Logs out and waits for the login screen. */
export async function logout(page: Page): Promise<void> {
  await page.getByTestId('logout-button').click();
  await page.getByTestId('login-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/** Adds an officer on the Officers screen (the logged-in officer must be an administrator). */
export async function addOfficer(page: Page, officer: E2eOfficer): Promise<void> {
  await page.getByTestId('nav-officers').click();
  await page.getByTestId('officers-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await page.getByTestId('officer-username').fill(officer.username);
  await page.getByTestId('officer-display-name').fill(officer.displayName);
  await page.getByTestId('officer-password').fill(officer.password);
  for (const role of officer.roles) await page.getByTestId(`officer-role-${role}`).check();
  await page.getByTestId('officer-save').click();
  const outcome = await until(`officer ${officer.username} to be added`, async () => {
    if (await page.locator(`[data-testid="officer-row"][data-username="${officer.username}"]`).isVisible()) return 'ok';
    if (await page.getByTestId('officer-error').isVisible()) return `refused: ${await page.getByTestId('officer-error').textContent()}`;
    return undefined;
  });
  if (outcome !== 'ok') throw new Error(`Adding officer ${officer.username} ${outcome}`);
}

/**
 * Brings a freshly opened station page to `officer` logged in: on a new
 * station, the first-run administrator is created and adds the officers of
 * `setup` (`officer` among them) first.
 */
export async function loginAs(page: Page, officer: E2eOfficer, setup: E2eOfficer[] = [officer]): Promise<void> {
  let screen = await sessionScreen(page);
  if (screen === 'first-run') {
    await firstRunAdmin(page);
    for (const o of setup) if (o.username !== E2E_ADMIN.username) await addOfficer(page, o);
    screen = 'station';
  }
  if (screen === 'station') {
    if ((await page.getByTestId('session-officer').getAttribute('data-username')) === officer.username) return;
    await logout(page);
  }
  await login(page, officer);
}

/** The request row of `requestId` on the current screen. */
export function requestRow(page: Page, requestId: string) {
  return page.locator(`[data-testid="request-row"][data-request-id="${requestId}"]`);
}

/**
 * On the Requests screen: searches the person, chooses the profile and
 * requests the card. @returns the new request's id and state
 */
export async function requestCard(page: Page, query: string, expectText: string, profile: 'employee' | 'contractor' | 'visitor'): Promise<{ requestId: string; state: string }> {
  await page.getByTestId('nav-requests').click();
  await page.getByTestId('requests-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const search = page.getByTestId('person-search');
  await search.fill('');
  await search.pressSequentially(query, { delay: 30 });
  const result = page.getByTestId('person-result').filter({ hasText: expectText });
  await result.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await result.first().click();
  return requestForChosenPerson(page, profile);
}

/** Opens the Approvals screen and returns the pending row of `requestId`. */
export async function pendingRow(page: Page, requestId: string) {
  await page.getByTestId('nav-approvals').click();
  await page.getByTestId('approvals-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const row = requestRow(page, requestId);
  await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  return row;
}

/**
 * Approves `requestId` on the Approvals screen and waits until it has left
 * the pending list. @throws Error with the refusal shown (approval-error)
 */
export async function approve(page: Page, requestId: string): Promise<void> {
  const row = await pendingRow(page, requestId);
  await row.getByTestId('approve-button').click();
  const outcome = await until(`request ${requestId} to be approved`, async () => {
    if ((await row.count()) === 0) return 'ok';
    if (await row.getByTestId('approval-error').isVisible()) return `refused: ${await row.getByTestId('approval-error').textContent()}`;
    return undefined;
  });
  if (outcome !== 'ok') throw new Error(`Approving ${requestId} was ${outcome}`);
}

/** Opens "Produce a card" (its approved requests) and chooses the approved request `requestId`. */
export async function chooseApprovedRequest(page: Page, requestId: string): Promise<void> {
  await page.getByTestId('nav-produce').click();
  await page.getByTestId('produce-card-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const fromRequest = page.getByTestId('produce-way-request');
  if ((await fromRequest.count()) > 0) await fromRequest.click();
  await page.getByTestId('produce-request-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const choice = page.locator(`[data-testid="approved-request"][data-request-id="${requestId}"]`);
  await choice.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await choice.check();
}

/** The state of `requestId` as the Requests screen lists it (filter All). */
export async function requestState(page: Page, requestId: string): Promise<string | null> {
  await page.getByTestId('nav-requests').click();
  await page.getByTestId('requests-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await page.getByTestId('request-filter-all').click();
  const row = requestRow(page, requestId);
  await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  return row.getAttribute('data-state');
}

/** A person as the registration form takes it. */
export interface E2ePerson {
  givenName: string;
  surname: string;
  email: string;
  employeeId: string;
  affiliation: 'employee' | 'contractor' | 'visitor';
}

/** On the Requests screen: registers a new person with the form and waits until they are the chosen cardholder. */
export async function registerPersonForRequest(page: Page, p: E2ePerson): Promise<void> {
  await page.getByTestId('nav-requests').click();
  await page.getByTestId('requests-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await page.getByTestId('register-person').click();
  await page.getByTestId('person-given-name').fill(p.givenName);
  await page.getByTestId('person-surname').fill(p.surname);
  await page.getByTestId('person-email').fill(p.email);
  await page.getByTestId('person-employee-id').fill(p.employeeId);
  await page.getByTestId('person-affiliation').selectOption(p.affiliation);
  await page.getByTestId('person-save').click();
  await page.getByTestId('selected-person').filter({ hasText: `${p.givenName} ${p.surname}` }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/** On the Requests screen with the cardholder chosen: requests the card with `profile`. @returns the request's id, state and number as shown ("R-000012") */
export async function requestForChosenPerson(page: Page, profile: E2ePerson['affiliation']): Promise<{ requestId: string; state: string; number: string }> {
  await page.getByTestId('request-profile').selectOption(profile);
  await page.getByTestId('request-create').click();
  const outcome = await until('the request to be created', async () => {
    const created = page.getByTestId('request-created');
    if (await created.isVisible()) {
      const number = ((await created.getByTestId('request-created-number').textContent()) ?? '').trim();
      return { requestId: (await created.getAttribute('data-request-id')) ?? '', state: (await created.getAttribute('data-state')) ?? '', number };
    }
    if (await page.getByTestId('request-error').isVisible()) return { requestId: '', state: `refused: ${await page.getByTestId('request-error').textContent()}`, number: '' };
    return undefined;
  });
  if (!outcome.requestId) throw new Error(`The card request was ${outcome.state}`);
  return outcome;
}
