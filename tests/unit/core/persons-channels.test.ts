/**
 * The Persons screen's channels through the core's dispatch: `persons.list`
 * (browse) and `persons.import` (CSV, dry run, all or nothing): roles, the
 * size limits of the bridge, and the audit of an import.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { MAX_PERSONS_IMPORT_CHARS, PERSONS_IMPORT_TOO_LARGE, type PersonsImportView, type PersonsPageView } from '../../../electron/contract/station-api.js';
import type { Role } from '../../../electron/core/workflow/types.js';
import { openTrainingStation, type TrainingStation } from '../../support/training-station.js';
import { ok } from '../../support/results.js';

const PASSWORD = 'a long enough passphrase';
const HEADER = 'given_name,surname,email,employee_id,affiliation';

let ts: TrainingStation | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

/** A station with a registrar and an auditor, each logged in on a connection of their name. */
async function station() {
  const t = await openTrainingStation();
  ts = t;
  const admin = await t.station.officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, { kind: 'anonymous' });
  const asAdmin = { kind: 'officer' as const, officer: admin, sessionId: 'setup' };
  const core = t.station.core();
  for (const [username, roles] of [['registrar', ['registration']], ['auditor', ['auditor']]] as [string, Role[]][]) {
    await t.station.officers.add({ username, displayName: username, password: PASSWORD, roles }, asAdmin);
    ok(await core.dispatch('auth.login', { username, password: PASSWORD }, username));
  }
  const call = (who: 'registrar' | 'auditor', channel: string, input: unknown) => core.dispatch(channel, input, who);
  const audit = (action: string) => t.station.store.audit.list().filter((e) => e.action === action);
  return { t, call, audit };
}

describe('persons.import', () => {
  test('dry run shows every bad line and writes nothing; the mended file imports; the audit has who and how many', async () => {
    const { t, call, audit } = await station();
    const bad = `${HEADER}\nAda,Lovelace,,E-1,employee\nGrace,Hopper,,,pilot\n`;
    const before = t.station.store.audit.count();
    expect(ok<PersonsImportView>(await call('registrar', 'persons.import', { csv: bad, dryRun: true }))).toEqual({
      dryRun: true,
      imported: 0,
      errors: [{ line: 3, message: 'affiliation must be employee, contractor or visitor' }],
    });
    expect(t.station.store.audit.count()).toBe(before);
    // Importing the bad file for real: nothing, and one refused event.
    expect(ok<PersonsImportView>(await call('registrar', 'persons.import', { csv: bad }))).toMatchObject({ dryRun: false, imported: 0, errors: [{ line: 3 }] });
    expect(ok<{ total: number }>(await call('registrar', 'persons.list', { limit: 10 })).total).toBe(0);
    const good = bad.replace('pilot', 'contractor');
    expect(ok<PersonsImportView>(await call('registrar', 'persons.import', { csv: good, dryRun: true }))).toEqual({ dryRun: true, imported: 2, errors: [] });
    expect(ok<{ total: number }>(await call('registrar', 'persons.list', { limit: 10 })).total).toBe(0);
    expect(ok<PersonsImportView>(await call('registrar', 'persons.import', { csv: good }))).toEqual({ dryRun: false, imported: 2, errors: [] });
    expect(audit('persons.import').map((e) => [e.actor, e.outcome, e.details])).toEqual([
      ['registrar', 'refused', { badLines: 1, firstBadLine: 3 }],
      ['registrar', 'ok', { imported: 2 }],
    ]);
    expect(audit('person.imported')).toHaveLength(2);
  });

  test('only a registration officer may import; the auditor is FORBIDDEN and nothing is written', async () => {
    const { t, call } = await station();
    const before = t.station.store.audit.count();
    expect(await call('auditor', 'persons.import', { csv: `${HEADER}\nA,B,,,visitor\n` })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(t.station.store.audit.count()).toBe(before);
    expect(t.station.store.persons.list({ limit: 1 }).total).toBe(0);
  });

  test('a file larger than one import may be, or with an absurd line, is INVALID_INPUT with its sentence', async () => {
    const { call } = await station();
    const row = 'Ada,Lovelace,,,employee\n';
    const huge = HEADER + '\n' + row.repeat(Math.ceil(MAX_PERSONS_IMPORT_CHARS / row.length));
    expect(await call('registrar', 'persons.import', { csv: huge, dryRun: true })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: PERSONS_IMPORT_TOO_LARGE } });
    expect(await call('registrar', 'persons.import', { csv: 'x'.repeat(3000) })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('too long') } });
    expect(await call('registrar', 'persons.import', { csv: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'The persons file is empty.' } });
  });
});

describe('persons.list', () => {
  test('pages by surname and given name, filters by affiliation, answers any role that may search', async () => {
    const { t, call } = await station();
    for (const [givenName, surname, affiliation] of [['Zed', 'Adams', 'visitor'], ['Amy', 'Adams', 'employee'], ['Bo', 'Brown', 'visitor']] as const) t.addPerson({ givenName, surname, affiliation });
    const page1 = ok<PersonsPageView>(await call('auditor', 'persons.list', { limit: 2 }));
    expect(page1.persons.map((p) => p.givenName)).toEqual(['Amy', 'Zed']);
    expect(page1).toMatchObject({ total: 3, hasBefore: false, hasAfter: true });
    const zed = page1.persons[1]!;
    const page2 = ok<PersonsPageView>(await call('auditor', 'persons.list', { limit: 2, after: { surname: zed.surname, givenName: zed.givenName, id: zed.id } }));
    expect(page2.persons.map((p) => p.givenName)).toEqual(['Bo']);
    expect(page2).toMatchObject({ total: 3, hasBefore: true, hasAfter: false });
    expect(ok<PersonsPageView>(await call('auditor', 'persons.list', { limit: 2, last: true })).persons.map((p) => p.givenName)).toEqual(['Zed', 'Bo']);
    const visitors = ok<PersonsPageView>(await call('registrar', 'persons.list', { limit: 10, affiliation: 'visitor' }));
    expect([visitors.persons.map((p) => p.givenName), visitors.total]).toEqual([['Zed', 'Bo'], 2]);
    expect(await call('registrar', 'persons.list', { limit: 201 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // The offset of before is gone (deep offsets cost a walk over every person skipped), and one position at a time.
    expect(await call('registrar', 'persons.list', { offset: 0, limit: 2 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('registrar', 'persons.list', { limit: 2, last: true, after: { surname: zed.surname, givenName: zed.givenName, id: zed.id } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await t.station.core().dispatch('persons.list', { limit: 2 }, 'nobody')).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
  });
});
