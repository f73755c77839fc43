/**
 * Who hears the core's events (issue 10 finding 11, "no events to
 * strangers"): StationCore.subscribe gives a connection its own targeted
 * events (session.locked) and the station's events only while an officer is
 * logged in on it. A connection that never logged in, one that logged out,
 * and a kiosk hear nothing (the login screen and the kiosk need no event).
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { EventName } from '../../../electron/contract/station-api.js';
import { openTrainingStation, type TrainingStation } from '../../support/training-station.js';
import { ok } from '../../support/results.js';

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Every event `connectionId` hears, by name. */
function hear(ts: TrainingStation, connectionId: string): EventName[] {
  const heard: EventName[] = [];
  ts.station.core().subscribe(connectionId, (event) => heard.push(event));
  return heard;
}

describe('StationCore.subscribe', () => {
  test('a connection that never logged in, logged out, or became a kiosk hears nothing; a logged-in one hears the station', async () => {
    t = await openTrainingStation();
    const core = t.station.core();
    await t.login(core, 'desk');
    await t.login(core, 'gone');
    await t.login(core, 'kiosk');
    ok(await core.dispatch('auth.logout', {}, 'gone'));
    ok(await core.dispatch('kiosk.start', {}, 'kiosk'));
    const desk = hear(t, 'desk');
    const stranger = hear(t, 'stranger');
    const gone = hear(t, 'gone');
    const kiosk = hear(t, 'kiosk');
    let all = 0;
    core.on('request.changed', () => all++);

    const personId = t.addPerson({ affiliation: 'visitor' });
    ok(await core.dispatch('requests.create', { personId, profile: 'visitor' }, 'desk'));
    ok(await core.dispatch('readers.list', {}, 'desk'));
    expect(all).toBeGreaterThan(0);
    expect(desk).toEqual(expect.arrayContaining(['request.changed', 'reader.changed']));
    expect(stranger).toEqual([]);
    expect(gone).toEqual([]);
    expect(kiosk).toEqual([]);

    // Once an officer logs in on it, the connection hears the station too.
    await t.login(core, 'stranger');
    ok(await core.dispatch('readers.list', {}, 'stranger'));
    expect(stranger).toEqual(['reader.changed']);
  });

  test("a session locked by inactivity hears its own session.locked; no other connection hears it; the locked screen still follows the station", async () => {
    let clock = new Date('2031-03-04T09:00:00Z');
    t = await openTrainingStation({}, { now: () => clock, config: { sessionLockMinutes: 5 } });
    const core = t.station.core();
    await t.login(core, 'idle');
    const idle = hear(t, 'idle');
    const busy = hear(t, 'busy');
    const stranger = hear(t, 'stranger');
    clock = new Date(clock.getTime() + 6 * 60_000);
    await t.login(core, 'busy'); // a fresh login: active, not idle
    t.station.officers.checkIdle();
    expect(idle).toEqual(['session.locked']);
    expect(busy).toEqual([]);
    expect(stranger).toEqual([]);
    ok(await core.dispatch('readers.list', {}, 'busy'));
    expect(idle).toEqual(['session.locked', 'reader.changed']);
    expect(stranger).toEqual([]);
    // The unsubscribe function ends it.
    const heard: EventName[] = [];
    const off = core.subscribe('busy', (event) => heard.push(event));
    off();
    ok(await core.dispatch('readers.list', {}, 'busy'));
    expect(heard).toEqual([]);
  });
});
