/**
 * The Persons screen in the browser (issue 4): a registration officer imports
 * a CSV file (a file with one bad line first: the dry run shows the line and
 * nothing is imported; the mended file then imports), finds an imported
 * person by browsing (affiliation filter, pages) and by search, and edits
 * them. 120 persons are seeded with `station person import`, so the list has
 * several pages and the CLI's import goes through the same core rules.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startE2eStation, type E2eStation } from '../support/e2e-harness.js';
import { station as stationCli } from '../support/station-cli.js';
import { login, type E2eOfficer } from '../support/e2e-session.js';
import { until, UI_TIMEOUT_MS } from '../support/e2e-ui.js';

const REGINA: E2eOfficer = { username: 'regina', displayName: 'Regina Registrar', password: 'regina e2e passphrase', roles: ['registration'] };
const HEADER = 'given_name,surname,email,employee_id,affiliation';
const SEEDED = 120;

let station: E2eStation;

beforeAll(async () => {
  station = await startE2eStation('persons', {
    seed: async (dataDir) => {
      const r = await stationCli(dataDir, ['officer', 'add', '--username', REGINA.username, '--display-name', REGINA.displayName, '--roles', REGINA.roles.join(',')], { env: { STATION_NEW_PASSWORD: REGINA.password } });
      if (r.code !== 0) throw new Error(r.stderr);
      const dir = mkdtempSync(join(tmpdir(), 'persons-seed-'));
      try {
        const rows = Array.from({ length: SEEDED }, (_, i) => `Seed,Employee${String(i).padStart(3, '0')},,S-${i},employee`);
        writeFileSync(join(dir, 'seed.csv'), `${HEADER}\n${rows.join('\n')}\n`);
        const imported = await stationCli(dataDir, ['person', 'import', join(dir, 'seed.csv')]);
        if (imported.code !== 0) throw new Error(imported.stderr);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  });
});

afterAll(async () => {
  await station?.close();
});

describe('Persons screen in the browser', () => {
  test('import (bad line refused, mended file imported) → browse → search → edit', async () => {
    const { page } = station;
    await page.goto(station.host.url, { waitUntil: 'domcontentloaded' });
    await page.getByTestId('login-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await login(page, REGINA);
    await page.getByTestId('nav-persons').click();
    const info = page.getByTestId('persons-page-info');
    await until('the first page', async () => ((await info.getAttribute('data-total')) === String(SEEDED) ? true : undefined));
    expect(await info.textContent()).toBe(`1–50 of ${SEEDED} persons`);

    // A file with one bad line: the dry run names it, and nothing is imported.
    const good = `${HEADER}\nKatherine,Johnson,katherine@example.test,C-1918,contractor\n"Hopper, Grace",Hopper,,C-1906,contractor\n`;
    const bad = good.replace('C-1906,contractor', 'C-1906,astronaut');
    const file = page.getByTestId('persons-import-file');
    await file.setInputFiles({ name: 'contractors.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    const problem = page.getByTestId('persons-import-problem');
    await problem.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await problem.allTextContents()).toEqual(['Line 3: affiliation must be employee, contractor or visitor']);
    expect(await page.getByTestId('persons-import-run').count()).toBe(0);
    await station.screenshot('01-import-bad-line');
    await page.getByTestId('persons-filter-contractor').click();
    await until('the contractor filter', async () => ((await info.getAttribute('data-total')) === '0' ? true : undefined));

    // The mended file: the dry run counts two persons, then the import adds them.
    await file.setInputFiles({ name: 'contractors.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    const preview = page.getByTestId('persons-import-preview');
    await preview.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await preview.getAttribute('data-count')).toBe('2');
    await station.screenshot('02-import-preview');
    await page.getByTestId('persons-import-run').click();
    await page.getByTestId('persons-import-done').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('persons-import-done').textContent()).toBe('2 persons imported.');

    // Browsing: the contractors are the two imported, by surname; everyone is now 122 on three pages.
    await page.getByTestId('persons-filter-contractor').click();
    await until('two contractors', async () => ((await info.getAttribute('data-total')) === '2' ? true : undefined));
    const rows = page.getByTestId('persons-row');
    expect((await rows.allTextContents()).map((t) => t.slice(0, 20))).toEqual([expect.stringMatching(/^HopperHopper, Grace/), expect.stringMatching(/^JohnsonKatherine/)]);
    await page.getByTestId('persons-filter-all').click();
    await until('everyone', async () => ((await info.getAttribute('data-total')) === String(SEEDED + 2) ? true : undefined));
    await page.getByTestId('persons-next').click();
    await page.getByTestId('persons-next').click();
    await until('the last page', async () => ((await info.getAttribute('data-offset')) === '100' ? true : undefined));
    expect(await rows.count()).toBe(22);
    await station.screenshot('03-browse-last-page');

    // Search finds an imported person; the detail shows the record; Edit changes it.
    await page.getByTestId('person-search').pressSequentially('Johnson', { delay: 30 });
    await page.getByTestId('person-result').filter({ hasText: 'Katherine Johnson' }).first().click();
    const detail = page.getByTestId('person-detail');
    await detail.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('person-detail-employee-id').textContent()).toBe('C-1918');
    await page.getByTestId('person-edit').click();
    await page.getByTestId('edit-person-email').fill('kj@example.test');
    await page.getByTestId('edit-person-save').click();
    await until('the edited e-mail', async () => ((await page.getByTestId('person-detail-email').textContent().catch(() => null)) === 'kj@example.test' ? true : undefined));
    await station.screenshot('04-person-edited');

    // The edit reached the core: a fresh search shows the new e-mail in the result.
    await page.getByTestId('person-search').fill('');
    await page.getByTestId('person-search').pressSequentially('kj@exa', { delay: 30 });
    await page.getByTestId('person-result').filter({ hasText: 'Katherine Johnson' }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(station.browserLog.filter((l) => l.startsWith('pageerror'))).toEqual([]);
  });
});
