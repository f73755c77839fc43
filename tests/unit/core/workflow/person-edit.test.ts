/**
 * Person edit through the core (`persons.update`): validation like
 * persons.add, the search index follows the change, the audit names the
 * changed fields with old and new values, and the refusals: role, one's own
 * record, the affiliation of a person with an open request or a held card,
 * a record the IDPRS manages.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { Person, PersonMatchesView } from '../../../../electron/contract/station-api.js';
import type { StationConfig } from '../../../../electron/core/config/station-config.js';
import { editPerson } from '../../../../electron/core/workflow/person-edit.js';
import type { Caller, Role } from '../../../../electron/core/workflow/types.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';
import { ok } from '../../../support/results.js';

const PASSWORD = 'a long enough passphrase';

let ts: TrainingStation | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

/** A station with a registrar, an approver-only officer and a registrar who is also the person `self`. */
async function editStation(options: { directProduction?: boolean } = {}) {
  const t = await openTrainingStation({}, options);
  ts = t;
  const { officers } = t.station;
  const admin = await officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, { kind: 'anonymous' });
  const asAdmin: Caller = { kind: 'officer', officer: admin, sessionId: 'setup' };
  const self = t.addPerson({ givenName: 'Sam', surname: 'Self' });
  const add = (username: string, roles: Role[], personId: string | null = null) => officers.add({ username, displayName: username, password: PASSWORD, roles, personId }, asAdmin);
  await add('registrar', ['registration']);
  await add('approver', ['approver']);
  await add('selfie', ['registration'], self);
  const core = t.station.core();
  for (const name of ['registrar', 'approver', 'selfie']) ok(await core.dispatch('auth.login', { username: name, password: PASSWORD }, name));
  const call = (who: 'registrar' | 'approver' | 'selfie', channel: string, input: unknown) => core.dispatch(channel, input, who);
  const auditOf = (action: string) =>
    (t.station.store.db.prepare('SELECT actor, outcome, person_id, details_json FROM audit_events WHERE action = ? ORDER BY seq').all(action) as { actor: string; outcome: string; person_id: string; details_json: string }[]).map((e) => ({
      ...e,
      details: JSON.parse(e.details_json) as Record<string, unknown>,
    }));
  return { t, core, call, self, auditOf };
}

describe('persons.update', () => {
  test('a registration officer renames a person: the search finds the new name, not the old; the audit names the fields with old and new values', async () => {
    const { t, call, auditOf } = await editStation();
    const id = t.addPerson({ givenName: 'Dana', surname: 'Oldname', email: 'dana.old@example.test', employeeId: 'EMP-7' });
    const edited = ok<Person>(await call('registrar', 'persons.update', { id, surname: '  Newsurname ', email: 'dana.new@example.test' }));
    expect(edited).toMatchObject({ id, givenName: 'Dana', surname: 'Newsurname', email: 'dana.new@example.test', employeeId: 'EMP-7', affiliation: 'employee' });
    expect(ok<Person>(await call('registrar', 'persons.get', { id }))).toEqual(edited);

    // The trigram index (3+ characters) and the short-query path both follow the change.
    expect(ok<PersonMatchesView>(await call('registrar', 'persons.search', { query: 'Newsurn' })).persons.map((p) => p.id)).toEqual([id]);
    expect(ok<PersonMatchesView>(await call('registrar', 'persons.search', { query: 'Oldname' })).persons).toEqual([]);
    expect(ok<PersonMatchesView>(await call('registrar', 'persons.search', { query: 'dana.new' })).persons.map((p) => p.id)).toEqual([id]);
    expect(ok<PersonMatchesView>(await call('registrar', 'persons.search', { query: 'dana.old' })).persons).toEqual([]);

    const [event, ...more] = auditOf('person.updated');
    expect(more).toEqual([]);
    expect(event).toMatchObject({ actor: 'registrar', outcome: 'ok', person_id: id });
    expect(event!.details).toEqual({
      fields: 'surname,email',
      changes: { surname: { from: 'Oldname', to: 'Newsurname' }, email: { from: 'dana.old@example.test', to: 'dana.new@example.test' } },
    });
  });

  test('clearing the e-mail and employee id with null; an edit that changes nothing writes nothing', async () => {
    const { t, call, auditOf } = await editStation();
    const id = t.addPerson({ email: 'x@example.test', employeeId: 'EMP-8' });
    expect(ok<Person>(await call('registrar', 'persons.update', { id, email: null, employeeId: null }))).toMatchObject({ email: null, employeeId: null });
    expect(auditOf('person.updated')).toHaveLength(1);
    const same = ok<Person>(await call('registrar', 'persons.update', { id, email: null, givenName: 'Dana' }));
    expect(same).toMatchObject({ email: null, givenName: 'Dana' });
    expect(auditOf('person.updated')).toHaveLength(1);
  });

  test('bad input is refused like persons.add and nothing changes; an employee id used by another person is refused', async () => {
    const { t, call, auditOf } = await editStation();
    const id = t.addPerson({ givenName: 'Kim', surname: 'Keep', employeeId: 'EMP-1' });
    t.addPerson({ employeeId: 'EMP-2' });
    const before = t.station.store.persons.get(id);
    for (const input of [
      { id, givenName: '   ' },
      { id, email: 'not an email' },
      { id, employeeId: 'has spaces' },
      { id, affiliation: 'admin' },
      { id, surname: 'x'.repeat(65) },
      { id, externalId: 'IDPRS-1' },
      { id: '../etc', givenName: 'X' },
    ]) {
      expect(await call('registrar', 'persons.update', input), JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    expect(await call('registrar', 'persons.update', { id, employeeId: 'EMP-2' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('registrar', 'persons.update', { id: '00000000-0000-4000-8000-000000000000', givenName: 'X' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND_RECORD' } });
    expect(t.station.store.persons.get(id)).toEqual(before);
    expect(auditOf('person.updated')).toEqual([]);
  });

  test('refused: without the registration role, and for the officer’s own record (audited, record unchanged)', async () => {
    const { t, call, self, auditOf } = await editStation();
    const id = t.addPerson();
    expect(await call('approver', 'persons.update', { id, givenName: 'Nope' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const mine = await call('selfie', 'persons.update', { id: self, givenName: 'Samuel' });
    expect(mine).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'editSelf' } } });
    expect(t.station.store.persons.get(self)?.givenName).toBe('Sam');
    expect(auditOf('person.update')).toEqual([expect.objectContaining({ actor: 'selfie', outcome: 'refused', person_id: self, details: { rule: 'editSelf', fields: 'givenName' } })]);
    // another registrar may edit that record
    expect(ok<Person>(await call('registrar', 'persons.update', { id: self, givenName: 'Samuel' })).givenName).toBe('Samuel');
  });

  test('the affiliation is fixed while a request is open or a card is held; names may still change', async () => {
    const { t, call, auditOf } = await editStation({ directProduction: true });
    const id = t.addPerson({ surname: 'Busy' });
    const request = ok<{ id: string; cardId: string }>(await call('registrar', 'requests.create', { personId: id, profile: 'employee' }));
    const refused = await call('registrar', 'persons.update', { id, affiliation: 'contractor' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'affiliationInUse' } } });
    if (!refused.ok) expect(refused.error.message).toMatch(/open card request \(approved\) for the employee profile/);
    expect(ok<Person>(await call('registrar', 'persons.update', { id, surname: 'Stillbusy' })).surname).toBe('Stillbusy');

    // produced and handed out: the card is held
    t.station.store.requests.update(request.id, { state: 'produced' });
    t.station.store.cards.update(request.cardId, { status: 'active' });
    const held = await call('registrar', 'persons.update', { id, affiliation: 'contractor' });
    expect(held).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'affiliationInUse' } } });
    if (!held.ok) expect(held.error.message).toMatch(/holds a card \(active\).*revoke it/);

    // revoked: the affiliation may change
    t.station.store.cards.update(request.cardId, { status: 'revoked' });
    expect(ok<Person>(await call('registrar', 'persons.update', { id, affiliation: 'contractor' })).affiliation).toBe('contractor');
    expect(auditOf('person.update').map((e) => e.details.rule)).toEqual(['affiliationInUse', 'affiliationInUse']);
    expect(t.station.store.persons.get(id)?.affiliation).toBe('contractor');
  });
});

describe('editPerson and the IDPRS', () => {
  test('a person with an IDPRS id cannot be edited while the IDPRS manages persons; without managesPersons it can', async () => {
    const { t } = await editStation();
    const registrar = t.station.officers.list().find((o) => o.username === 'registrar')!;
    const caller: Caller = { kind: 'officer', officer: registrar, sessionId: 'x' };
    const store = t.station.store;
    const managed = store.persons.add({ givenName: 'Ida', surname: 'Prs', affiliation: 'employee', externalId: 'IDPRS-42' });
    const local = store.persons.add({ givenName: 'Lo', surname: 'Cal', affiliation: 'employee' });
    const managing = { idprs: { managesPersons: true } } as unknown as StationConfig;
    expect(() => editPerson({ store, config: managing }, managed.id, { surname: 'Changed' }, caller)).toThrow(expect.objectContaining({ code: 'FORBIDDEN', details: { rule: 'idprsManaged' } }));
    expect(store.persons.get(managed.id)?.surname).toBe('Prs');
    expect(editPerson({ store, config: managing }, local.id, { surname: 'Changed' }, caller).surname).toBe('Changed');
    const notManaging = { idprs: { managesPersons: false } } as unknown as StationConfig;
    expect(editPerson({ store, config: notManaging }, managed.id, { surname: 'Changed' }, caller)).toMatchObject({ surname: 'Changed', externalId: 'IDPRS-42' });
  });
});
