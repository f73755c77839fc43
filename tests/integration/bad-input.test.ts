/**
 * Bad input through the real pcscd gets a clear, specific error and loses
 * nothing: a card without a PIV application, a card whose management key is
 * unknown (one attempt at most, never blocking), a PIN outside 6–8 digits, a
 * reader that does not exist, a job that does not exist.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ins, Sw, FactoryDefaults, PIV_SLOTS, SLOT_KEY_REF } from '../../electron/core/piv/constants.js';
import { PivSession } from '../../electron/core/piv/session.js';
import { VirtualPivCard } from '../../native/virtual-card/card.js';
import { TrainingReaderProvider, TRAINING_READER_NAME } from '../../native/virtual-card/training-reader.js';
import { startMinimalVicc, MINIMAL_VICC_ATR } from '../support/minimal-vicc.js';
import { waitForCardAbsent, waitForCardPresent, withVpcdCard, VPCD_READER, VPCD_PORT } from '../support/vpcd-card.js';
import { station, stationJson } from '../support/station-cli.js';

let dir: string;
let dataDir: string;
let personId: string;

/** A person of their own for one test: a direct issue is a request, and a failed one stays open for its person (the rule book). */
async function freshPerson(surname: string): Promise<string> {
  return (await stationJson<{ id: string }>(dataDir, ['person', 'add', '--given-name', 'Alan', '--surname', surname])).id;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-bad-'));
  dataDir = join(dir, 'station');
  personId = (await stationJson<{ id: string }>(dataDir, ['person', 'add', '--given-name', 'Alan', '--surname', 'Turing'])).id;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ProduceJson {
  jobId: string;
  status: string;
  failedStep?: string;
  error?: { code: string; message: string; retryable: boolean };
}

describe('bad input through pcscd', () => {
  test('a card without a PIV application: the job fails at connect with NOT_PIV', async () => {
    // A card that knows no PIV application: 6A82 to every SELECT.
    const vicc = startMinimalVicc({ port: VPCD_PORT, respond: (c) => Uint8Array.of(...(c[1] === Ins.SELECT ? [Sw.FILE_NOT_FOUND >> 8, Sw.FILE_NOT_FOUND & 0xff] : [0x6d, 0x00])) });
    try {
      await vicc.connected;
      await waitForCardPresent(VPCD_READER, Buffer.from(MINIMAL_VICC_ATR).toString('hex'));
      const r = await station(dataDir, ['produce', '--person', personId, '--reader', VPCD_READER, '--pin', '246810', '--json']);
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout) as ProduceJson;
      expect(out).toMatchObject({ status: 'failed', failedStep: 'connect', error: { code: 'NOT_PIV' } });
      expect(out.error!.message).toMatch(/PIV/);
      // nothing but SELECTs reached the card
      expect(vicc.apdus.every((a) => a[1] === Ins.SELECT)).toBe(true);
    } finally {
      await vicc.remove();
      await waitForCardAbsent(VPCD_READER);
    }
  });

  test('a card whose management key is unknown: refused without guessing, nothing written', async () => {
    // Give a card a management key the station cannot know.
    const card = VirtualPivCard.create();
    const reader = new TrainingReaderProvider();
    reader.insert(card);
    const foreignKey = new Uint8Array(24).fill(0x33);
    const t = await reader.connect(TRAINING_READER_NAME);
    const s = new PivSession(t);
    await s.select();
    await s.authenticateManagementKey('AES192', FactoryDefaults.MANAGEMENT_KEY);
    await s.setManagementKey('AES192', foreignKey);
    await t.close('reset');
    reader.remove();

    const holder = await freshPerson('Foreignkey');
    await withVpcdCard({ card }, async () => {
      const r = await station(dataDir, ['produce', '--person', holder, '--reader', VPCD_READER, '--pin', '246810', '--json']);
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout) as ProduceJson;
      expect(out).toMatchObject({ status: 'failed', failedStep: 'authenticate', error: { code: 'MGMT_KEY_UNKNOWN', retryable: false } });
    });
    // The card is as it was: no keys generated, its own management key still works, PIN untouched.
    reader.insert(card);
    const t2 = await reader.connect(TRAINING_READER_NAME);
    const s2 = new PivSession(t2);
    await s2.select();
    for (const slot of PIV_SLOTS) expect(await s2.getMetadata(SLOT_KEY_REF[slot])).toBeNull();
    await s2.authenticateManagementKey('AES192', foreignKey);
    expect((await s2.pinStatus()).retriesLeft).toBe(3);
    await t2.close('reset');
  });

  test('a PIN outside 6–8 digits is refused before anything happens', async () => {
    for (const pin of ['12345', '123456789', 'abcdef']) {
      const r = await station(dataDir, ['produce', '--person', personId, '--reader', VPCD_READER, '--pin', pin]);
      expect(r.code).toBe(2);
      // The contract's rule, the same for every face (the core's door checks it before anything else).
      expect(r.stderr).toContain('Invalid --pin: The PIN must be 6 to 8 digits.');
      expect(r.stderr).not.toContain(pin);
    }
    const jobs = await stationJson<unknown[]>(dataDir, ['job', 'list']);
    expect(jobs.filter((j) => (j as { personId: string }).personId === personId && (j as { status: string }).status === 'pending')).toHaveLength(0);
  });

  test('an unknown reader, an unknown job and an unknown person get specific errors', async () => {
    const noReader = await station(dataDir, ['produce', '--person', await freshPerson('Noreader'), '--reader', 'No Such Reader 99', '--pin', '246810', '--json']);
    expect(noReader.code).toBe(1);
    expect(JSON.parse(noReader.stdout)).toMatchObject({ status: 'failed', failedStep: 'connect', error: { code: 'NO_READER' } });
    const noJob = await station(dataDir, ['job', 'retry', 'no-such-job', '--reader', VPCD_READER, '--pin', '246810']);
    expect(noJob.code).toBe(1);
    expect(noJob.stderr).toMatch(/There is no production job no-such-job\. \[NOT_FOUND_RECORD\]/);
    const noPerson = await station(dataDir, ['produce', '--person', 'nobody', '--reader', VPCD_READER, '--pin', '246810']);
    expect(noPerson.code).toBe(1);
    expect(noPerson.stderr).toContain('NOT_FOUND_RECORD');
  });
});
