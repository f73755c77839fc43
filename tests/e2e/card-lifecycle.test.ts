/**
 * Card lifecycle on the Cards screen (issue 5), end to end: a card produced
 * in the browser on a virtual PIV card behind the real pcscd, then
 * - its blocked PIN unlocked at the desk on screen: yubico-piv-tool, not our
 *   code, verifies the cardholder's new PIN on the card;
 * - with the card pulled, suspended → resumed → revoked (key compromise) on
 *   screen: after each, `openssl verify -crl_check` judges the card's 9A
 *   certificate against the CRL file the station published, and
 *   `openssl crl -text` shows the reason;
 * - reissued on screen onto a blank card: the production screen follows the
 *   replacement to done, its certificate verifies, and it appears as a
 *   produced request with its own card number.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startE2eStation, type E2eStation } from '../support/e2e-harness.js';
import { insertPivCard, removePivCard, runTool, VPCD_READER, closeReaders, type PivCardProcess } from '../support/e2e-cards.js';
import { station as stationCli } from '../support/station-cli.js';
import { chooseProfile, chooseReader, confirmSecretsRecorded, goToIssue, produce, registerPerson, typePin, until, waitForOutcome, waitForReaderKind, PRODUCTION_TIMEOUT_MS, UI_TIMEOUT_MS } from '../support/e2e-ui.js';

const PIN = '357913';
const NEW_PIN = '864202';
const WRONG_PIN = '000777';
/** SP 800-73-4 leaves the retry count to the issuer; more than any profile sets, so the loop always reaches "blocked". */
const MAX_PIN_TRIES = 16;

let station: E2eStation;
let dir: string;
let card: PivCardProcess | undefined;
/** The produced card: its record id and the 9A certificate (PEM file) read from the card. */
let produced: { cardId: string; leaf: string; serial: string } | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-e2e-lifecycle-'));
  station = await startE2eStation('card-lifecycle', { directProduction: ['employee'] });
  const chain = await stationCli(station.dataDir, ['ca', 'chain']);
  expect(chain.code, chain.stderr).toBe(0);
  writeFileSync(join(dir, 'chain.pem'), chain.stdout);
}, 180_000);

afterAll(async () => {
  if (card) await removePivCard(card).catch(() => undefined);
  await station?.close();
  await closeReaders();
  rmSync(dir, { recursive: true, force: true });
});

/** yubico-piv-tool on the vpcd reader; a reader busy with the station's own probe is asked again (never a PIN attempt lost: only connection failures repeat). */
async function pivTool(args: string[]): Promise<{ code: number | null; text: string }> {
  return until(`yubico-piv-tool ${args[0]}`, async () => {
    const r = await runTool('yubico-piv-tool', ['-r', VPCD_READER, ...args]);
    const text = r.stdout + r.stderr;
    if (r.code !== 0 && /connect|SCard|reader/i.test(text) && !/pin|verif/i.test(text)) return undefined;
    return { code: r.code, text };
  });
}

/** `openssl verify -crl_check` of the 9A certificate against the chain and the CRL file the station published. */
async function verifyAgainstPublishedCrl(name: string): Promise<{ ok: boolean; verify: string; crlText: string }> {
  const der = join(dir, `${name}.der`);
  const pem = join(dir, `${name}.pem`);
  writeFileSync(der, readFileSync(join(station.dataDir, 'ca', 'crl', 'issuing.crl')));
  const conv = await runTool('openssl', ['crl', '-inform', 'DER', '-in', der, '-out', pem]);
  expect(conv.code, conv.stderr).toBe(0);
  const text = await runTool('openssl', ['crl', '-in', pem, '-noout', '-text']);
  const v = await runTool('openssl', ['verify', '-crl_check', '-CAfile', join(dir, 'chain.pem'), '-CRLfile', pem, produced!.leaf]);
  return { ok: v.code === 0 && v.stdout.includes(': OK'), verify: v.stdout + v.stderr, crlText: text.stdout };
}

/** Opens the Cards screen and the produced card's detail. */
async function openProducedCard(page: Page): Promise<void> {
  await page.getByTestId('nav-cards').click();
  await page.getByTestId('cards-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const row = page.locator(`[data-testid="card-row"][data-card-id="${produced!.cardId}"]`);
  await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await row.getByTestId('card-open').click();
  await page.locator(`[data-testid="card-detail"][data-card-id="${produced!.cardId}"]`).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/** Waits until the card detail shows `status` (the core's answer), else fails with what the screen says. */
async function waitForCardStatus(page: Page, status: string): Promise<void> {
  const detail = page.getByTestId('card-detail');
  await until(`the card to be ${status}`, async () => ((await detail.getAttribute('data-status')) === status ? true : undefined)).catch(async (e: Error) => {
    const error = await page.getByTestId('card-action-error').textContent().catch(() => null);
    throw new Error(`${e.message}; the screen says: ${error ?? (await detail.textContent())}`);
  });
}

describe('card lifecycle on the Cards screen', () => {
  test('a blocked PIN is unlocked at the desk on screen: yubico-piv-tool verifies the new PIN', async () => {
    const { page } = station;
    await station.open();
    card = await insertPivCard(join(dir, 'card.json'), { recognized: () => waitForReaderKind(page, VPCD_READER, /PIV card/) });
    await goToIssue(page);
    await registerPerson(page, { givenName: 'Mary', surname: 'Jackson', email: 'mary.jackson@example.test', employeeId: 'E-1921', affiliation: 'employee' });
    await chooseProfile(page, 'employee');
    await chooseReader(page, VPCD_READER);
    await typePin(page, PIN);
    await produce(page);
    expect(await waitForOutcome(page, PRODUCTION_TIMEOUT_MS), station.host.output()).toEqual({ kind: 'done' });
    await confirmSecretsRecorded(page);

    const cert = await pivTool(['-a', 'read-certificate', '-s', '9a']);
    expect(cert.code, cert.text).toBe(0);
    const leaf = join(dir, 'leaf.pem');
    writeFileSync(leaf, cert.text.slice(cert.text.indexOf('-----BEGIN CERTIFICATE-----')));
    const serial = (await runTool('openssl', ['x509', '-in', leaf, '-noout', '-serial'])).stdout.trim().replace(/^serial=/, '').toUpperCase();
    expect(serial).toMatch(/^[0-9A-F]+$/);

    // The Cards screen lists the new card with the certificate that is on it.
    await page.getByTestId('nav-cards').click();
    const rows = page.getByTestId('card-row');
    await rows.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await rows.count()).toBe(1);
    produced = { cardId: (await rows.first().getAttribute('data-card-id'))!, leaf, serial };
    await openProducedCard(page);
    const cert9a = page.locator('[data-testid="card-cert"][data-slot="9a"], [data-testid="card-cert"][data-slot="9A"]');
    expect((await cert9a.getAttribute('data-serial'))!.replace(/^0+/, '')).toBe(serial.replace(/^0+/, ''));
    expect(await page.getByTestId('card-person').textContent()).toBe('Mary Jackson');

    // The cardholder forgot the PIN: wrong tries until the card blocks it.
    let blocked = false;
    for (let i = 0; i < MAX_PIN_TRIES && !blocked; i++) {
      const r = await pivTool(['-a', 'verify-pin', '-P', WRONG_PIN]);
      expect(r.code).not.toBe(0);
      // "…, 2 tries left before pin is blocked" is not blocked yet.
      blocked = /blocked/i.test(r.text) && !/[1-9]\d* tries? left/i.test(r.text);
    }
    expect(blocked).toBe(true);
    expect((await pivTool(['-a', 'verify-pin', '-P', PIN])).code).not.toBe(0);

    await page.getByTestId('card-action-unlock').click();
    await selectReader(page);
    await page.getByTestId('unlock-pin').pressSequentially(NEW_PIN);
    await page.getByTestId('unlock-pin-confirm').pressSequentially(NEW_PIN);
    await station.screenshot('01-unlock');
    await page.getByTestId('desk-submit').click();
    const outcome = page.getByTestId('card-action-outcome');
    await outcome.waitFor({ state: 'visible', timeout: PRODUCTION_TIMEOUT_MS }).catch(async () => {
      throw new Error(`No unlock outcome; the screen says: ${await page.getByTestId('card-action-error').textContent().catch(() => '(nothing)')}`);
    });
    expect(await outcome.textContent()).toContain('PUK was rotated');
    await station.screenshot('02-unlocked');
    expect(await page.content()).not.toContain(NEW_PIN);

    const verified = await pivTool(['-a', 'verify-pin', '-P', NEW_PIN]);
    expect(verified.code, verified.text).toBe(0);
  }, 600_000);

  test('with the card pulled: suspend → resume → revoke (key compromise); openssl verify -crl_check judges the 9A certificate after each', async () => {
    expect(produced, 'the first test produced the card').toBeDefined();
    const { page } = station;
    if (card) {
      await removePivCard(card);
      card = undefined;
    }
    await openProducedCard(page);
    await page.getByTestId('crl-panel').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect((await verifyAgainstPublishedCrl('c0')).ok).toBe(true);

    await page.getByTestId('card-action-suspend').click();
    await waitForCardStatus(page, 'suspended');
    const held = await verifyAgainstPublishedCrl('c1');
    expect(held.ok, held.verify).toBe(false);
    expect(held.verify).toMatch(/certificate revoked/);
    expect(held.crlText).toContain(`Serial Number: ${produced!.serial}`);
    expect(held.crlText).toContain('Certificate Hold');
    await expect.poll(async () => page.getByTestId('crl-revoked-count').textContent(), { timeout: UI_TIMEOUT_MS }).toBe('4');

    await page.getByTestId('card-action-resume').click();
    // Never activated: it comes back awaiting collection (issue 10, finding 3).
    await waitForCardStatus(page, 'produced');
    const released = await verifyAgainstPublishedCrl('c2');
    expect(released.ok, released.verify).toBe(true);
    expect(released.crlText).not.toContain(produced!.serial);

    await page.getByTestId('card-action-revoke').click();
    await page.getByTestId('revoke-reason').selectOption('key-compromise');
    await page.getByTestId('revoke-continue').click();
    const confirmation = (await page.getByTestId('revoke-confirmation').textContent()) ?? '';
    expect(confirmation).toContain('Mary Jackson');
    expect(confirmation).toContain('cannot be undone');
    await station.screenshot('03-revoke-confirmation');
    await page.getByTestId('revoke-confirm').click();
    await waitForCardStatus(page, 'revoked');
    await station.screenshot('04-revoked');
    const revoked = await verifyAgainstPublishedCrl('c3');
    expect(revoked.ok, revoked.verify).toBe(false);
    expect(revoked.verify).toMatch(/certificate revoked/);
    expect(revoked.crlText).toContain(`Serial Number: ${produced!.serial}`);
    expect(revoked.crlText).toContain('Key Compromise');
    const certStates = await page.getByTestId('card-cert').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(certStates).toEqual(['revoked', 'revoked', 'revoked', 'revoked']);
    // A revoked card offers no suspend, resume or revoke any more.
    for (const gone of ['suspend', 'resume', 'revoke']) expect(await page.getByTestId(`card-action-${gone}`).count()).toBe(0);
  }, 300_000);

  test('reissue on screen: the replacement is produced on a blank card through the production screen and appears as a produced request', async () => {
    expect(produced, 'the first test produced the card').toBeDefined();
    const { page } = station;
    card = await insertPivCard(join(dir, 'blank.json'), { recognized: () => waitForReaderKind(page, VPCD_READER, /PIV card/) });
    await openProducedCard(page);
    const oldNumber = ((await page.getByTestId('card-number').textContent()) ?? '').trim();
    expect(oldNumber).toMatch(/^\d{8}$/);
    await page.getByTestId('card-action-reissue').click();
    await page.getByTestId('reissue-reason').selectOption('damaged');
    await selectReader(page);
    await typePin(page, PIN);
    await station.screenshot('05-reissue');
    await page.getByTestId('reissue-submit').click();
    expect(await waitForOutcome(page, PRODUCTION_TIMEOUT_MS), station.host.output()).toEqual({ kind: 'done' });
    await station.screenshot('06-replacement-produced');
    await confirmSecretsRecorded(page);

    // The replacement's 9A certificate is valid against the published CRL, where the old card's still stands revoked.
    const cert = await pivTool(['-a', 'read-certificate', '-s', '9a']);
    expect(cert.code, cert.text).toBe(0);
    const replacementLeaf = join(dir, 'replacement.pem');
    writeFileSync(replacementLeaf, cert.text.slice(cert.text.indexOf('-----BEGIN CERTIFICATE-----')));
    const crl = join(dir, 'c4.pem');
    expect((await runTool('openssl', ['crl', '-inform', 'DER', '-in', join(station.dataDir, 'ca', 'crl', 'issuing.crl'), '-out', crl])).code).toBe(0);
    const v = await runTool('openssl', ['verify', '-crl_check', '-CAfile', join(dir, 'chain.pem'), '-CRLfile', crl, replacementLeaf]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect((await runTool('openssl', ['verify', '-crl_check', '-CAfile', join(dir, 'chain.pem'), '-CRLfile', crl, produced!.leaf])).code).not.toBe(0);

    // The replacement went through the request workflow: a produced request for Mary Jackson with the new card's number.
    await page.getByTestId('nav-cards').click();
    const replacementRow = page.locator('[data-testid="card-row"][data-status="produced"]');
    await replacementRow.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const number = ((await replacementRow.locator('td').nth(1).textContent()) ?? '').trim();
    expect(number).toMatch(/^\d{8}$/);
    expect(number).not.toBe(oldNumber);
    // Direct issue is a request too (issue 10's rule book), so Mary Jackson has exactly two, both
    // produced: the first card's (revoked since; the request stays produced) and the replacement's.
    // A third row would be a card produced twice.
    await page.getByTestId('nav-requests').click();
    await page.getByTestId('requests-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await page.getByTestId('request-filter-all').click();
    const marys = page.getByTestId('request-row').filter({ hasText: 'Mary Jackson' });
    const requests = await until('Mary Jackson\'s requests to be listed, all produced', async () => {
      const rows = await marys.evaluateAll((trs) =>
        trs.map((tr) => ({ id: tr.getAttribute('data-request-id'), state: tr.getAttribute('data-state'), cardNumber: (tr.querySelectorAll('td')[3]?.textContent ?? '').trim() })),
      );
      return rows.length >= 2 && rows.every((r) => r.state === 'produced') ? rows : undefined;
    });
    expect(requests).toHaveLength(2);
    expect(new Set(requests.map((r) => r.id)).size).toBe(2);
    expect(requests.map((r) => r.cardNumber).sort()).toEqual([oldNumber, number].sort());
  }, 600_000);
});

/** Chooses the vpcd reader in the desk form's reader select. */
async function selectReader(page: Page): Promise<void> {
  const select = page.getByTestId('desk-reader-select');
  await select.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  await select.selectOption(VPCD_READER);
  await until('the card to be present in the chosen reader', async () => ((await page.getByTestId('desk-waiting-for-card').count()) === 0 ? true : undefined));
}
