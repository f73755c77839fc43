/**
 * The physical half of production through the StationApi, on the training reader, with an
 * in-memory spooler (CUPS semantics; the real CUPS path is tests/integration/card-printing.test.ts):
 * the facial image step, printing after encoding, a stopped queue failing only the print step and a
 * retry that never touches the card, a crash between submitting and recording, cancelling a print
 * that keeps the chip, the photo rules, reprints and the PIN mailer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '../../../../electron/core/config/station-config.js';
import { ObjectTag } from '../../../../electron/core/piv/constants.js';
import { PivSession } from '../../../../electron/core/piv/session.js';
import { decodeSecurityObject } from '../../../../electron/core/piv/objects/security-object.js';
import type { JobDetail, CardDetailView } from '../../../../electron/contract/station-api.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';
import { MemorySpooler } from '../../../support/memory-spooler.js';
import { syntheticPhoto } from '../../../support/portrait-images.js';
import { jobEndings } from '../../../support/job-events.js';
import { ok } from '../../../support/results.js';
import { idprsRequestOps, storeCprPort } from '../../../../electron/core/workflow/cpr-station.js';

const run = promisify(execFile);
const QUEUE = 'PIV-Test-Printer';
const FRAME = { x: 0.21875, y: 0, width: 0.5625, height: 1 };

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A station whose employee cards print after encoding and carry the facial image. */
async function physicalStation(spooler: MemorySpooler, profile: Record<string, unknown> = {}) {
  const profiles = DEFAULT_CONFIG.profiles.map((p) => ({ ...p, approvalRequired: false, printing: 'after-encoding', biometrics: ['facial'], ...profile }));
  // One officer requests and produces (direct issue): the agency setting that allows it.
  t = await openTrainingStation({}, { config: { profiles, cardPrinter: { queue: QUEUE }, separationOfDuties: { producerDiffersFromRequester: false } }, spooler });
  await t.login();
  return t;
}

async function photographed(ts: TrainingStation, personId: string) {
  const image = Buffer.from(await syntheticPhoto({ width: 640, height: 480 })).toString('base64');
  return ok<{ accepted: boolean; photo: { version: number } | null }>(await ts.station.core().dispatch('persons.setPhoto', { personId, image, source: 'camera', crop: FRAME }));
}

/** A photographed person's card produced with the printer stopped: the chip done, the job failed at its print step. */
async function printFailed(spooler: MemorySpooler) {
  const ts = await physicalStation(spooler);
  const core = ts.station.core();
  const personId = ts.addPerson();
  await photographed(ts, personId);
  spooler.stop(QUEUE);
  const events = jobEndings(core);
  const { jobId } = ok<{ jobId: string }>(await core.dispatch('production.start', { personId, readerName: ts.readerName }));
  await events.ended(jobId);
  expect(ts.station.store.jobs.get(jobId)?.failedStep).toBe('print.card');
  return { ts, core, events, jobId };
}

async function pdfText(pdf: Uint8Array): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'printed-'));
  try {
    writeFileSync(join(dir, 'card.pdf'), pdf);
    return (await run('pdftotext', [join(dir, 'card.pdf'), '-'])).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('production with the card face and the facial image', () => {
  it('prints after encoding, writes a signed facial image the Security Object covers, and verification finds the printed card agrees with the chip', async () => {
    const spooler = new MemorySpooler();
    const ts = await physicalStation(spooler);
    const core = ts.station.core();
    const personId = ts.addPerson({ givenName: 'Grace', surname: 'Hopper' });
    await photographed(ts, personId);
    const events = jobEndings(core);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('production.start', { personId, readerName: ts.readerName }));
    expect((await events.ended(jobId)).type).toBe('job.finished');
    const job = ok<JobDetail>(await core.dispatch('jobs.get', { jobId }));
    const names = job.steps.map((s) => s.name);
    expect(names.slice(0, 3)).toEqual(['connect', 'identify', 'prepare.facial-image']);
    expect(names.indexOf('object.facial-image')).toBeLessThan(names.indexOf('object.security-object'));
    expect(names.slice(-3)).toEqual(['verify', 'print.card', 'finish']);
    expect(job.verification?.checks.find((c) => c.name === 'Facial image')).toMatchObject({ ok: true });
    // The profile allows 12 710 bytes; this card holds at most 3063 per object (its personality's limit):
    // it answered the write with 6A84 (nothing stored), and smaller images were offered until it took one.
    const steps = ts.station.store.jobs.steps(jobId);
    const prepared = steps.find((s) => s.name === 'prepare.facial-image')!.data!;
    const written = steps.find((s) => s.name === 'object.facial-image')!.data!;
    expect(prepared.bytes).toBeGreaterThan(3063);
    // The last size the card refused is above its limit; the one it took is within it.
    expect((written.resized as { refusedBytes: number }).refusedBytes).toBeGreaterThan(3063);
    expect((written.content as string).length / 2).toBeLessThanOrEqual(3063);
    const agrees = job.verification?.checks.find((c) => c.name === 'Printed card agrees with the chip');
    expect(agrees?.ok).toBe(true);
    expect(agrees?.skipped).toBeFalsy();
    // One card printed, titled with the production job id, showing the chip's data.
    const printed = spooler.printed(QUEUE);
    expect(printed.map((p) => p.title)).toEqual([`PIV card ${jobId}`]);
    // On card-size media: the one printer-independent fact the print carries.
    expect(printed[0]!.media).toEqual({ widthMm: 53.98, heightMm: 85.6 });
    const text = await pdfText(printed[0]!.pdf);
    expect(text).toContain('HOPPER,');
    expect(text).toContain('GRACE');
    expect(text).toContain(job.card!.credentialNumber);
    const expiry = job.card!.expirationDate.replace(/-(\d\d)-/, (_m, mm: string) => ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'][Number(mm) - 1]!);
    expect(text).toContain(expiry);
    // The Security Object maps the facial image (ContainerID 6030).
    const transport = await ts.reader.connect(ts.readerName);
    try {
      const s = new PivSession(transport);
      await s.select();
      const so = decodeSecurityObject((await s.getData(ObjectTag.SECURITY_OBJECT))!);
      expect(so.mapping.map((m) => m.containerId)).toContain(0x6030);
    } finally {
      await transport.close('reset');
    }
    expect(ts.station.store.audit.list({}).some((e) => e.action === 'card.printed' && e.jobId === jobId)).toBe(true);
  });

  it('a stopped printer fails the print step only; the retry prints without the card in the reader', async () => {
    const spooler = new MemorySpooler();
    const ts = await physicalStation(spooler);
    const core = ts.station.core();
    const personId = ts.addPerson();
    await photographed(ts, personId);
    spooler.stop(QUEUE, 'out of cards');
    const events = jobEndings(core);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('production.start', { personId, readerName: ts.readerName }));
    const failed = await events.ended(jobId);
    expect(failed.type).toBe('job.failed');
    const job = ok<JobDetail>(await core.dispatch('jobs.get', { jobId }));
    expect(job).toMatchObject({ failedStep: 'print.card', errorCode: 'PRINTER_UNAVAILABLE', retryable: true });
    expect(job.failure).toContain('out of cards');
    expect(job.steps.filter((s) => s.status !== 'done').map((s) => s.name)).toEqual(['print.card', 'finish']);
    // Nothing was queued on the stopped printer (it would hold the job and print it behind the station's back).
    expect(spooler.jobsSeen).toEqual([]);
    // The card leaves the reader: the retry must not need it.
    ts.reader.remove();
    spooler.start(QUEUE);
    const from = events.seen.length;
    ok(await core.dispatch('jobs.retry', { jobId, readerName: ts.readerName }));
    expect((await events.ended(jobId, from)).type).toBe('job.finished');
    expect(spooler.printed(QUEUE).map((p) => p.title)).toEqual([`PIV card ${jobId}`]);
    // The generated PIN set in the first run is the one handed over.
    expect(ok<{ pin?: string; puk?: string }>(await core.dispatch('jobs.takeSecrets', { jobId }))).toMatchObject({ pin: expect.stringMatching(/^\d{6,8}$/), puk: expect.any(String) });
  });

  it('after a crash between submitting and recording, the retry finds the printed job by its title instead of printing again', async () => {
    const spooler = new MemorySpooler();
    const { ts, core, events, jobId } = await printFailed(spooler);
    // What a crash leaves: the print step started, the spooler holds a finished job with the title, nothing recorded.
    ts.station.store.jobs.updateStep(jobId, 'print.card', { data: null });
    spooler.start(QUEUE);
    const earlier = await spooler.submit(QUEUE, `PIV card ${jobId}`, new Uint8Array([1]));
    await spooler.jobs(QUEUE);
    const from = events.seen.length;
    ok(await core.dispatch('jobs.retry', { jobId, readerName: ts.readerName }));
    expect((await events.ended(jobId, from)).type).toBe('job.finished');
    const job = ok<JobDetail>(await core.dispatch('jobs.get', { jobId }));
    expect(job.status).toBe('done');
    expect(spooler.jobsSeen.filter((j) => j.title === `PIV card ${jobId}` && j.state === 'completed').map((j) => j.id)).toEqual([earlier]);
  });

  it('cancelling a print that failed after encoding keeps the chip: the card is produced, nothing revoked', async () => {
    const spooler = new MemorySpooler();
    const { ts, core, events, jobId } = await printFailed(spooler);
    const from = events.seen.length;
    const cancelled = ok<{ status: string }>(await core.dispatch('jobs.cancel', { jobId, reason: 'printer broken, print later' }));
    expect(cancelled.status).toBe('done');
    expect((await events.ended(jobId, from)).type).toBe('job.finished');
    const job = ok<JobDetail>(await core.dispatch('jobs.get', { jobId }));
    expect(job.card?.status).toBe('produced');
    expect(job.certificates.every((c) => c.status === 'valid')).toBe(true);
    expect(ts.station.store.audit.list({}).filter((e) => e.jobId === jobId).map((e) => e.action)).toEqual(expect.arrayContaining(['card.print.cancelled', 'card.produced']));
    // It can be printed later: a reprint needs a reason, is audited, and counted.
    spooler.start(QUEUE);
    const reprint = ok<{ reprintCount: number; printJob: number }>(await core.dispatch('cards.reprint', { card: job.card!.id, reason: 'first print cancelled' }));
    expect(reprint.reprintCount).toBe(1);
    expect(spooler.printed(QUEUE).map((p) => p.title)).toEqual([`PIV card ${jobId} reprint 1`]);
    const audited = ts.station.store.audit.list({}).find((e) => e.action === 'card.reprinted');
    expect(audited?.details).toMatchObject({ reason: 'first print cancelled', reprint: 1, queue: QUEUE });
    expect(ok<CardDetailView>(await core.dispatch('cards.get', { card: job.card!.id })).status).toBe('produced');
    expect(await core.dispatch('cards.reprint', { card: job.card!.id, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('a card in production keeps its photo: the rule book refuses the desk (and the CLI, on the same channel) and a CPR’s photo alike; once the production is cancelled the photo may change', async () => {
    const spooler = new MemorySpooler();
    const { ts, core, jobId } = await printFailed(spooler);
    const { store, rules } = ts.station;
    const personId = store.jobs.get(jobId)!.personId;
    expect(store.requests.openForPerson(personId).map((r) => r.state)).toEqual(['production_failed']);
    const kept = store.photos.current(personId)!;
    const duringProduction = { code: 'REQUEST_STATE', details: { rule: 'photoDuringProduction', state: 'production_failed' } };
    const refusal = expect.objectContaining({ code: 'REQUEST_STATE', details: expect.objectContaining(duringProduction.details) });
    // The rule book itself, for both doors a photo comes through.
    const officer = store.officers.getByUsername('tester')!;
    expect(() => rules.photo(personId, { kind: 'officer', officer, sessionId: 'local' }, 'persons.setPhoto')).toThrow(refusal);
    expect(() => rules.photo(personId, { kind: 'idprs' }, 'idprs')).toThrow(refusal);
    // The desk's channel (the CLI calls the same dispatcher): refused in words, audited with the rule, nothing stored.
    const image = Buffer.from(await syntheticPhoto({ width: 640, height: 480, background: 140 })).toString('base64');
    const desk = await core.dispatch('persons.setPhoto', { personId, image, source: 'camera', crop: FRAME });
    expect(desk).toMatchObject({ ok: false, error: { ...duringProduction, message: expect.stringMatching(/in production: finish or cancel that production/) } });
    expect(store.audit.list({ personId }).at(-1)).toMatchObject({ action: 'person.photo', outcome: 'refused', details: { rule: 'photoDuringProduction' } });
    // The CPR intake's door for photos (every CPR channel: HTTP, drop folder, `station cpr submit`).
    const cprPort = storeCprPort(store, idprsRequestOps(ts.station.requests), rules);
    const portrait = { jpeg: kept.jpeg, width: kept.width, height: kept.height };
    expect(() => cprPort.storePhoto(personId, portrait, () => undefined)).toThrow(refusal);
    expect(store.photos.current(personId)).toEqual(kept);
    // Cancelled, the production no longer holds the face: the desk replaces it.
    ok(await core.dispatch('jobs.cancel', { jobId, reason: 'photo to be retaken' }));
    expect(ok<{ photo: { version: number } }>(await core.dispatch('persons.setPhoto', { personId, image, source: 'camera', crop: FRAME })).photo.version).toBe(kept.version + 1);
  });

  it('refuses a card whose profile needs a photo the person lacks, and a facial image that cannot fit, before anything is written', async () => {
    const spooler = new MemorySpooler();
    const ts = await physicalStation(spooler, { facialImageMaxBytes: 2000 });
    const core = ts.station.core();
    const personId = ts.addPerson();
    expect(await core.dispatch('production.start', { personId, readerName: ts.readerName })).toMatchObject({ ok: false, error: { code: 'PHOTO_MISSING' } });
    await photographed(ts, personId);
    const events = jobEndings(core);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('production.start', { personId, readerName: ts.readerName }));
    expect((await events.ended(jobId)).type).toBe('job.failed');
    const job = ok<JobDetail>(await core.dispatch('jobs.get', { jobId }));
    expect(job).toMatchObject({ failedStep: 'prepare.facial-image', errorCode: 'CARD_INCAPABLE' });
    expect(job.failure).toMatch(/allows 2000 bytes/);
    // The card is untouched: no CHUID was written.
    const transport = await ts.reader.connect(ts.readerName);
    try {
      const s = new PivSession(transport);
      await s.select();
      expect(await s.getData(ObjectTag.CHUID)).toBeNull();
    } finally {
      await transport.close('reset');
    }
  });

  it('the PIN mailer takes the generated PIN, prints or returns a PDF, and the audit holds no PIN', async () => {
    const spooler = new MemorySpooler();
    const ts = await physicalStation(spooler);
    const core = ts.station.core();
    const personId = ts.addPerson({ givenName: 'Ada', surname: 'Byron' });
    await photographed(ts, personId);
    const events = jobEndings(core);
    const { jobId } = ok<{ jobId: string }>(await core.dispatch('production.start', { personId, readerName: ts.readerName }));
    await events.ended(jobId);
    const mailer = ok<{ pdf: string | null; queue: string | null }>(await core.dispatch('jobs.pinMailer', { jobId }));
    expect(mailer.queue).toBeNull();
    const text = await pdfText(new Uint8Array(Buffer.from(mailer.pdf!, 'base64')));
    expect(text).toContain('Ada Byron');
    const pin = text.replace(/\s+/g, '').match(/(\d{6,8})Memorize/)?.[1];
    expect(pin).toMatch(/^\d{6,8}$/);
    // Taken once: the screen shows the PUK only, a second mailer has no PIN to hold (nothing is printed).
    expect(ok<{ pin?: string; puk?: string }>(await core.dispatch('jobs.takeSecrets', { jobId }))).toEqual({ puk: expect.any(String) });
    expect(ok(await core.dispatch('jobs.pinMailer', { jobId, queue: QUEUE }))).toEqual({ pdf: null, queue: null, printJob: null });
    const audited = ts.station.store.audit.list({}).filter((e) => e.action === 'pin-mailer.produced');
    expect(audited).toHaveLength(1);
    expect(JSON.stringify(audited)).not.toContain(pin!);
  });
});
