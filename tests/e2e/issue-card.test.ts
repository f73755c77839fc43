/**
 * Issue a card end to end: an officer registers a person in the browser,
 * chooses profile, the vpcd reader and a typed PIN, and produces a card on a
 * virtual PIV card behind the real pcscd. Every step reaches done; the result
 * shows serial, FASC-N, GUID, four certificates, a passed verification report
 * and the PUK once. OpenSC, not our code, then judges the card.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startE2eStation, type E2eStation } from '../support/e2e-harness.js';
import { insertPivCard, removePivCard, VPCD_READER, closeReaders } from '../support/e2e-cards.js';
import type { CardProcess } from '../support/station-cli.js';
import { stationJson } from '../support/station-cli.js';
import { runTool } from '../support/e2e-cards.js';
import { certificatesOfJob } from '../support/e2e-store.js';
import {
  chooseProfile,
  chooseReader,
  goToIssue,
  confirmSecretsRecorded,
  openJobFromQueue,
  produce,
  progress,
  registerPerson,
  stepStates,
  typePin,
  waitForOutcome,
  waitForReaderKind,
  PRODUCTION_TIMEOUT_MS,
  UI_TIMEOUT_MS,
} from '../support/e2e-ui.js';

const PIN = '246810';
const SLOTS = ['9A', '9C', '9D', '9E'];

let station: E2eStation;
let cardDir: string;
let card: CardProcess | undefined;

beforeAll(async () => {
  cardDir = mkdtempSync(join(tmpdir(), 'piv-station-e2e-card-'));
  station = await startE2eStation('issue-card', { directProduction: ['employee'] });
});

afterAll(async () => {
  if (card) await removePivCard(card).catch(() => undefined);
  await station?.close();
  await closeReaders();
  rmSync(cardDir, { recursive: true, force: true });
});

/** Only the hex digits of a value, lower case (GUIDs are shown with or without dashes). */
const hexOnly = (s: string) => s.replace(/[^0-9a-f]/gi, '').toLowerCase();

describe('issue a card in the browser', () => {
  test('register, choose, produce: every step done, result shown, PUK once, OpenSC lists four certificates', async () => {
    const { page } = station;
    await station.open();
    await expect.poll(() => page.getByTestId('training-banner').isVisible()).toBe(true);

    card = await insertPivCard(join(cardDir, 'card.json'), { recognized: () => waitForReaderKind(page, VPCD_READER, /PIV card/) });
    await station.screenshot('01-readers');

    await goToIssue(page);
    await registerPerson(page, { givenName: 'Katherine', surname: 'Johnson', email: 'katherine.johnson@example.test', employeeId: 'E-7731', affiliation: 'employee' });
    await chooseProfile(page, 'employee');
    await chooseReader(page, VPCD_READER);
    // A mismatched confirmation is refused before anything reaches the card.
    await typePin(page, PIN, '246811');
    await page.getByTestId('pin-error').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('produce-button').isDisabled()).toBe(true);
    // PIN pad inputs: never echoed.
    expect(await page.getByTestId('pin-input').getAttribute('type')).toBe('password');
    expect(await page.getByTestId('pin-confirm').getAttribute('type')).toBe('password');
    await station.screenshot('02-pin-mismatch');
    await typePin(page, PIN);
    await page.getByTestId('pin-error').waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
    await station.screenshot('03-ready-to-produce');

    const jobId = await produce(page);
    const outcome = await waitForOutcome(page, PRODUCTION_TIMEOUT_MS);
    await station.screenshot('04-result');
    expect(outcome, station.host.output()).toEqual({ kind: 'done' });

    // Every step reached done, and the progress bar says so.
    const steps = await stepStates(page);
    expect(steps.length).toBeGreaterThanOrEqual(10);
    expect(steps.filter((s) => s.state !== 'done')).toEqual([]);
    await expect.poll(async () => progress(page)).toMatchObject({ now: steps.length, max: steps.length });
    expect(await page.getByTestId('progress-bar').getAttribute('role')).toBe('progressbar');
    expect((await progress(page)).text).toMatch(new RegExp(`^${steps.length} of ${steps.length} steps`));

    // The result panel agrees with what the station recorded for this job.
    const shown = await stationJson<{ job: { status: string }; card: { fascn: string; guid: string; serial: number | null; credentialNumber: string } }>(station.dataDir, ['job', 'show', jobId]);
    expect(shown.job.status).toBe('done');
    const serial = (await page.getByTestId('result-serial').textContent())?.trim() ?? '';
    expect(serial).not.toBe('');
    if (shown.card.serial !== null) expect(serial).toContain(String(shown.card.serial));
    // The FASC-N is shown as its 50 hex digits or decoded (then it carries the credential number).
    const fascn = (await page.getByTestId('result-fascn').textContent()) ?? '';
    expect(hexOnly(fascn).includes(hexOnly(shown.card.fascn)) || fascn.includes(shown.card.credentialNumber), fascn).toBe(true);
    expect(hexOnly((await page.getByTestId('result-guid').textContent()) ?? '')).toBe(hexOnly(shown.card.guid));

    const certificates = (await page.getByTestId('result-certificates').textContent()) ?? '';
    for (const slot of SLOTS) expect(certificates).toContain(slot);
    const checks = await page.getByTestId('verification-check').allTextContents();
    expect(checks.length).toBeGreaterThan(0);
    for (const check of checks) {
      expect(check).toMatch(/passed|skipped/);
      expect(check).not.toMatch(/FAILED/);
    }
    expect(checks.some((c) => /passed/.test(c))).toBe(true);

    // The PUK, once: eight digits in the warning box.
    const pukWarning = page.getByTestId('puk-warning');
    await pukWarning.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS }).catch(async () => {
      throw new Error(`The PUK was not shown when the job finished; the result panel says: ${await page.getByTestId('result-panel').textContent()}`);
    });
    expect(await pukWarning.textContent()).toMatch(/Write the PUK down now: once you confirm, it will not be shown again/);
    const puk = ((await page.getByTestId('puk-value').textContent()) ?? '').trim();
    expect(puk).toMatch(/^\d{8}$/);
    // A typed PIN is the cardholder's: never shown back.
    expect(await page.getByTestId('pin-value').count()).toBe(0);
    expect(await pukWarning.textContent()).not.toContain(PIN);

    // Issue 12 obs. 1: the readers panel names the card now on the reader, without the card leaving it.
    const kind = await waitForReaderKind(page, VPCD_READER, /^Issued card \d{6,8} · Katherine Johnson · produced today$/);
    expect(kind).toMatch(/Issued card/);

    // Issue 12 obs. 5: the result screen is not left before the PUK is recorded…
    await page.getByTestId('nav-queue').click();
    await page.getByTestId('leave-blocked').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('result-panel').isVisible()).toBe(true);
    // …and a reload (F5) keeps the officer logged in on the same screen with the same PUK.
    await page.reload();
    await page.locator(`[data-testid="production-screen"][data-job-id="${jobId}"]`).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('session-officer').isVisible()).toBe(true);
    await page.getByTestId('puk-value').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(((await page.getByTestId('puk-value').textContent()) ?? '').trim()).toBe(puk);
    await station.screenshot('04b-result-after-reload');
    expect(await confirmSecretsRecorded(page)).toBe(puk);

    // Reopened from the queue, the job shows its result but no longer the PUK.
    await openJobFromQueue(page, jobId);
    await page.getByTestId('result-panel').waitFor({ state: 'visible' });
    await station.screenshot('05-reopened-from-queue');
    expect(await page.getByTestId('puk-value').count()).toBe(0);
    expect(await page.content()).not.toContain(puk);

    // Issue 12 obs. 1: Produce is not offered onto the issued card, with the reason and who can help.
    await goToIssue(page);
    await chooseReader(page, VPCD_READER);
    const problem = (await page.getByTestId('card-problem').textContent()) ?? '';
    expect(problem).toMatch(/is issued \(card \d{6,8} of Katherine Johnson\)/);
    expect(problem).toMatch(/a security officer revokes and recycles it/);
    expect(await page.getByTestId('produce-button').isDisabled()).toBe(true);
    expect(await page.getByTestId('produce-disabled-reason').isVisible()).toBe(true);
    await station.screenshot('06-issued-card-not-offered');

    // OpenSC judges the card: four certificates, exactly the ones the station issued for this job.
    const listed = await runTool('pkcs15-tool', ['--reader', VPCD_READER, '--list-certificates']);
    expect(listed.code, listed.stderr).toBe(0);
    expect([...listed.stdout.matchAll(/X\.509 Certificate \[/g)]).toHaveLength(4);
    const onCard = [...listed.stdout.matchAll(/Encoded serial\s*:\s*02 [0-9A-F]{2} ([0-9A-F]+)/g)].map((m) => m[1]!).sort();
    expect(onCard).toHaveLength(4);
    const issued = certificatesOfJob(station.dataDir, jobId).filter((c) => c.status === 'valid');
    expect(issued.map((c) => c.slot).sort()).toEqual(SLOTS);
    expect(onCard).toEqual(issued.map((c) => c.serial).sort());
  });
});
