/**
 * Issue 12, observation 5: a reload (F5) of the browser host keeps the
 * officer's session of the same launch, the session lock still applies, and
 * the result screen's PUK survives the reload until the officer confirms it
 * is recorded.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';
import { openDesk, PIN, type Desk } from '../policy/desk.js';

let t: TrainingStation | undefined;
let desk: Desk | undefined;
afterEach(async () => {
  await t?.close();
  await desk?.close();
  t = undefined;
  desk = undefined;
});

type Status = { officer: { username: string } | null; locked: boolean; resumeToken?: string };

describe('auth.resume', () => {
  test('a reloaded page takes the session over once; the old connection and a replayed or wrong token get nothing', async () => {
    t = await openTrainingStation();
    const core = t.station.core();
    await t.login(core, 'page-1');
    const before = await core.dispatch('auth.status', {}, 'page-1');
    const token = (before.ok && (before.value as Status).resumeToken) || '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Another connection never sees the token.
    const stranger = await core.dispatch('auth.status', {}, 'stranger');
    expect(stranger.ok && (stranger.value as Status).resumeToken).toBeFalsy();

    const resumed = await core.dispatch('auth.resume', { token }, 'page-2');
    expect(resumed).toMatchObject({ ok: true, value: { officer: { username: 'tester' }, locked: false } });
    const fresh = (resumed.ok && (resumed.value as Status).resumeToken) || '';
    expect(fresh).not.toBe(token);
    expect(await core.dispatch('readers.list', {}, 'page-2')).toMatchObject({ ok: true });
    expect(await core.dispatch('readers.list', {}, 'page-1')).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });

    expect(await core.dispatch('auth.resume', { token }, 'page-3')).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    expect(await core.dispatch('auth.resume', { token: 'not-a-token' }, 'page-3')).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    expect(t.station.store.audit.list({}).filter((e) => e.action === 'session.resumed')).toHaveLength(1);
  });

  test('the session lock still applies: an idle session arrives locked', async () => {
    let clock = new Date('2031-03-04T09:00:00Z');
    t = await openTrainingStation({}, { now: () => clock, config: { sessionLockMinutes: 5 } });
    const core = t.station.core();
    await t.login(core, 'page-1');
    const s = await core.dispatch('auth.status', {}, 'page-1');
    const token = (s.ok && (s.value as Status).resumeToken) || '';
    clock = new Date(clock.getTime() + 6 * 60_000);
    expect(await core.dispatch('auth.resume', { token }, 'page-2')).toMatchObject({ ok: true, value: { officer: { username: 'tester' }, locked: true } });
    expect(await core.dispatch('readers.list', {}, 'page-2')).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
  });
});

describe('jobs.takeSecrets with keep', () => {
  test('kept secrets come again for the same officer until a take without keep', async () => {
    desk = await openDesk({ separationOfDuties: { producerDiffersFromRequester: false } });
    await desk.officer('issuer', ['registration', 'production']);
    await desk.officer('other', ['production']);
    const person = desk.t.addPerson({ affiliation: 'visitor' });
    const { jobId } = await desk.ok<{ jobId: string }>('issuer', 'production.start', { personId: person, readerName: desk.t.readerName, pin: PIN });
    await desk.idle();
    const first = await desk.ok<{ puk?: string }>('issuer', 'jobs.takeSecrets', { jobId, keep: true });
    expect(first.puk).toMatch(/^\d{8}$/);
    expect(await desk.ok('issuer', 'jobs.takeSecrets', { jobId, keep: true })).toEqual(first);
    expect(await desk.call('other', 'jobs.takeSecrets', { jobId, keep: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await desk.ok('issuer', 'jobs.takeSecrets', { jobId })).toEqual(first);
    expect(await desk.ok('issuer', 'jobs.takeSecrets', { jobId, keep: true })).toEqual({});
  });
});
