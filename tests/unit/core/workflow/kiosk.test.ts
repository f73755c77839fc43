/**
 * The self-service kiosk through the core's dispatch (electron/core/workflow/kiosk.ts):
 * starting it ends the officer's session; identification by employee id +
 * e-mail (one generic answer for every failure, throttled after five);
 * requests only for the identified person, always to an approver, refused
 * with an open request or a held card; reset and the idle timeout forget the
 * person; an officer's login leaves kiosk mode. Time passes on a test clock.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { CardRequestView, KioskPersonView, KioskReceiptView, KioskStatusView } from '../../../../electron/contract/station-api.js';
import { KIOSK_IDLE_MS, KIOSK_THROTTLE_MS, NOT_RECOGNIZED_SENTENCE } from '../../../../electron/core/workflow/kiosk.js';
import type { Caller } from '../../../../electron/core/workflow/types.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';
import { ok } from '../../../support/results.js';

const PASSWORD = 'a long enough passphrase';

let ts: TrainingStation | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});

/**
 * A station (every profile without approval, so "always to an approver" is
 * the kiosk's own rule) with a registrar and an approver logged in, a kiosk
 * started by the registrar on connection 'kiosk', and a test clock.
 */
async function kioskStation() {
  let now = Date.parse('2026-03-02T09:00:00Z');
  const t = await openTrainingStation({}, { directProduction: true, now: () => new Date(now) });
  ts = t;
  const { officers } = t.station;
  const admin = await officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, { kind: 'anonymous' });
  const asAdmin: Caller = { kind: 'officer', officer: admin, sessionId: 'setup' };
  await officers.add({ username: 'registrar', displayName: 'Registrar', password: PASSWORD, roles: ['registration'] }, asAdmin);
  await officers.add({ username: 'approver', displayName: 'Approver', password: PASSWORD, roles: ['approver'] }, asAdmin);
  const core = t.station.core();
  ok(await core.dispatch('auth.login', { username: 'approver', password: PASSWORD }, 'approver'));
  ok(await core.dispatch('auth.login', { username: 'registrar', password: PASSWORD }, 'kiosk'));
  ok(await core.dispatch('kiosk.start', {}, 'kiosk'));
  const person = t.addPerson({ givenName: 'Kira', surname: 'Osk', email: 'Kira.Osk@Example.test', employeeId: 'EMP-42', affiliation: 'contractor' });
  const kiosk = (channel: string, input: unknown = {}) => core.dispatch(channel, input, 'kiosk');
  const audit = (action: string) =>
    t.station.store.db.prepare('SELECT actor, outcome, person_id AS personId, details_json AS details FROM audit_events WHERE action = ? ORDER BY seq').all(action) as {
      actor: string;
      outcome: string;
      personId: string | null;
      details: string;
    }[];
  return { t, core, kiosk, person, audit, pass: (ms: number) => (now += ms) };
}

describe('kiosk mode', () => {
  test('kiosk.start ends the officer session on that connection and is audited with who started it', async () => {
    const { kiosk, audit } = await kioskStation();
    expect(ok<KioskStatusView>(await kiosk('kiosk.status'))).toMatchObject({ kiosk: true, person: null });
    expect(ok<{ officer: unknown }>(await kiosk('auth.status')).officer).toBeNull();
    expect(await kiosk('persons.search', { query: 'Osk' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'kioskOnly' } } });
    expect(audit('kiosk.started')).toEqual([expect.objectContaining({ actor: 'registrar', outcome: 'ok' })]);
    expect(audit('officer.logout').map((e) => e.actor)).toEqual(['registrar']);
    expect(ok<KioskStatusView>(await kiosk('station.info'))).toBeTruthy();
  });

  test('a registration officer elsewhere is not a kiosk: kiosk channels are refused there', async () => {
    const { core } = await kioskStation();
    expect(await core.dispatch('kiosk.identify', { employeeId: 'EMP-42', email: 'kira.osk@example.test' }, 'approver')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await core.dispatch('kiosk.identify', { employeeId: 'EMP-42', email: 'kira.osk@example.test' }, 'fresh')).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    expect(ok<KioskStatusView>(await core.dispatch('kiosk.status', {}, 'approver'))).toMatchObject({ kiosk: false, person: null });
  });

  test('the kiosk shows the administered profile, not config.json’s seed', async () => {
    const { t, kiosk } = await kioskStation();
    t.station.profiles.update('contractor', { label: 'Contractor badge' }, 'admin');
    const shown = ok<KioskPersonView>(await kiosk('kiosk.identify', { employeeId: 'EMP-42', email: 'kira.osk@example.test' }));
    expect(shown.profiles).toEqual([{ id: 'contractor', label: 'Contractor badge' }]);
  });

  test('identification: employee id and e-mail (any case) → the display name and the profile of the affiliation only', async () => {
    const { kiosk, person, audit } = await kioskStation();
    const shown = ok<KioskPersonView>(await kiosk('kiosk.identify', { employeeId: 'EMP-42', email: ' kira.osk@EXAMPLE.test ' }));
    expect(shown).toEqual({ displayName: 'Kira Osk', profiles: [{ id: 'contractor', label: expect.any(String) }] });
    expect(ok<KioskStatusView>(await kiosk('kiosk.status')).person).toEqual(shown);
    expect(audit('kiosk.identified')).toEqual([expect.objectContaining({ actor: 'kiosk', outcome: 'ok', personId: person })]);
  });

  test('unknown id, wrong e-mail, a person without e-mail: one generic answer, audited without the typed values', async () => {
    const { t, kiosk, audit } = await kioskStation();
    t.addPerson({ employeeId: 'EMP-43', email: null });
    const tries = [
      { employeeId: 'EMP-99', email: 'kira.osk@example.test' },
      { employeeId: 'EMP-42', email: 'someone.else@example.test' },
      { employeeId: 'emp-42', email: 'kira.osk@example.test' },
      { employeeId: 'EMP-43', email: 'dana@example.test' },
    ];
    const answers = [];
    for (const input of tries) {
      const r = await kiosk('kiosk.identify', input);
      expect(r.ok).toBe(false);
      if (!r.ok) answers.push({ code: r.error.code, message: r.error.message, details: r.error.details });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toEqual({ code: 'KIOSK_NOT_RECOGNIZED', message: NOT_RECOGNIZED_SENTENCE, details: {} });
    const failures = audit('kiosk.identify');
    expect(failures).toHaveLength(4);
    expect(failures.every((f) => f.outcome === 'refused' && f.personId === null)).toBe(true);
    const logged = JSON.stringify(failures);
    for (const typed of ['EMP-99', 'EMP-42', 'someone.else', 'kira.osk', 'dana@']) expect(logged).not.toContain(typed);
    expect(ok<KioskStatusView>(await kiosk('kiosk.status')).person).toBeNull();
  });

  test('five failures block identification for five minutes, even with the right details; then it works again', async () => {
    const { kiosk, pass, audit } = await kioskStation();
    const right = { employeeId: 'EMP-42', email: 'kira.osk@example.test' };
    // a success in between does not clear the count of failures
    ok(await kiosk('kiosk.identify', right));
    for (let i = 1; i <= 4; i++) expect(await kiosk('kiosk.identify', { employeeId: `GUESS-${i}`, email: 'x@example.test' })).toMatchObject({ ok: false, error: { code: 'KIOSK_NOT_RECOGNIZED' } });
    ok(await kiosk('kiosk.identify', right));
    const fifth = await kiosk('kiosk.identify', { employeeId: 'GUESS-5', email: 'x@example.test' });
    expect(fifth).toMatchObject({ ok: false, error: { code: 'KIOSK_THROTTLED', details: { retryAfterSeconds: KIOSK_THROTTLE_MS / 1000 } } });
    expect(audit('kiosk.throttled')).toHaveLength(1);
    pass(KIOSK_THROTTLE_MS - 1000);
    expect(await kiosk('kiosk.identify', right)).toMatchObject({ ok: false, error: { code: 'KIOSK_THROTTLED', details: { retryAfterSeconds: 1 } } });
    pass(1000);
    expect(ok<KioskPersonView>(await kiosk('kiosk.identify', right)).displayName).toBe('Kira Osk');
  });

  test('a request: for the identified person, source kiosk, always waiting for an approver (profile without approval); the person is forgotten after it', async () => {
    const { core, kiosk, person, audit } = await kioskStation();
    expect(await kiosk('kiosk.request', { profile: 'contractor' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'kioskNotIdentified' } } });
    ok(await kiosk('kiosk.identify', { employeeId: 'EMP-42', email: 'kira.osk@example.test' }));
    expect(await kiosk('kiosk.request', { profile: 'employee' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'kioskProfile' } } });
    const receipt = ok<KioskReceiptView>(await kiosk('kiosk.request', { profile: 'contractor' }));
    expect(receipt).toMatchObject({ profile: 'contractor', state: 'requested' });

    const seen = ok<CardRequestView>(await core.dispatch('requests.get', { requestId: receipt.requestId }, 'approver'));
    expect(seen).toMatchObject({ personId: person, source: 'kiosk', state: 'requested', requestedBy: null, cardId: null });
    expect(audit('request.created')).toEqual([expect.objectContaining({ actor: 'kiosk', personId: person })]);
    expect(audit('kiosk.requested')).toEqual([expect.objectContaining({ actor: 'kiosk', personId: person })]);
    expect(JSON.parse(audit('kiosk.requested')[0]!.details)).toMatchObject({ requestId: receipt.requestId });

    // forgotten: the next person starts clean
    expect(ok<KioskStatusView>(await kiosk('kiosk.status')).person).toBeNull();
    expect(await kiosk('kiosk.request', { profile: 'contractor' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'kioskNotIdentified' } } });

    // an approver approves it
    expect(ok<CardRequestView>(await core.dispatch('requests.approve', { requestId: receipt.requestId }, 'approver')).state).toBe('approved');
  });

  test('refused at the kiosk: a second request while one is open, and a person who holds a card', async () => {
    const { t, kiosk, person, audit } = await kioskStation();
    const identify = () => kiosk('kiosk.identify', { employeeId: 'EMP-42', email: 'kira.osk@example.test' });
    ok(await identify());
    const first = ok<KioskReceiptView>(await kiosk('kiosk.request', { profile: 'contractor' }));
    ok(await identify());
    expect(await kiosk('kiosk.request', { profile: 'contractor' })).toMatchObject({ ok: false, error: { code: 'REQUEST_STATE', details: { requestId: first.requestId } } });
    expect(t.station.requests.list({ personId: person })).toHaveLength(1);

    // the request was approved and its card produced and handed out: the person holds a card
    const store = t.station.store;
    const card = approveAndCard(t, first.requestId);
    store.cards.update(card.id, { status: 'active' });
    store.requests.update(first.requestId, { state: 'produced' });
    ok(await identify());
    expect(await kiosk('kiosk.request', { profile: 'contractor' })).toMatchObject({ ok: false, error: { code: 'REQUEST_STATE', details: { rule: 'cardHeld' } } });
    expect(t.station.requests.list({ personId: person })).toHaveLength(1);
    expect(audit('kiosk.request').map((e) => [e.outcome, JSON.parse(e.details).rule])).toEqual([
      ['refused', 'REQUEST_STATE'],
      ['refused', 'cardHeld'],
    ]);
  });

  test('a kiosk caller can never request for another person (RequestService rule)', async () => {
    const { t, person } = await kioskStation();
    const other = t.addPerson();
    expect(() => t.station.requests.create({ personId: other, profile: 'employee' }, { kind: 'kiosk', personId: person })).toThrow(expect.objectContaining({ code: 'FORBIDDEN', details: { rule: 'kioskOwnPerson' } }));
    expect(() => t.station.requests.create({ personId: other, profile: 'employee' }, { kind: 'kiosk' })).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });

  test('kiosk.reset and two idle minutes forget the person (audited with the reason)', async () => {
    const { kiosk, pass, audit } = await kioskStation();
    const identify = () => kiosk('kiosk.identify', { employeeId: 'EMP-42', email: 'kira.osk@example.test' });
    ok(await identify());
    expect(ok<KioskStatusView>(await kiosk('kiosk.reset'))).toMatchObject({ kiosk: true, person: null });
    ok(await identify());
    pass(KIOSK_IDLE_MS - 1000);
    expect(ok<KioskStatusView>(await kiosk('kiosk.status')).person).not.toBeNull();
    pass(1000);
    expect(ok<KioskStatusView>(await kiosk('kiosk.status')).person).toBeNull();
    expect(await kiosk('kiosk.request', { profile: 'contractor' })).toMatchObject({ ok: false, error: { details: { rule: 'kioskNotIdentified' } } });
    expect(audit('kiosk.reset').map((e) => JSON.parse(e.details).reason)).toEqual(['reset', 'idle']);
  });

  test('leaving kiosk mode needs an officer’s password: a wrong one changes nothing, a right one ends the kiosk', async () => {
    const { kiosk, audit } = await kioskStation();
    expect(await kiosk('auth.login', { username: 'registrar', password: 'wrong password here' })).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    expect(ok<KioskStatusView>(await kiosk('kiosk.status')).kiosk).toBe(true);
    ok(await kiosk('auth.login', { username: 'approver', password: PASSWORD }));
    expect(ok<KioskStatusView>(await kiosk('kiosk.status')).kiosk).toBe(false);
    expect(await kiosk('kiosk.identify', { employeeId: 'EMP-42', email: 'kira.osk@example.test' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(ok<unknown[]>(await kiosk('requests.list'))).toEqual([]);
    expect(audit('kiosk.ended')).toEqual([expect.objectContaining({ actor: 'approver', outcome: 'ok' })]);
  });

  test('a kiosk is its window, not its socket: after a reload (a new connection of the window) it is still the kiosk, and guessing passwords there is throttled', async () => {
    const { t, core, pass } = await kioskStation();
    // The browser host places every connection of its launch in the launch's window.
    core.joinWindow('tab-1', 'launch-1');
    ok(await core.dispatch('auth.login', { username: 'registrar', password: PASSWORD }, 'tab-1'));
    ok(await core.dispatch('kiosk.start', {}, 'tab-1'));
    core.joinWindow('tab-1-reloaded', 'launch-1');
    expect(ok<KioskStatusView>(await core.dispatch('kiosk.status', {}, 'tab-1-reloaded'))).toMatchObject({ kiosk: true });
    expect(await core.dispatch('persons.search', { query: 'Osk' }, 'tab-1-reloaded')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { rule: 'kioskOnly' } } });
    ok(await core.dispatch('kiosk.identify', { employeeId: 'EMP-42', email: 'kira.osk@example.test' }, 'tab-1-reloaded'));
    // Another window is no kiosk.
    core.joinWindow('other-launch', 'launch-2');
    expect(ok<KioskStatusView>(await core.dispatch('kiosk.status', {}, 'other-launch')).kiosk).toBe(false);
    // The kiosk's officer login is throttled like any other.
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await core.dispatch('auth.login', { username: 'registrar', password: 'a wrong guess here' }, 'tab-1-reloaded');
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    expect(codes).toEqual(['NOT_AUTHENTICATED', 'NOT_AUTHENTICATED', 'NOT_AUTHENTICATED', 'NOT_AUTHENTICATED', 'LOGIN_THROTTLED']);
    expect(ok<KioskStatusView>(await core.dispatch('kiosk.status', {}, 'tab-1-reloaded')).kiosk).toBe(true);
    // An officer's login on any connection of the window (once the delay has passed) ends kiosk mode for the window.
    pass(1_000);
    ok(await core.dispatch('auth.login', { username: 'approver', password: PASSWORD }, 'tab-1-reloaded'));
    expect(ok<KioskStatusView>(await core.dispatch('kiosk.status', {}, 'tab-1')).kiosk).toBe(false);
    expect(t.station.store.audit.list().filter((e) => e.action === 'kiosk.ended')).toHaveLength(1);
  });
});

/** Approves `requestId` as a fresh approver and returns its card object. */
function approveAndCard(t: TrainingStation, requestId: string) {
  const approver = t.station.officers.list().find((o) => o.username === 'approver')!;
  const r = t.station.requests.approve(requestId, { kind: 'officer', officer: approver, sessionId: 'x' });
  return t.station.store.cards.get(r.cardId!)!;
}
