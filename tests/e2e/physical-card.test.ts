/**
 * The physical card in the browser (issue 11), through the real CUPS with Debian's cups-pdf as the
 * card printer (scripts/ensure-cupsd.sh: queue "PIV-Station-PDF"), pcscd and vpcd:
 *
 * - a person photographed with Chromium's fake camera (a synthetic face played from a Y4M file,
 *   granted without a prompt): the core's check, the portrait saved; a card requested, the
 *   approver sees the photo, approves; produced on the vpcd card: the card face is printed
 *   through CUPS after the chip is encoded, and the PDF cups-pdf writes (waited for by its file
 *   event) is rendered by pdftoppm and read by pdftotext: name, card number, expiration date;
 *   the chip's facial image, read with the PIN by yubico-piv-tool, is judged without the
 *   station's code: CBEFF header parsed in the test, JPEG decoded by poppler, FASC-N and UUID
 *   matched with the CHUID, signature block verified by openssl;
 * - a batch of four on the vpcd reader, each card encoded then printed in order; the queue
 *   stopped before the third card fails its print alone; enabled again, Retry prints that card
 *   without touching its chip, and the batch goes on.
 *
 * Screenshots (capture, approval, production with the card face, the printed PDF's render, the
 * batch) go to test-results/screenshots.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import type { BatchView, JobDetail } from '../../electron/contract/station-api.js';
import { SCREENSHOT_DIR, startE2eStation, type E2eStation } from '../support/e2e-harness.js';
import { closeReaders, insertPivCard, removePivCard, runTool, VPCD_READER, type PivCardProcess } from '../support/e2e-cards.js';
import { chooseReader, confirmSecretsRecorded, produce, startBatchOnReader, typePin, until, waitForOutcome, waitForReaderKind, PRODUCTION_TIMEOUT_MS, UI_TIMEOUT_MS } from '../support/e2e-ui.js';
import { addOfficer, approve, chooseApprovedRequest, login, logout, pendingRow, registerPersonForRequest, requestCard, requestState, E2E_OPERATOR, type E2eOfficer } from '../support/e2e-session.js';
import { openBridge } from '../support/e2e-bridge.js';
import { patchConfig } from '../support/e2e-config.js';
import { syntheticPhoto, syntheticY4m } from '../support/portrait-images.js';
import { cardPdfs, createCupsPdfQueue, cupsJobNumber, pdfText, printedDate, removeCupsPdfQueue, renderPdf, setQueueEnabled, waitForCardPdf } from '../support/cups-pdf.js';
import { chuidIds, decodeWithPoppler, faceRecordImage, opensslVerifyBiometric, parseCbeff, readTlvs, signedAttribute } from '../support/facial-image-check.js';

const PIN = '246810';
/** Approves requests; sees the cardholder's photo while deciding. */
const ARTHUR: E2eOfficer = { username: 'arthur', displayName: 'Arthur Approver', password: 'arthur e2e passphrase', roles: ['approver'] };
/** The guide's crop of a 640 × 480 frame (a centred 3:4 rectangle), as the capture screen sends it. */
const FRAME = { x: 0.21875, y: 0, width: 0.5625, height: 1 };
/** A batch card may take this long on vpcd (four keys, four certificates, the facial image, the print). */
const BATCH_TIMEOUT_MS = 900_000;

let station: E2eStation;
let dir: string;
/** This run's own cups-pdf queue, the station's card printer. */
let queue: string;
let card: PivCardProcess | undefined;

beforeAll(async () => {
  queue = await createCupsPdfQueue();
  dir = mkdtempSync(join(tmpdir(), 'piv-station-e2e-physical-'));
  // The fake camera films a synthetic head and shoulders (no real face), 640 × 480 like a desk webcam.
  const video = join(dir, 'camera.y4m');
  writeFileSync(video, await syntheticY4m({ width: 640, height: 480 }));
  station = await startE2eStation('physical-card', {
    fakeCamera: { file: video },
    seed: async (dataDir) =>
      patchConfig(dataDir, (c) => ({
        ...c,
        cardPrinter: { queue },
        // The operator who requests also produces (the approver is another officer): the agency setting that allows it.
        separationOfDuties: { producerDiffersFromRequester: false },
        // Every card printed after its chip is encoded, with the facial image sized for the room of Debian's
        // yubico-piv-tool 2.2, which reads at most 3063 bytes of an object.
        profiles: c.profiles.map((p) => ({ ...p, printing: 'after-encoding', biometrics: ['facial'], facialImageMaxBytes: 3000 })),
      })),
  });
});

afterAll(async () => {
  if (card) await removePivCard(card).catch(() => undefined);
  if (queue) await removeCupsPdfQueue(queue);
  await station?.close();
  await closeReaders();
  rmSync(dir, { recursive: true, force: true });
});

/** A second bridge connection logged in as the operator: the test's look at what the core holds. */
async function operatorBridge() {
  const side = openBridge(station.host.url);
  const login = await side.bridge.invoke('auth.login', { username: E2E_OPERATOR.username, password: E2E_OPERATOR.password });
  if (!login.ok) throw new Error(`side login: ${login.error.message}`);
  const call = async <T>(channel: Parameters<typeof side.bridge.invoke>[0], input: unknown): Promise<T> => {
    const r = await side.bridge.invoke(channel, input as never);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  return { call, close: side.close };
}

/** Whether `path` holds a PNG file (its 8-byte signature, ISO/IEC 15948 §5.2). */
const isPng = (path: string) => existsSync(path) && readFileSync(path).subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

/** An image element as the page has it (the tests compile without the DOM's types). */
type Img = { complete: boolean; naturalWidth: number; naturalHeight: number };
/** True once `img` has decoded to a picture (not a broken image). */
const decoded = (img: Locator) => img.evaluate((el) => (el as unknown as Img).complete && (el as unknown as Img).naturalWidth > 0);

describe('the physical card in the browser', () => {
  test('photographed with the camera, requested, approved with the photo in view, produced: face printed by CUPS, facial image on the chip', async () => {
    const { page } = station;
    await station.open();
    await addOfficer(page, ARTHUR);

    // Registered, then photographed on the Persons screen with the (fake) camera.
    await registerPersonForRequest(page, { givenName: 'Morgan', surname: 'Exemplar', email: 'morgan.exemplar@example.test', employeeId: 'E-4711', affiliation: 'employee' });
    await page.getByTestId('nav-persons').click();
    await page.getByTestId('persons-screen').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const row = page.getByTestId('persons-row').filter({ hasText: 'Exemplar' });
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await row.getByRole('button').first().click();
    const detail = page.getByTestId('person-detail');
    await detail.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await detail.getByTestId('person-photo-missing').textContent()).toBe('No photo');
    await detail.getByTestId('capture-start').click();
    const video = detail.getByTestId('capture-video');
    await video.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await until('the camera to show a picture', async () => ((await video.evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth)) > 0 ? true : undefined));
    await station.screenshot('01-camera-live');
    await detail.getByTestId('capture-take').click();
    const preview = detail.getByTestId('capture-preview');
    const checked = await until('the core to check the photo', async () => {
      if (await preview.isVisible()) return 'accepted';
      if (await detail.getByTestId('capture-refused').isVisible()) return `refused: ${(await detail.getByTestId('capture-finding').allTextContents()).join(' ')}`;
      if (await detail.getByTestId('capture-error').isVisible()) return `error: ${await detail.getByTestId('capture-error').textContent()}`;
      return undefined;
    });
    expect(checked).toBe('accepted');
    await until('the portrait preview to load', async () => ((await decoded(preview)) ? true : undefined));
    await station.screenshot('02-photo-checked');
    await detail.getByTestId('capture-save').click();
    expect(await detail.getByTestId('capture-saved').textContent({ timeout: UI_TIMEOUT_MS })).toBe('Photo saved.');
    const shown = detail.getByTestId('person-photo');
    await shown.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    expect(await shown.getAttribute('data-version')).toBe('1');

    // Requested; the approver sees the photo beside the request.
    const { requestId, state } = await requestCard(page, 'Exemplar', 'Morgan Exemplar', 'employee');
    expect(state).toBe('requested');
    await logout(page);
    await login(page, ARTHUR);
    const pending = await pendingRow(page, requestId);
    const photo = pending.getByTestId('person-photo');
    await photo.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await until('the approver’s photo to load', async () => ((await decoded(photo)) ? true : undefined));
    expect(await photo.evaluate((el) => [(el as unknown as Img).naturalWidth, (el as unknown as Img).naturalHeight])).toEqual([450, 600]);
    await station.screenshot('03-approver-sees-photo');
    await approve(page, requestId);
    await logout(page);

    // Produced on a vpcd card (3DES management key: yubico-piv-tool reads it afterwards).
    await login(page, E2E_OPERATOR);
    card = await insertPivCard(join(dir, 'card.json'), { tdes: true, recognized: () => waitForReaderKind(page, VPCD_READER, /PIV card/) });
    await chooseApprovedRequest(page, requestId);
    await chooseReader(page, VPCD_READER);
    await typePin(page, PIN);
    const jobId = await produce(page);
    // The card face of the approved card object, drawn by the core, while the chip is made.
    await page.getByTestId('card-face').waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const outcome = await waitForOutcome(page, PRODUCTION_TIMEOUT_MS);
    expect(outcome, station.host.output()).toEqual({ kind: 'done' });
    await until('the card face preview to load', async () => ((await decoded(page.getByTestId('card-face-front'))) ? true : undefined));
    // The artifacts the README shows: the card face preview, and (below) the printed PDF's render; written afresh by this run.
    const facePreview = join(SCREENSHOT_DIR, 'physical-card-04-produced-with-card-face.png');
    rmSync(facePreview, { force: true });
    expect(await station.screenshot('04-produced-with-card-face')).toBe(facePreview);
    expect(isPng(facePreview)).toBe(true);
    const rows = await page.getByTestId('step-row').evaluateAll((els) => els.map((r) => [r.getAttribute('data-step'), r.getAttribute('data-state')]));
    const order = rows.map(([s]) => s);
    // Printed after the chip was encoded and verified; the facial image written before the Security Object.
    expect(order.indexOf('print.card')).toBeGreaterThan(order.indexOf('verify'));
    expect(order.indexOf('object.facial-image')).toBeGreaterThan(-1);
    expect(order.indexOf('object.facial-image')).toBeLessThan(order.indexOf('object.security-object'));
    expect(rows.every(([, s]) => s === 'done')).toBe(true);
    // The result screen is left only once the officer says the PUK is recorded (issue 12).
    expect(await confirmSecretsRecorded(page)).toMatch(/^\d{8}$/);
    await expect.poll(() => requestState(page, requestId), { timeout: UI_TIMEOUT_MS }).toBe('produced');

    // The PDF cups-pdf wrote for this job, rendered by pdftoppm and read by pdftotext.
    const side = await operatorBridge();
    let job: JobDetail;
    let chain: { root: string; issuing: string };
    try {
      job = await side.call<JobDetail>('jobs.get', { jobId });
      chain = await side.call('ca.chain', {});
    } finally {
      side.close();
    }
    const pdf = await waitForCardPdf(jobId);
    const rendered = ['physical-card-05-printed-pdf-1.png', 'physical-card-05-printed-pdf-2.png'].map((f) => join(SCREENSHOT_DIR, f));
    rendered.forEach((f) => rmSync(f, { force: true }));
    await renderPdf(pdf, join(SCREENSHOT_DIR, 'physical-card-05-printed-pdf'));
    // One page per side: front and back.
    expect(rendered.map(isPng)).toEqual([true, true]);
    const text = await pdfText(pdf);
    expect(text).toContain('EXEMPLAR,');
    expect(text).toContain('MORGAN');
    expect(text).toContain(job.card!.credentialNumber);
    expect(text).toContain(printedDate(job.card!.expirationDate));
    expect(cardPdfs(jobId)).toHaveLength(1);

    // The facial image, read with the PIN by yubico-piv-tool, judged without the station's code.
    const read = await runTool('yubico-piv-tool', ['-r', VPCD_READER, '-a', 'verify-pin', '-P', PIN, '-a', 'read-object', '--id', '0x5FC108', '-f', 'binary', '-o', join(dir, 'facial.bin')]);
    expect(read.code, read.stderr).toBe(0);
    const chuidRead = await runTool('yubico-piv-tool', ['-r', VPCD_READER, '-a', 'read-object', '--id', '0x5FC102', '-f', 'binary', '-o', join(dir, 'chuid.bin')]);
    expect(chuidRead.code, chuidRead.stderr).toBe(0);
    const object = readTlvs(new Uint8Array(readFileSync(join(dir, 'facial.bin'))));
    expect(object.map((t) => t.tag)).toEqual([0xbc, 0xfe]);
    const cbeff = parseCbeff(object[0]!.value);
    const chuid = chuidIds(new Uint8Array(readFileSync(join(dir, 'chuid.bin'))));
    expect(cbeff).toMatchObject({ patronHeaderVersion: 3, securityOptions: 0x0d, formatOwner: 0x001b, formatType: 0x0501, biometricType: 2, creator: 'PIV Station' });
    expect(cbeff.fascn).toBe(chuid.fascn);
    const face = faceRecordImage(cbeff.dataBlock);
    const jpeg = await decodeWithPoppler(face.jpeg, dir);
    expect([jpeg.width, jpeg.height]).toEqual([face.width, face.height]);
    expect(jpeg.spread).toBeGreaterThan(10);
    writeFileSync(join(dir, 'chuid-sig.der'), chuid.signature);
    const signer = await runTool('openssl', ['pkcs7', '-inform', 'DER', '-in', join(dir, 'chuid-sig.der'), '-print_certs']);
    const verified = await opensslVerifyBiometric(cbeff, signer.stdout, chain.root + chain.issuing, dir);
    expect(verified.verified, verified.output).toBe(true);
    expect(signedAttribute(verified.asn1, '2.16.840.1.101.3.6.6')).toBe(chuid.fascn);
    expect(signedAttribute(verified.asn1, '1.3.6.1.1.16.4')).toBe(chuid.guid);

    await removePivCard(card);
    card = undefined;
  });

  test(
    'a batch of four: each card encoded then printed, in order; a stopped queue fails the third card’s print alone, Retry prints it',
    async () => {
      const { page } = station;
      await station.open();
      // Four visitors (their cards need no approval), photographed through the core as an import would.
      const side = await operatorBridge();
      const requestIds: string[] = [];
      try {
        for (const [i, surname] of ['Alpha', 'Bravo', 'Charlie', 'Delta'].entries()) {
          const person = await side.call<{ id: string }>('persons.add', { givenName: 'Batch', surname, affiliation: 'visitor', employeeId: `V-90${i}` });
          const image = Buffer.from(await syntheticPhoto({ width: 640, height: 480, background: 170 + i * 10 })).toString('base64');
          await side.call('persons.setPhoto', { personId: person.id, image, source: 'file', crop: FRAME });
          const request = await side.call<{ id: string; state: string }>('requests.create', { personId: person.id, profile: 'visitor' });
          expect(request.state).toBe('approved');
          requestIds.push(request.id);
        }
      } finally {
        side.close();
      }

      const panel = await startBatchOnReader(page, requestIds, VPCD_READER);
      const item = (id: string) => panel.locator(`[data-testid="batch-item"][data-request-id="${id}"]`);
      const settled = (id: string) =>
        until(
          `batch item ${id} to settle`,
          async () => {
            const state = await item(id).getAttribute('data-state');
            return state === 'done' || state === 'failed' ? state : undefined;
          },
          PRODUCTION_TIMEOUT_MS,
        );
      const printOf = async (id: string) => item(id).getByTestId('batch-item-print').getAttribute('data-print');

      // One blank card after the other in the vpcd reader: the batch takes each as it comes.
      for (const [i, id] of requestIds.entries()) {
        if (i === 2) await setQueueEnabled(queue, false, 'card hopper empty');
        // Paused while the card goes in: the harness reads the card's serial to know the reader holds
        // this card, and a batch connecting to it at the same moment would meet a card in use.
        await panel.getByTestId('batch-pause').click();
        await until('the batch to pause', async () => ((await panel.getAttribute('data-status')) === 'paused' ? true : undefined));
        card = await insertPivCard(join(dir, `batch-${i}.json`));
        await panel.getByTestId('batch-resume').click();
        const state = await settled(id);
        if (i !== 2) {
          expect(state, `${await item(id).textContent()}\n${station.host.output().slice(-4000)}`).toBe('done');
          expect(await printOf(id)).toBe('printed');
        } else {
          // Encoded, then the print failed on the stopped queue: that card alone.
          expect(state).toBe('failed');
          expect(await printOf(id)).toBe('failed');
          expect(await item(id).textContent()).toContain('card hopper empty');
          expect(await printOf(requestIds[0]!)).toBe('printed');
          await station.screenshot('06-batch-print-failed');
          await setQueueEnabled(queue, true);
          await item(id).getByTestId('batch-item-retry').click();
          // The item stays 'failed' until the core takes the retry: wait for it to leave that state (or the refusal) first.
          const retry = await until(`the retry of ${id} to be taken`, async () => {
            if ((await item(id).getAttribute('data-state')) !== 'failed') return 'taken';
            const refusal = panel.getByRole('alert');
            return (await refusal.isVisible()) ? `refused: ${await refusal.textContent()}` : undefined;
          });
          expect(retry).toBe('taken');
          expect(await settled(id), `${await item(id).textContent()}\n${station.host.output().slice(-4000)}`).toBe('done');
          await until('the retried card to be printed', async () => ((await printOf(id)) === 'printed' ? true : undefined));
        }
        await removePivCard(card);
        card = undefined;
      }
      await station.screenshot('07-batch-printed');
      expect(await panel.getByTestId('batch-done').textContent()).toBe('4 done');
      expect(await panel.getByTestId('batch-failed').textContent()).toBe('0 failed');

      // One print per card, in the order of the batch: CUPS numbers jobs as it takes them.
      const look = await operatorBridge();
      let batchView: BatchView;
      try {
        batchView = (await look.call<BatchView[]>('batches.list', {})).find((b) => b.items.some((it) => it.requestId === requestIds[0]))!;
      } finally {
        look.close();
      }
      const jobIds = requestIds.map((id) => batchView.items.find((it) => it.requestId === id)!.jobId!);
      const files = await Promise.all(jobIds.map((j) => waitForCardPdf(j)));
      expect(jobIds.map((j) => cardPdfs(j).length)).toEqual([1, 1, 1, 1]);
      const numbers = files.map(cupsJobNumber);
      expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
      for (const [i, file] of files.entries()) expect(await pdfText(file)).toContain(`${['ALPHA', 'BRAVO', 'CHARLIE', 'DELTA'][i]},`);
    },
    BATCH_TIMEOUT_MS,
  );
});
