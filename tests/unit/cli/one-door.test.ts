/**
 * The CLI is a client of the StationApi (issue 10 "One door", findings 7
 * and 8), tested on the real `station` process (through tsx; the in-process
 * training reader, no pcscd):
 * - `station cpr submit|status|delete` need an officer with a role the core
 *   allows, who is named in the audit; without --as nothing is submitted or
 *   cancelled (they used to act as the IDPRS for anyone holding the data dir);
 * - the CLI restates no rule and audits as the core does: a PIN mailer is
 *   audited as the officer who produced it (was the actor 'station'), the
 *   outbox is listed by whoever the core's access table allows (an auditor:
 *   the CLI used to refuse with a table of its own).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AuditEventView, CardRequestView, Person } from '../../../electron/contract/station-api.js';
import { TRAINING_READER_NAME } from '../../../native/virtual-card/training-reader.js';
import { prepareStationDir, station, stationJson, stopLiveCliProcesses } from '../../support/station-cli.js';
import { idprsDataDir } from '../../support/idprs-station.js';
import { cprDocument, makeIdprsIdentity, signCpr, type IdprsIdentity } from '../../support/idprs.js';

const AUDITOR = { username: 'auditor1', password: 'an auditor with a long password' };

let idprs: IdprsIdentity;
let dataDir: string;
beforeAll(async () => {
  idprs = await makeIdprsIdentity();
  dataDir = idprsDataDir(idprs);
  // One officer requests and produces the PIN-mailer card (`produce --person`): the agency's two-officer rule is off here.
  const configFile = join(dataDir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')), separationOfDuties: { producerDiffersFromRequester: false } }, null, 2));
  await prepareStationDir(dataDir);
  const added = await station(dataDir, ['officer', 'add', '--username', AUDITOR.username, '--roles', 'auditor'], { env: { STATION_NEW_PASSWORD: AUDITOR.password } });
  expect(added.code, added.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  await stopLiveCliProcesses();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The audit events of one action, as the auditor exports them. */
async function audited(action: string): Promise<AuditEventView[]> {
  const { events } = await stationJson<{ events: AuditEventView[] }>(dataDir, ['audit', 'export', '--format', 'json']);
  return events.filter((e) => e.action === action);
}

describe('station cpr (finding 7)', () => {
  test('submit and delete without an officer change nothing; an officer without the role is refused; the officer who acts is audited', async () => {
    const file = join(dataDir, 'cpr-1.p7m');
    writeFileSync(file, await signCpr(idprs, cprDocument({ idprsRequestId: 'I-CLI', person: { externalId: 'X-CLI' } })));

    const anonymous = await station(dataDir, ['cpr', 'submit', file], { as: null });
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('--as USERNAME');
    expect(anonymous.stderr).toContain('[NOT_AUTHENTICATED]');
    expect(anonymous.stdout).toBe('');
    expect(await stationJson<CardRequestView[]>(dataDir, ['request', 'list'])).toEqual([]);
    const auditorSubmits = await station(dataDir, ['cpr', 'submit', file], { as: AUDITOR });
    expect(auditorSubmits.code).toBe(1);
    expect(auditorSubmits.stderr).toContain('[FORBIDDEN]');

    const accepted = await stationJson<{ status: string; requestId: string }>(dataDir, ['cpr', 'submit', file]);
    expect(accepted.status).toBe('accepted');
    expect((await audited('cpr.accepted')).map((e) => e.actor)).toEqual(['cli-tester']);

    // Nobody cancels the request anonymously, nor with a role that may not.
    const anonymousDelete = await station(dataDir, ['cpr', 'delete', 'I-CLI'], { as: null });
    expect(anonymousDelete.code).toBe(1);
    expect(anonymousDelete.stderr).toContain('[NOT_AUTHENTICATED]');
    const anonymousStatus = await station(dataDir, ['cpr', 'status', 'I-CLI'], { as: null });
    expect(anonymousStatus.stderr).toContain('[NOT_AUTHENTICATED]');
    const auditorDeletes = await station(dataDir, ['cpr', 'delete', 'I-CLI'], { as: AUDITOR });
    expect(auditorDeletes.stderr).toContain('[FORBIDDEN]');
    const request = await stationJson<CardRequestView>(dataDir, ['request', 'show', accepted.requestId]);
    expect(request.state).not.toBe('cancelled');

    expect(await stationJson<{ status: string }>(dataDir, ['cpr', 'delete', 'I-CLI'])).toMatchObject({ status: 'deleted' });
    expect((await audited('cpr.deleted')).map((e) => e.actor)).toEqual(['cli-tester']);
    expect((await stationJson<CardRequestView>(dataDir, ['request', 'show', accepted.requestId])).state).toBe('cancelled');
  }, 300_000);
});

describe('the CLI through the one door (finding 8)', () => {
  test('a PIN mailer is made by the core for the officer who produced the card, and audited with that officer', async () => {
    const person = await stationJson<Person>(dataDir, ['person', 'add', '--given-name', 'Mae', '--surname', 'Mailer', '--affiliation', 'visitor']);
    const mailer = join(dataDir, 'mailer.pdf');
    const produced = await stationJson<{ status: string; puk?: string; pin?: string }>(dataDir, ['produce', '--person', person.id, '--reader', TRAINING_READER_NAME, '--pin-mailer', mailer]);
    expect(produced.status).toBe('done');
    expect(produced.puk).toMatch(/^\d{8}$/);
    // The generated PIN went into the mailer only.
    expect(produced.pin).toBeUndefined();
    expect(existsSync(mailer)).toBe(true);
    expect(readFileSync(mailer).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect((await audited('pin-mailer.produced')).map((e) => e.actor)).toEqual(['cli-tester']);
  }, 300_000);

  test("who may list the outbox is the core's access table: an auditor may look, not resend", async () => {
    const listed = await station(dataDir, ['outbox', 'list', '--json'], { as: AUDITOR });
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ counts: expect.objectContaining({ pending: expect.any(Number) }), delivery: { configured: false, missing: ['url', 'secret'] } });
    // Without --json the station says first that it does not deliver, and what to set (issue 12, obs. 3).
    const words = await station(dataDir, ['outbox', 'list'], { as: AUDITOR });
    expect(words.stdout.split('\n')[0]).toMatch(/^Delivery to the identity registration system \(IDPRS\) is not configured: set "notifications"/);
    const redeliver = await station(dataDir, ['outbox', 'redeliver', '--all-dead'], { as: AUDITOR });
    expect(redeliver.code).toBe(1);
    expect(redeliver.stderr).toContain('[FORBIDDEN]');
  }, 120_000);
});
