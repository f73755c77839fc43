/**
 * The card request workflow on the `station` CLI through the real pcscd:
 * officers with separate roles, CSV import, request → approval by a second
 * officer → production of the request on a virtual card in vpcd's reader,
 * checked by OpenSC; each forbidden call exits non-zero with the reason.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, withVpcdCard } from '../support/vpcd-card.js';
import { prepareStationDir, station, stationJson } from '../support/station-cli.js';
import type { CardRequestView } from '../../electron/contract/station-api.js';

const PIN = '135790';
const officer = (username: string) => ({ username, password: `${username} has a long password` });
const REGISTRAR = officer('registrar');
const APPROVER = officer('approver');
const PRODUCER = officer('producer');

let dir: string;
let dataDir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-workflow-'));
  dataDir = join(dir, 'station');
  // Default profiles: employees need approval. The helper's all-roles officer is the administrator.
  await prepareStationDir(dataDir, { directProduction: false });
  for (const [o, roles] of [
    [REGISTRAR, 'registration'],
    [APPROVER, 'approver'],
    [PRODUCER, 'production'],
  ] as const) {
    const r = await station(dataDir, ['officer', 'add', '--username', o.username, '--roles', roles], { env: { STATION_NEW_PASSWORD: o.password } });
    expect(r.code, r.stderr).toBe(0);
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('station CLI: request → approval → production', () => {
  test('each forbidden call exits non-zero with the reason; the approved request is produced and verified by OpenSC', async () => {
    writeFileSync(join(dir, 'persons.csv'), 'given_name,surname,email,employee_id,affiliation\nKatherine,Johnson,kj@example.test,1918,employee\nDorothy,Vaughan,,1910,employee\n');
    const imported = await stationJson<{ added: number }>(dataDir, ['person', 'import', join(dir, 'persons.csv')], 0, { as: REGISTRAR });
    expect(imported.added).toBe(2);
    writeFileSync(join(dir, 'bad.csv'), 'given_name,surname,email,employee_id,affiliation\nMary,Jackson,not-mail,1921,employee\n');
    const bad = await station(dataDir, ['person', 'import', join(dir, 'bad.csv')], { as: REGISTRAR });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('line 2: email is not an e-mail address');
    // Importing needs the registration role.
    const forbiddenImport = await station(dataDir, ['person', 'import', join(dir, 'persons.csv')], { as: APPROVER });
    expect(forbiddenImport.code).toBe(1);
    expect(forbiddenImport.stderr).toContain('This needs the Registration officer role. [FORBIDDEN]');

    const [person] = await stationJson<{ id: string }[]>(dataDir, ['person', 'search', 'Johnson'], 0, { as: REGISTRAR });
    const request = await stationJson<CardRequestView>(dataDir, ['request', 'create', '--person', person!.id, '--profile', 'employee'], 0, { as: REGISTRAR });
    expect(request).toMatchObject({ state: 'requested', requestedBy: 'registrar' });

    // Without a login, with a wrong password, with the wrong role: refused with the reason.
    const anonymous = await station(dataDir, ['request', 'list'], { as: null });
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('--as USERNAME');
    const wrong = await station(dataDir, ['request', 'list'], { as: { username: 'approver', password: 'not the password at all' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('The username or password is wrong. [NOT_AUTHENTICATED]');
    const registrarApproves = await station(dataDir, ['request', 'approve', request.id], { as: REGISTRAR });
    expect(registrarApproves.code).toBe(1);
    expect(registrarApproves.stderr).toContain('This needs the Approver role. [FORBIDDEN]');
    const directProduction = await station(dataDir, ['produce', '--person', person!.id, '--reader', 'any', '--pin', PIN], { as: PRODUCER });
    expect(directProduction.code).toBe(1);
    // Direct issue requests the card too: a production officer alone may not (issue 10).
    expect(directProduction.stderr).toMatch(/Issuing a card directly .*Registration officer.*\[FORBIDDEN\]/);
    const producedTooEarly = await station(dataDir, ['produce', '--request', request.id, '--reader', 'any', '--pin', PIN], { as: PRODUCER });
    expect(producedTooEarly.code).toBe(1);
    expect(producedTooEarly.stderr).toContain('[REQUEST_STATE]');

    const approved = await stationJson<CardRequestView>(dataDir, ['request', 'approve', request.id], 0, { as: APPROVER });
    expect(approved).toMatchObject({ state: 'approved', decidedBy: 'approver', cardNumber: '00000001' });
    const pending = await stationJson<CardRequestView[]>(dataDir, ['request', 'list', '--state', 'approved'], 0, { as: PRODUCER });
    expect(pending.map((r) => r.id)).toEqual([request.id]);

    await withVpcdCard({}, async ({ reader }) => {
      const produced = await stationJson<{ status: string; card: { id: string; credentialNumber: string }; puk?: string }>(
        dataDir,
        ['produce', '--request', request.id, '--reader', reader, '--pin', PIN],
        0,
        { as: PRODUCER },
      );
      expect(produced.status).toBe('done');
      expect(produced.card.id).toBe(approved.cardId);
      expect(produced.puk).toMatch(/^\d{8}$/);
      const listed = await run('pkcs15-tool', ['--reader', reader, '--list-certificates']);
      expect(listed.code, listed.stderr).toBe(0);
      expect([...listed.stdout.matchAll(/X\.509 Certificate \[/g)]).toHaveLength(4);
    });
    const done = await stationJson<CardRequestView>(dataDir, ['request', 'show', request.id], 0, { as: APPROVER });
    expect(done).toMatchObject({ state: 'produced', cardNumber: '00000001' });
  }, 300_000);
});
