/**
 * `station person edit` on the CLI: a registration officer changes names,
 * e-mail and affiliation (search finds the new name; `--email ""` clears it;
 * the audit names the fields); bad values and another person's employee id
 * exit 2 (INVALID_INPUT), an approver without the registration role and an
 * officer editing their own record exit 1 (FORBIDDEN); each says why and
 * changes nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareStationDir, station, stationJson } from '../support/station-cli.js';
import type { AuditEventView, Person } from '../../electron/contract/station-api.js';

const officer = (username: string) => ({ username, password: `${username} has a long password` });
const REGISTRAR = officer('registrar');
const APPROVER = officer('approver');
const SELF = officer('selfreg');

let dir: string;
let dataDir: string;
let self: Person;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'piv-station-person-edit-'));
  dataDir = join(dir, 'station');
  await prepareStationDir(dataDir);
  self = await stationJson<Person>(dataDir, ['person', 'add', '--given-name', 'Sam', '--surname', 'Selfreg', '--employee-id', 'SELF-1']);
  for (const [o, roles, extra] of [
    [REGISTRAR, 'registration', []],
    [APPROVER, 'approver', []],
    [SELF, 'registration', ['--person', self.id]],
  ] as const) {
    const r = await station(dataDir, ['officer', 'add', '--username', o.username, '--roles', roles, ...extra], { env: { STATION_NEW_PASSWORD: o.password } });
    expect(r.code, r.stderr).toBe(0);
  }
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('station person edit', () => {
  test('a registration officer edits a person; refusals exit non-zero with the reason and change nothing', async () => {
    const person = await stationJson<Person>(dataDir, ['person', 'add', '--given-name', 'Grace', '--surname', 'Brewster', '--email', 'grace@example.test', '--employee-id', 'GH-1906'], 0, { as: REGISTRAR });
    await stationJson<Person>(dataDir, ['person', 'add', '--given-name', 'Other', '--surname', 'Person', '--employee-id', 'OP-1'], 0, { as: REGISTRAR });

    const edited = await stationJson<Person>(dataDir, ['person', 'edit', person.id, '--surname', 'Hopper', '--email', '', '--affiliation', 'contractor'], 0, { as: REGISTRAR });
    expect(edited).toMatchObject({ id: person.id, givenName: 'Grace', surname: 'Hopper', email: null, employeeId: 'GH-1906', affiliation: 'contractor' });
    expect((await stationJson<Person[]>(dataDir, ['person', 'search', 'Hopper'], 0, { as: REGISTRAR })).map((p) => p.id)).toEqual([person.id]);
    expect(await stationJson<Person[]>(dataDir, ['person', 'search', 'Brewster'], 0, { as: REGISTRAR })).toEqual([]);

    const refusals: [string[], { username: string; password: string }, number, string][] = [
      [['person', 'edit', person.id, '--email', 'not-an-email'], REGISTRAR, 2, 'Invalid --email'],
      [['person', 'edit', person.id, '--affiliation', 'astronaut'], REGISTRAR, 2, 'Invalid --affiliation'],
      [['person', 'edit', person.id, '--employee-id', 'OP-1'], REGISTRAR, 2, '[INVALID_INPUT]'],
      [['person', 'edit', person.id], REGISTRAR, 2, 'Name at least one attribute'],
      [['person', 'edit', person.id, '--surname', 'Approved'], APPROVER, 1, 'This needs the Registration officer role. [FORBIDDEN]'],
      [['person', 'edit', self.id, '--surname', 'Myself'], SELF, 1, 'You cannot edit your own person record'],
    ];
    for (const [args, as, code, reason] of refusals) {
      const r = await station(dataDir, args, { as });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stderr).toContain(reason);
    }
    expect(await stationJson<{ person: Person }>(dataDir, ['person', 'show', person.id], 0, { as: REGISTRAR })).toMatchObject({ person: edited });
    expect(await stationJson<{ person: Person }>(dataDir, ['person', 'show', self.id], 0, { as: REGISTRAR })).toMatchObject({ person: { surname: 'Selfreg' } });

    const events = await stationJson<{ events: AuditEventView[] }>(dataDir, ['audit', 'export', '--format', 'json', '--person', person.id]);
    const updated = events.events.filter((e) => e.action === 'person.updated');
    expect(updated).toEqual([expect.objectContaining({ actor: 'registrar', outcome: 'ok', details: expect.objectContaining({ fields: 'surname,email,affiliation' }) })]);
  }, 300_000);
});
