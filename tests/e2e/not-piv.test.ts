/**
 * A card without the PIV application in the reader: the readers panel says
 * "Not a PIV card…", the issue flow shows the card-problem message and
 * Produce stays disabled; the station never sends the card anything beyond
 * its recognition probe.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startE2eStation, type E2eStation } from '../support/e2e-harness.js';
import { insertNotPivCard, removeNotPivCard, VPCD_READER, closeReaders } from '../support/e2e-cards.js';
import { seedPersons } from '../support/e2e-store.js';
import type { MinimalVicc } from '../support/minimal-vicc.js';
import { Ins } from '../../electron/core/piv/constants.js';
import { chooseProfile, chooseReader, goToIssue, readerRow, searchAndSelectPerson, typePin, waitForReaderKind } from '../support/e2e-ui.js';

/** Offset of INS in a C-APDU (ISO 7816-4 §5.1). */
const APDU_INS_OFFSET = 1;

let station: E2eStation;
let card: MinimalVicc | undefined;

beforeAll(async () => {
  station = await startE2eStation('not-piv', {
    seed: (dir) => seedPersons(dir, [{ givenName: 'Edsger', surname: 'Dijkstra', email: 'edsger.dijkstra@example.test', employeeId: 'V-1930', affiliation: 'visitor' }]).then(() => undefined),
  });
});

afterAll(async () => {
  if (card) await removeNotPivCard(card).catch(() => undefined);
  await station?.close();
  await closeReaders();
});

describe('a card that is not a PIV card', () => {
  test('readers panel says so; the issue flow shows the card problem and Produce stays disabled', async () => {
    const { page } = station;
    await station.open();
    card = await insertNotPivCard();

    const kind = await waitForReaderKind(page, VPCD_READER, /Not a PIV card/);
    expect(kind).toContain('Not a PIV card — this card cannot be personalized');
    expect(await readerRow(page, VPCD_READER).textContent()).toContain('Card present');
    await station.screenshot('01-readers');

    await goToIssue(page);
    await searchAndSelectPerson(page, 'Dijk', 'Dijkstra');
    await chooseProfile(page, 'visitor');
    await chooseReader(page, VPCD_READER);
    await typePin(page, '482916');

    const problem = page.getByTestId('card-problem');
    await problem.waitFor({ state: 'visible' });
    expect(await problem.textContent()).toContain(`The card in ${VPCD_READER} is not a PIV card. Insert a blank PIV card.`);
    await station.screenshot('02-card-problem');
    const produce = page.getByTestId('produce-button');
    expect(await produce.isDisabled()).toBe(true);
    // A click on the disabled button starts nothing.
    await produce.click({ force: true });
    expect(await page.getByTestId('production-screen').count()).toBe(0);

    // The station only probed (SELECT); it never tried to personalize the card.
    expect(card.apdus.length).toBeGreaterThan(0);
    expect(card.apdus.filter((a) => a[APDU_INS_OFFSET] !== Ins.SELECT)).toEqual([]);
  });
});
