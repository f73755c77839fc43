/**
 * Issue 11 through the real services: a card produced on a virtual card in vpcd (real pcscd) has
 * its face printed through the real CUPS into Debian's cups-pdf queue (scripts/ensure-cupsd.sh
 * makes "PIV-Station-PDF"). The PDF cups-pdf writes is rendered by pdftoppm and read by pdftotext;
 * the Cardholder Facial Image is read (PIN-protected) by yubico-piv-tool and judged without the
 * station's code (tests/support/facial-image-check.ts): CBEFF header parsed here, JPEG decoded by
 * poppler, FASC-N and UUID matched with the CHUID, signature block verified by openssl. A stopped
 * queue fails the print step; after the queue is enabled again, a retry completes the card.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStationRoot, type Station } from '../../electron/boot/open-station.js';
import { DEFAULT_CONFIG } from '../../electron/core/config/station-config.js';
import type { JobDetail } from '../../electron/contract/station-api.js';
import { withVpcdCard, run } from '../support/vpcd-card.js';
import { syntheticPhoto } from '../support/portrait-images.js';
import { jobEndings } from '../support/job-events.js';
import { ok } from '../support/results.js';
import { cardPdfs, createCupsPdfQueue, pdfText, printedDate, removeCupsPdfQueue, renderPdf, setQueueEnabled, waitForCardPdf } from '../support/cups-pdf.js';
import { chuidIds, decodeWithPoppler, faceRecordImage, opensslVerifyBiometric, parseCbeff, readTlvs, signedAttribute } from '../support/facial-image-check.js';

const PIN = '246810';
const FRAME = { x: 0.21875, y: 0, width: 0.5625, height: 1 };
const ARTIFACTS = join(process.cwd(), 'test-results', 'card-printing');

let dir: string;
/** This run's own cups-pdf queue. */
let QUEUE: string;
let stationDir: string;
let station: Station;
let open = false;

async function closeStation(): Promise<void> {
  if (!open) return;
  open = false;
  await station.close();
}

/**
 * Opens the station (its core watches the readers) once the test's card is in vpcd, so its card
 * probe never races withVpcdCard's own look at the card; logs the print officer in.
 */
async function openPrintStation(): Promise<void> {
  station = await openStationRoot({ dataDir: stationDir, training: true });
  open = true;
  if (!station.store.officers.getByUsername('printer')) {
    await station.officers.add({ username: 'printer', displayName: 'Print Officer', password: 'correct horse battery staple', roles: ['admin', 'registration', 'production'] }, { kind: 'anonymous' });
  }
  ok(await station.core().dispatch('auth.login', { username: 'printer', password: 'correct horse battery staple' }));
}

beforeAll(async () => {
  QUEUE = await createCupsPdfQueue();
  dir = mkdtempSync(join(tmpdir(), 'piv-station-print-'));
  const dataDir = join(dir, 'station');
  mkdirSync(dataDir);
  mkdirSync(ARTIFACTS, { recursive: true });
  // Room for the facial image as on cards that hold about 3 KB per object (and as Debian's yubico-piv-tool 2.2 reads: at most
  // 3063 bytes of an object): the station sizes the image to fit.
  const profiles = DEFAULT_CONFIG.profiles.map((p) => ({ ...p, approvalRequired: false, printing: 'after-encoding', biometrics: ['facial'], facialImageMaxBytes: 3000 }));
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ ...DEFAULT_CONFIG, profiles, cardPrinter: { queue: QUEUE }, separationOfDuties: { producerDiffersFromRequester: false } }, null, 2));
  stationDir = dataDir;
});

afterEach(async () => {
  // Closed also when a test failed half-way, so the next card is not probed by a stale core.
  await closeStation().catch(() => undefined);
});

afterAll(async () => {
  if (QUEUE) await removeCupsPdfQueue(QUEUE);
  rmSync(dir, { recursive: true, force: true });
});

async function personWithPhoto(givenName: string, surname: string): Promise<string> {
  const core = station.core();
  const personId = ok<{ id: string }>(await core.dispatch('persons.add', { givenName, surname, affiliation: 'employee', employeeId: `${Date.now() % 1_000_000}` })).id;
  const image = Buffer.from(await syntheticPhoto({ width: 640, height: 480 })).toString('base64');
  expect(ok<{ accepted: boolean }>(await core.dispatch('persons.setPhoto', { personId, image, source: 'camera', crop: FRAME })).accepted).toBe(true);
  return personId;
}

describe('the physical card through CUPS, pcscd and independent clients', () => {
  test('card face printed by cups-pdf with the chip’s data; the facial image judged by yubico-piv-tool, poppler and openssl', async () => {
    // A 3DES-default card, so Debian's yubico-piv-tool can authenticate to read with the PIN afterwards.
    await withVpcdCard({ cardOptions: { managementKeyAlgorithm: 'TDEA' } }, async ({ reader }) => {
      await openPrintStation();
      const core = station.core();
      const personId = await personWithPhoto('Katherine', 'Johnson');
      const events = jobEndings(core);
      const { jobId } = ok<{ jobId: string }>(await core.dispatch('production.start', { personId, readerName: reader, pin: PIN }));
      const end = await events.ended(jobId);
      const job = ok<JobDetail>(await core.dispatch('jobs.get', { jobId }));
      expect(end.type, JSON.stringify(job.failure)).toBe('job.finished');

      // The PDF cups-pdf wrote for this job (its title carries the job id).
      const pdfPath = await waitForCardPdf(jobId);
      const png = join(ARTIFACTS, 'printed-card');
      await renderPdf(pdfPath, png);
      expect(existsSync(`${png}-1.png`)).toBe(true);
      const text = await pdfText(pdfPath);
      expect(text).toContain('JOHNSON,');
      expect(text).toContain('KATHERINE');
      expect(text).toContain(job.card!.credentialNumber);
      const [y, m, d] = job.card!.expirationDate.split('-');
      expect(text).toContain(printedDate(job.card!.expirationDate));

      // The station lets go of the reader (its core watches and probes cards) before another client uses it.
      const anchors = await station.ca.trustAnchors();
      await closeStation();

      // The facial image, read with the PIN by yubico-piv-tool, and the CHUID.
      const read = await run('yubico-piv-tool', ['-r', reader, '-a', 'verify-pin', '-P', PIN, '-a', 'read-object', '--id', '0x5FC108', '-f', 'binary', '-o', join(dir, 'facial.bin')]);
      expect(read.code, read.stderr).toBe(0);
      const chuidRead = await run('yubico-piv-tool', ['-r', reader, '-a', 'read-object', '--id', '0x5FC102', '-f', 'binary', '-o', join(dir, 'chuid.bin')]);
      expect(chuidRead.code, chuidRead.stderr).toBe(0);
      const object = readTlvs(new Uint8Array(readFileSync(join(dir, 'facial.bin'))));
      expect(object.map((t) => t.tag)).toEqual([0xbc, 0xfe]);
      const cbeff = parseCbeff(object[0]!.value);
      const chuid = chuidIds(new Uint8Array(readFileSync(join(dir, 'chuid.bin'))));
      expect(cbeff).toMatchObject({ patronHeaderVersion: 3, securityOptions: 0x0d, formatOwner: 0x001b, formatType: 0x0501, biometricType: 2, quality: -2, creator: 'PIV Station', reserved: 0 });
      expect(cbeff.dataType & 0xe0).toBe(0x20);
      expect(cbeff.fascn).toBe(chuid.fascn);
      expect(cbeff.validTo).toBe(`${y}${m}${d}000000Z`);
      // The JPEG, decoded by poppler: the size the record states, a picture (not one flat colour).
      const face = faceRecordImage(cbeff.dataBlock);
      expect(face).toMatchObject({ faceImageType: 1, imageDataType: 0 });
      const decoded = await decodeWithPoppler(face.jpeg, dir);
      expect([decoded.width, decoded.height]).toEqual([face.width, face.height]);
      expect(decoded.spread).toBeGreaterThan(10);
      writeFileSync(join(ARTIFACTS, 'chip-facial-image.jpg'), face.jpeg);
      // The signature block: openssl verifies it with the CHUID's signer over header ‖ data block, signing the card's FASC-N and UUID.
      writeFileSync(join(dir, 'chuid-sig.der'), chuid.signature);
      const signer = await run('openssl', ['pkcs7', '-inform', 'DER', '-in', join(dir, 'chuid-sig.der'), '-print_certs']);
      const pem = (der: Uint8Array) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
      const verified = await opensslVerifyBiometric(cbeff, signer.stdout, pem(anchors.root) + pem(anchors.issuing), dir);
      expect(verified.verified, verified.output).toBe(true);
      expect(verified.asn1).toMatch(/OBJECT\s*:2\.16\.840\.1\.101\.3\.6\.2/);
      expect(signedAttribute(verified.asn1, '2.16.840.1.101.3.6.6')).toBe(chuid.fascn);
      expect(signedAttribute(verified.asn1, '1.3.6.1.1.16.4')).toBe(chuid.guid);
      // Tampered bytes do not verify.
      const tampered = { ...cbeff, signed: Uint8Array.from(cbeff.signed, (b, i) => (i === cbeff.signed.length - 5 ? b ^ 1 : b)) };
      expect((await opensslVerifyBiometric(tampered, signer.stdout, pem(anchors.root) + pem(anchors.issuing), dir)).verified).toBe(false);
    });
  });

  test('a stopped queue fails the print step only; enabled again, the retry completes the card', async () => {
    await setQueueEnabled(QUEUE, false, 'out of cards');
    await withVpcdCard({}, async ({ reader }) => {
      await openPrintStation();
      const core = station.core();
      const personId = await personWithPhoto('Dorothy', 'Vaughan');
      const events = jobEndings(core);
      const { jobId } = ok<{ jobId: string }>(await core.dispatch('production.start', { personId, readerName: reader, pin: PIN }));
      expect((await events.ended(jobId)).type).toBe('job.failed');
      const failed = ok<JobDetail>(await core.dispatch('jobs.get', { jobId }));
      expect(failed).toMatchObject({ failedStep: 'print.card', errorCode: 'PRINTER_UNAVAILABLE', retryable: true });
      expect(failed.failure).toContain('out of cards');
      expect(failed.steps.filter((s) => s.status !== 'done').map((s) => s.name)).toEqual(['print.card', 'finish']);
      expect(cardPdfs(jobId)).toEqual([]);

      await setQueueEnabled(QUEUE, true);
      const from = events.seen.length;
      ok(await core.dispatch('jobs.retry', { jobId, readerName: reader, pin: PIN }));
      expect((await events.ended(jobId, from)).type).toBe('job.finished');
      const pdfPath = await waitForCardPdf(jobId);
      expect(await pdfText(pdfPath)).toContain('VAUGHAN,');
      // Exactly one print of this card.
      expect(cardPdfs(jobId)).toHaveLength(1);
      await closeStation();
    });
  });
});
