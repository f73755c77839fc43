/**
 * The issue-5 screens in Chromium against the browser host: notifications
 * the (test) IDPRS refused become dead letters on the Notifications screen
 * and, once the IDPRS accepts again, are redelivered from the screen (one,
 * then all) and arrive at the receiver, delivered by the host's own worker;
 * an auditor filters the audit log by officer and date, exports it as CSV
 * (the downloaded file's rows are the rows shown) and verifies the chain.
 * Requests only (no card is produced): no vpcd reader is claimed.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startE2eStation, type E2eStation } from '../support/e2e-harness.js';
import { patchConfig } from '../support/e2e-config.js';
import { until, UI_TIMEOUT_MS } from '../support/e2e-ui.js';
import { E2E_OPERATOR, login, logout, registerPersonForRequest, requestForChosenPerson, type E2eOfficer } from '../support/e2e-session.js';
import { station as cli } from '../support/station-cli.js';
import { startIdprsReceiver, type IdprsReceiver } from '../support/idprs-receiver.js';

const SECRET = 'e2e notification secret shared with the IDPRS';
const AUDITOR: E2eOfficer = { username: 'auditor1', displayName: 'Ida Auditor', password: 'e2e auditor passphrase', roles: ['auditor'] };

let station: E2eStation;
let receiver: IdprsReceiver;

beforeAll(async () => {
  receiver = await startIdprsReceiver(new TextEncoder().encode(SECRET));
  // The IDPRS refuses everything at first (HTTP 400: permanent), so the events become dead letters at once.
  receiver.mode = 'reject';
  station = await startE2eStation('outbox-audit', {
    seed: async (dir) => {
      patchConfig(dir, (c) => ({ ...c, notifications: { url: receiver.url, maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, jitter: 0, requestTimeoutMs: 5_000, concurrency: 4, pollIntervalMs: 200 } }));
      const secret = await cli(dir, ['outbox', 'secret', 'set'], { env: { STATION_NOTIFY_SECRET: SECRET } });
      if (secret.code !== 0) throw new Error(`outbox secret set: ${secret.stderr}`);
      const added = await cli(dir, ['officer', 'add', '--username', AUDITOR.username, '--display-name', AUDITOR.displayName, '--roles', 'auditor'], { env: { STATION_NEW_PASSWORD: AUDITOR.password } });
      if (added.code !== 0) throw new Error(`officer add: ${added.stderr}`);
    },
  });
});

afterAll(async () => {
  await station?.close();
  await receiver?.close();
});

/** The rows of the Notifications screen's current tab: event id and type. */
async function outboxRows(): Promise<{ id: string; type: string }[]> {
  const rows = station.page.getByTestId('outbox-row');
  const out: { id: string; type: string }[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    out.push({ id: (await row.getAttribute('data-event-id')) ?? '', type: (await row.getAttribute('data-type')) ?? '' });
  }
  return out;
}

describe('Notifications and Audit screens', () => {
  test('dead letters are redelivered from the Notifications screen and arrive at the receiver', async () => {
    const { page } = station;
    await station.open();
    await registerPersonForRequest(page, { givenName: 'Katherine', surname: 'Johnson', email: 'katherine.johnson@example.test', employeeId: 'V-1918', affiliation: 'visitor' });
    const { requestId, state } = await requestForChosenPerson(page, 'visitor');
    expect(state).toBe('approved'); // visitor cards need no approval: request.created, request.approved

    await page.getByTestId('nav-outbox').click();
    await page.getByTestId('outbox-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await page.getByTestId('outbox-tab-dead').click();
    // The host's worker tries each event once; the IDPRS refuses both.
    await until('two dead letters', async () => ((await page.getByTestId('outbox-row').count()) === 2 ? true : undefined));
    const dead = await outboxRows();
    expect(dead.map((r) => r.type)).toEqual(['request.created', 'request.approved']);
    expect(await page.getByTestId('outbox-last-error').first().textContent()).toContain('The IDPRS answered HTTP 400.');
    expect(receiver.posts.filter((p) => p.status === 400)).toHaveLength(2);
    expect(receiver.events).toEqual([]);
    await station.screenshot('01-dead-letters');

    // The IDPRS is fixed: redeliver the first letter, then all that are left.
    receiver.mode = 'up';
    await page.getByTestId('outbox-redeliver').first().click();
    await until('one dead letter left', async () => ((await page.getByTestId('outbox-row').count()) === 1 ? true : undefined));
    await receiver.waitForEvents(1, UI_TIMEOUT_MS);
    expect(receiver.events.map((e) => [e.id, e.type, e.request?.id])).toEqual([[dead[0]!.id, 'request.created', requestId]]);
    await page.getByTestId('outbox-redeliver-all').click();
    await page.getByTestId('outbox-empty').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await receiver.waitForEvents(2, UI_TIMEOUT_MS);
    expect(receiver.events.map((e) => e.id)).toEqual(dead.map((r) => r.id));
    expect(receiver.posts.filter((p) => p.status === 200).every((p) => p.signature === 'ok' && !p.duplicate)).toBe(true);

    await page.getByTestId('outbox-tab-delivered').click();
    await until('both events delivered on screen', async () => ((await page.getByTestId('outbox-row').count()) === 2 ? true : undefined));
    expect((await outboxRows()).map((r) => r.id).sort()).toEqual(dead.map((r) => r.id).sort());
    expect(await page.getByTestId('outbox-count-dead').textContent()).toBe('(0)');
    await station.screenshot('02-redelivered');
  });

  test('an auditor filters the log, exports it as CSV and verifies the chain', async () => {
    const { page } = station;
    await logout(page);
    await login(page, AUDITOR);
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const today = new Date().toISOString().slice(0, 10);
    await page.getByTestId('audit-filter-officer').fill(E2E_OPERATOR.username);
    await page.getByTestId('audit-filter-from').fill(today);
    await page.getByTestId('audit-filter-to').fill(today);
    await page.getByTestId('audit-search').click();
    // Only the operator's events are left (the screen opened on the whole log), their redeliveries among them.
    const officers = await until('the table filtered to the operator', async () => {
      const shown = await page.getByTestId('audit-officer').allTextContents();
      return shown.length > 0 && shown.every((o) => o === E2E_OPERATOR.username) ? shown : undefined;
    });
    expect(officers.length).toBeGreaterThan(2);
    expect(await page.locator('[data-testid="audit-row"][data-action="notification.redelivered"][data-outcome="ok"]').count()).toBe(2);
    const seqs = await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-seq')));
    await station.screenshot('03-audit-filtered');

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: UI_TIMEOUT_MS }), page.getByTestId('audit-export-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    const [header, ...lines] = csv.split('\r\n').filter((l) => l !== '');
    expect(header).toBe('seq,at,actor,action,outcome,person_id,card_id,job_id,details,prev_hash,hash');
    // The first five fields (seq, time, officer, action, outcome) never need quotes.
    const rows = lines.map((l) => l.split(',').slice(0, 5));
    expect(rows.map((r) => r[0])).toEqual(seqs);
    expect(rows.every((r) => r[2] === E2E_OPERATOR.username && r[1]!.startsWith(today))).toBe(true);
    expect(rows.filter((r) => r[3] === 'notification.redelivered' && r[4] === 'ok')).toHaveLength(2);

    await page.getByTestId('audit-verify').click();
    const result = page.getByTestId('audit-verify-result');
    await result.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.textContent()).toMatch(/^Audit log intact: \d+ events, head seq \d+ \(hash [0-9a-f]{64}\); /);
    await station.screenshot('04-audit-verified');
    // The auditor may look at the notifications but not resend them.
    await page.getByTestId('nav-outbox').click();
    await page.getByTestId('outbox-tab-delivered').click();
    await until('the delivered events', async () => ((await page.getByTestId('outbox-row').count()) === 2 ? true : undefined));
    await page.getByTestId('outbox-tab-dead').click();
    expect(await page.getByTestId('outbox-redeliver-all').count()).toBe(0);
  });
});
