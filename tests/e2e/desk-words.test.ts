/**
 * Issue 12, observations 6–8 in Chromium against the browser host: the desk
 * speaks in words and short numbers, states the PIN rule where a PIN is
 * chosen and never applies it to a PIN being verified, and the menu is one
 * entry per task with counts.
 *
 * Walk (the station's in-process training reader, so no vpcd card is used):
 * a visitor and an employee are registered and requested (the request is
 * named "R-000001", the search is empty after each request, the menu counts
 * the approved and the pending request); a PIN typed on the issue flow is
 * judged as it is typed; a field the core refuses is named ("Employee id: at
 * most 32 characters."); the visitor's request is produced by a batch file that
 * names it by number; the queue shows the job's card number and has a
 * Cancelled filter; the Persons list says who has a card; activation with a
 * guessable PIN is only a wrong PIN with the tries left; the card revoked as
 * "Lost" says lost while its certificates carry keyCompromise (RFC 5280
 * §5.3.1 through lifecycle/reasons.ts); dates are the locale's, audit actions
 * are words.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TRAINING_READER_NAME } from '../../native/virtual-card/training-reader.js';
import { startE2eStation, type E2eStation } from '../support/e2e-harness.js';
import { goToIssue, until, PRODUCTION_TIMEOUT_MS, UI_TIMEOUT_MS } from '../support/e2e-ui.js';
import { E2E_OPERATOR, registerPersonForRequest, requestForChosenPerson } from '../support/e2e-session.js';
import { openBridge } from '../support/e2e-bridge.js';

let station: E2eStation;

beforeAll(async () => {
  station = await startE2eStation('desk-words');
});

afterAll(async () => {
  await station?.close();
});

const ISO_DATE = /\d{4}-\d{2}-\d{2}/;

describe('the desk in words, numbers and one menu', () => {
  test('request numbers, field names, PIN rules, navigation with counts, words for codes', async () => {
    const { page } = station;
    await station.open();

    // Obs. 8: one menu entry for producing a card.
    expect(await page.getByTestId('nav-issue').count()).toBe(0);
    expect(await page.getByTestId('nav-produce').textContent()).toContain('Produce a card');

    // Obs. 6: a request is named by its short number; obs. 8: the search starts empty after it.
    await registerPersonForRequest(page, { givenName: 'Katherine', surname: 'Johnson', email: 'katherine.johnson@example.test', employeeId: 'V-1918', affiliation: 'visitor' });
    const visitor = await requestForChosenPerson(page, 'visitor');
    expect(visitor.state).toBe('approved');
    expect(visitor.number).toMatch(/^R-\d{6}$/);
    expect(await page.getByTestId('person-search').inputValue()).toBe('');
    expect(await page.getByTestId('person-result').count()).toBe(0);
    const row = page.locator(`[data-testid="request-row"][data-request-id="${visitor.requestId}"]`);
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await row.getByTestId('request-number').textContent()).toBe(visitor.number);
    expect(await row.textContent()).not.toMatch(ISO_DATE);

    await registerPersonForRequest(page, { givenName: 'Dorothy', surname: 'Vaughan', email: 'dorothy.vaughan@example.test', employeeId: 'E-1910', affiliation: 'employee' });
    const employee = await requestForChosenPerson(page, 'employee');
    expect(employee.state).toBe('requested');
    // Obs. 8: the menu counts what waits for each task, kept fresh by request.changed.
    await until('the menu counts', async () =>
      (await page.getByTestId('nav-count-approvals').count()) > 0 && (await page.getByTestId('nav-count-produce').count()) > 0 ? true : undefined,
    );
    expect(await page.getByTestId('nav-count-approvals').textContent()).toBe('1');
    expect(await page.getByTestId('nav-count-produce').textContent()).toBe('1');
    await station.screenshot('01-requests-numbered');

    // Obs. 6: a value the core refuses at the door names its field in words.
    const { bridge, close } = openBridge(station.host.url);
    try {
      expect((await bridge.invoke('auth.login', { username: E2E_OPERATOR.username, password: E2E_OPERATOR.password })).ok).toBe(true);
      const refused = await bridge.invoke('persons.add', { givenName: 'Mary', surname: 'Jackson', affiliation: 'employee', employeeId: `E${'1'.repeat(32)}` });
      expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'Employee id: at most 32 characters.' } });
    } finally {
      close();
    }

    // Obs. 7: the whole rule is stated where the PIN is chosen, and a guessable PIN is said while typing.
    await goToIssue(page);
    await page.getByTestId('person-search').pressSequentially('Johnson', { delay: 30 });
    await page.getByTestId('person-result').filter({ hasText: 'Katherine Johnson' }).first().click();
    // The default profiles let the cardholder type the PIN.
    await page.getByTestId('pin-mode-typed').check();
    expect(await page.getByTestId('pin-rule').textContent()).toContain('not one digit repeated');
    await page.getByTestId('pin-input').pressSequentially('123456');
    await page.getByTestId('pin-error').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('pin-error').textContent()).toContain('too easy to guess');
    // Said before the confirmation is even typed.
    expect(await page.getByTestId('pin-confirm').inputValue()).toBe('');

    // Obs. 6: a batch file names the request by its number; the batch produces it on the training reader.
    await page.getByTestId('nav-batches').click();
    await page.getByTestId('batches-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await page.getByTestId('batch-source-csv').check();
    await page.getByTestId('batch-csv-file').setInputFiles({ name: 'numbers.csv', mimeType: 'text/csv', buffer: Buffer.from(`request number\n${visitor.number}\n`) });
    const listed = page.locator(`[data-testid="batch-csv-request"][data-request-id="${visitor.requestId}"]`);
    await listed.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await listed.textContent()).toBe(`Line 2: ${visitor.number} · Katherine Johnson`);
    await page.getByTestId('batch-readers-chosen').check();
    await page.locator(`[data-testid="batch-reader"][data-reader="${TRAINING_READER_NAME}"]`).check();
    await page.getByTestId('batch-start').click();
    const item = page.getByTestId('batch-panel').first().locator(`[data-testid="batch-item"][data-request-id="${visitor.requestId}"]`);
    await item.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const final = await until(
      'the batch card to finish',
      async () => {
        const state = (await item.getAttribute('data-state')) ?? '';
        return ['done', 'failed', 'cancelled'].includes(state) ? state : undefined;
      },
      PRODUCTION_TIMEOUT_MS,
    );
    expect(final, station.host.output()).toBe('done');

    // Obs. 8: the queue names the card and can show cancelled jobs.
    await page.getByTestId('nav-queue').click();
    await page.getByTestId('queue-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const queueRow = page.getByTestId('queue-row').first();
    await queueRow.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const cardNumber = ((await queueRow.getByTestId('queue-card-number').textContent()) ?? '').trim();
    expect(cardNumber).toMatch(/^\d{8}$/);
    await page.getByTestId('filter-cancelled').click();
    expect(await page.getByTestId('filter-cancelled').getAttribute('aria-pressed')).toBe('true');
    await until('the cancelled filter to apply', async () => ((await page.getByTestId('queue-row').count()) === 0 ? true : undefined));
    await station.screenshot('02-queue-card-numbers');

    // Obs. 8: the persons list says where each person stands.
    await page.getByTestId('nav-persons').click();
    await page.getByTestId('persons-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const standing = async (surname: string) => {
      const r = page.getByTestId('persons-row').filter({ hasText: surname });
      await r.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
      return (await r.first().getByTestId('persons-row-standing').textContent()) ?? '';
    };
    expect(await standing('Johnson')).toContain(`Card ${cardNumber}`);
    expect(await standing('Vaughan')).toBe(`Request ${employee.number} · Waiting for approval`);

    // Open the card.
    await page.getByTestId('nav-cards').click();
    await page.getByTestId('cards-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await page.getByTestId('card-search').fill(cardNumber);
    const cardRow = page.getByTestId('card-row').first();
    await cardRow.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await cardRow.textContent()).not.toMatch(ISO_DATE);
    await cardRow.getByTestId('card-open').click();
    const detail = page.getByTestId('card-detail');
    await detail.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await detail.getByTestId('card-expiration').textContent()).not.toMatch(ISO_DATE);

    // Obs. 7: activation verifies a PIN: a guessable one goes to the card and is only wrong, with the tries left.
    await detail.getByTestId('card-action-activate').click();
    await page.getByTestId('desk-reader-select').selectOption(TRAINING_READER_NAME);
    await page.getByTestId('activate-pin').pressSequentially('111111');
    await page.getByTestId('desk-submit').click();
    const activateError = page.getByTestId('card-action-error');
    await activateError.waitFor({ state: 'visible', timeout: PRODUCTION_TIMEOUT_MS });
    const refusal = (await activateError.textContent()) ?? '';
    expect(refusal).toMatch(/wrong/i);
    expect(refusal).toMatch(/\d+ tr(y|ies) left/);
    expect(refusal).not.toMatch(/too easy|guess/i);

    // Obs. 6: revoked as "Lost", the certificates say lost; the CRL keeps RFC 5280's keyCompromise.
    await detail.getByTestId('card-action-revoke').click();
    await page.getByTestId('revoke-reason').selectOption('lost');
    await page.getByTestId('revoke-continue').click();
    await page.getByTestId('revoke-confirm').click();
    await page.getByTestId('card-action-outcome').waitFor({ state: 'visible', timeout: PRODUCTION_TIMEOUT_MS });
    const reasons = page.getByTestId('card-cert-reason');
    await reasons.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    for (const reason of await reasons.all()) {
      expect(((await reason.textContent()) ?? '').trim()).toBe('(lost)');
      expect(await reason.getAttribute('data-crl-reason')).toBe('keyCompromise');
    }
    expect(await detail.textContent()).not.toContain('keyCompromise');
    await station.screenshot('03-card-revoked-lost');

    // Obs. 6: the audit log in words: no dotted code, no ISO timestamp.
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await page.getByTestId('audit-search').click();
    await page.getByTestId('audit-row').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const actions = await page.getByTestId('audit-action').allTextContents();
    expect(actions.length).toBeGreaterThan(0);
    for (const a of actions) expect(a).not.toMatch(/^[a-z-]+(\.[a-z-]+)+$/);
    expect(actions).toContain('Card revoked');
  });
});
