/**
 * The profile registry and its channels: updates validated as a whole profile
 * with the field named, audited with every changed field (old → new), nothing
 * stored or audited as a change when refused or unchanged; profiles.update
 * for administrators only, its result visible through profiles.get/list.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../electron/core/config/station-config.js';
import { isStationError } from '../../../../electron/core/errors.js';
import { ProfileRegistry, profileChanges } from '../../../../electron/core/workflow/profile-registry.js';
import { ok } from '../../../support/results.js';
import { memoryStore } from '../store/helpers.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';

function registry() {
  const store = memoryStore();
  return { store, profiles: new ProfileRegistry({ store, config: DEFAULT_CONFIG }) };
}

/** The INVALID_INPUT thrown by `fn`, or a failure. */
function refusal(fn: () => unknown): { message: string; field: unknown } {
  try {
    fn();
  } catch (e) {
    if (isStationError(e, 'INVALID_INPUT')) return { message: e.message, field: e.details?.field };
    throw e;
  }
  throw new Error('expected INVALID_INPUT');
}

describe('ProfileRegistry.update', () => {
  test('audits every changed field with old and new values, and the new version', () => {
    const { store, profiles } = registry();
    const { entry, changes } = profiles.update(
      'employee',
      { cardValidityMonths: 72, slots: ['9A', '9E', '9C'], pinPolicy: { minLength: 8, maxLength: 8, source: 'generated' }, algorithms: { '9A': 'RSA2048', '9C': 'P256', '9D': 'P256', '9E': 'P256' } },
      'ada',
    );
    expect(entry.version).toBe(2);
    expect(entry.profile.slots).toEqual(['9A', '9C', '9E']);
    expect(changes).toEqual([
      { field: 'cardValidityMonths', from: 60, to: 72 },
      { field: 'algorithms.9A', from: 'P256', to: 'RSA2048' },
      { field: 'slots', from: ['9A', '9C', '9D', '9E'], to: ['9A', '9C', '9E'] },
      { field: 'pinPolicy.minLength', from: 6, to: 8 },
      { field: 'pinPolicy.source', from: 'either', to: 'generated' },
    ]);
    const event = store.audit.list({}).find((e) => e.action === 'profile.updated')!;
    expect(event).toMatchObject({ actor: 'ada', outcome: 'ok', details: { profile: 'employee', version: 2, changes } });
  });

  test('a whole profile may be given; changing nothing stores and audits nothing', () => {
    const { store, profiles } = registry();
    const whole = profiles.get('contractor').profile;
    const { entry, changes } = profiles.update('contractor', whole, 'ada');
    expect(changes).toEqual([]);
    expect(entry.version).toBe(1);
    expect(store.audit.list({}).filter((e) => e.action.startsWith('profile.'))).toEqual([]);
  });

  test('refusals name the field, change nothing and are audited as refused', () => {
    const { store, profiles } = registry();
    expect(refusal(() => profiles.update('employee', { certificateValidityMonths: 72, cardValidityMonths: 60 }, 'ada'))).toEqual({
      message: 'The card profile "employee" is not acceptable: Certificate validity: the certificates must not outlive the card (certificate validity ≤ card validity).',
      field: 'certificateValidityMonths',
    });
    expect(refusal(() => profiles.update('employee', { slots: ['9A', '9C'] }, 'ada')).field).toBe('slots');
    expect(refusal(() => profiles.update('visitor', { cardValidityMonths: 24, certificateValidityMonths: 12 }, 'ada')).field).toBe('cardValidityMonths');
    expect(refusal(() => profiles.update('employee', { colour: 'blue' }, 'ada'))).toMatchObject({ field: 'colour', message: expect.stringMatching(/colour is not a card profile field/) });
    expect(refusal(() => profiles.update('employee', { id: 'visitor', label: 'x' }, 'ada')).field).toBe('id');
    expect(refusal(() => profiles.update('employee', { pinPolicy: { minLength: 4, maxLength: 8, source: 'chosen' } }, 'ada')).field).toBe('pinPolicy.minLength');
    expect(refusal(() => profiles.update('guest', { label: 'x' }, 'ada')).message).toMatch(/no card profile "guest"/);
    expect(profiles.get('employee')).toMatchObject({ version: 1, profile: DEFAULT_CONFIG.profiles[0] });
    const refused = store.audit.list({}).filter((e) => e.action === 'profile.update');
    expect(refused.map((e) => [e.outcome, (e.details as { field: string }).field])).toEqual([
      ['refused', 'certificateValidityMonths'],
      ['refused', 'slots'],
      ['refused', 'cardValidityMonths'],
      ['refused', 'colour'],
      ['refused', 'id'],
      ['refused', 'pinPolicy.minLength'],
    ]);
    expect(store.audit.list({}).some((e) => e.action === 'profile.updated')).toBe(false);
  });
});

describe('profileChanges', () => {
  test('one level into algorithms and PIN policy; arrays as wholes', () => {
    const { profiles } = registry();
    const a = profiles.profile('employee');
    expect(profileChanges(a, { ...a, objects: ['printed'] })).toEqual([{ field: 'objects', from: ['printed', 'discovery', 'key-history'], to: ['printed'] }]);
    expect(profileChanges(a, a)).toEqual([]);
  });
});

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('profiles.* through dispatch', () => {
  test('an administrator changes a profile; every officer sees it through profiles.get and profiles.list; a production officer may not change it', async () => {
    t = await openTrainingStation();
    const admin = await t.login(); // all roles, admin included
    const core = t.station.core();
    const updated = ok<{ version: number; cardValidityMonths: number; updatedBy: string }>(
      await core.dispatch('profiles.update', { id: 'visitor', patch: { cardValidityMonths: 3, certificateValidityMonths: 3, objects: ['key-history'] } }),
    );
    expect(updated).toMatchObject({ version: 2, cardValidityMonths: 3, updatedBy: admin.username });
    expect(ok(await core.dispatch('profiles.get', { id: 'visitor' }))).toMatchObject({ version: 2, objects: ['key-history'], slots: ['9A', '9C', '9D', '9E'] });
    const list = ok<{ id: string; version: number; pinPolicy: unknown }[]>(await core.dispatch('profiles.list', {}));
    expect(list.map((p) => [p.id, p.version])).toEqual([
      ['contractor', 1],
      ['employee', 1],
      ['visitor', 2],
    ]);
    expect(list[0]!.pinPolicy).toEqual({ minLength: 6, maxLength: 8, source: 'either' });

    // A rule broken: INVALID_INPUT naming the field, the profile unchanged.
    const bad = await core.dispatch('profiles.update', { id: 'visitor', patch: { certificateValidityMonths: 6 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { field: 'certificateValidityMonths' } } });
    const badShape = await core.dispatch('profiles.update', { id: 'employee', patch: { slots: '9A' } });
    expect(badShape).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/slots/) } });

    // A production officer reads the profiles but cannot change one.
    await t.station.officers.add(
      { username: 'producer', displayName: 'Producer', password: 'producer password long', roles: ['production'], personId: null },
      { kind: 'officer', officer: admin, sessionId: 'setup' },
    );
    expect(ok(await core.dispatch('auth.login', { username: 'producer', password: 'producer password long' }, 'producer-conn'))).toBeTruthy();
    expect(ok(await core.dispatch('profiles.get', { id: 'visitor' }, 'producer-conn'))).toMatchObject({ version: 2 });
    expect(await core.dispatch('profiles.update', { id: 'visitor', patch: { cardValidityMonths: 1 } }, 'producer-conn')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(ok(await core.dispatch('profiles.get', { id: 'visitor' }))).toMatchObject({ version: 2, cardValidityMonths: 3 });
  });

  test('a batch refuses a request whose profile needs a PIN chosen by the cardholder (a batch generates PINs)', async () => {
    t = await openTrainingStation();
    await t.login();
    const core = t.station.core();
    ok(await core.dispatch('profiles.update', { id: 'visitor', patch: { pinPolicy: { minLength: 6, maxLength: 8, source: 'chosen' } } }));
    // Requested by the IDPRS: the tester producing it is not its requester.
    const request = t.station.requests.create({ personId: t.addPerson({ affiliation: 'visitor' }), profile: 'visitor' }, { kind: 'idprs' });
    expect(request.state).toBe('approved'); // visitors need no approval
    const r = await core.dispatch('batches.start', { requestIds: [request.id], readers: 'all' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/chooses; a batch generates PINs/) } });
    expect(ok<unknown[]>(await core.dispatch('batches.list', {}))).toEqual([]);
  });
});
