/**
 * Production follows the card profile (issue 4): only the profile's slots and
 * optional objects are written and verified (the rest reported as skipped);
 * a retry finishes a job under the profile it started with, whatever an
 * administrator changed meanwhile; the PIN policy refuses a wrong PIN choice
 * before anything touches the card. On the in-process training reader.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { PivSession } from '../../../../electron/core/piv/session.js';
import { FactoryDefaults, ObjectTag, PIV_SLOTS, SLOT_CERT_OBJECT, type PivSlot } from '../../../../electron/core/piv/constants.js';
import { runJob } from '../../../../electron/core/issuance/engine.js';
import type { ProfileRegistry } from '../../../../electron/core/workflow/profile-registry.js';
import { verifyCard, type VerificationReport } from '../../../../electron/core/issuance/verify-card.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const PIN = '246810';

function registryOf(ts: TrainingStation): ProfileRegistry {
  return ts.station.profiles;
}

/**
 * What the card in the training reader holds: slots with a certificate, and
 * which optional objects are present. (Discovery is not among them: like a
 * YubiKey, the card carries the very Discovery object the station writes from
 * the factory, so only the job's steps tell whether the station wrote it.)
 */
async function cardContents(ts: TrainingStation, pin: string): Promise<{ slots: PivSlot[]; printed: boolean; keyHistory: boolean }> {
  const transport = await ts.reader.connect(ts.readerName);
  try {
    const s = new PivSession(transport);
    await s.select();
    const slots: PivSlot[] = [];
    for (const slot of PIV_SLOTS) if (await s.getData(SLOT_CERT_OBJECT[slot])) slots.push(slot);
    await s.verifyPin(pin);
    return {
      slots,
      printed: !!(await s.getData(ObjectTag.PRINTED_INFORMATION)),
      keyHistory: !!(await s.getData(ObjectTag.KEY_HISTORY)),
    };
  } finally {
    await transport.close('reset');
  }
}

/** Rows per table: unchanged when a refusal touched nothing. */
function rowCounts(ts: TrainingStation): Record<string, number> {
  const db = ts.station.store.db;
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT COUNT(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

describe('the engine writes what the profile names', () => {
  test('a 9A+9E profile without Printed Information or Discovery: two certificates, Key History only; verify skips the rest and passes', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    registryOf(t).update('employee', { slots: ['9A', '9E'], objects: ['key-history'] }, 'admin');
    const out = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: PIN });
    expect(out.job.status, out.job.error?.message).toBe('done');

    const names = out.steps.map((s) => s.name);
    expect(names.filter((n) => /^(generate|certify|load)\./.test(n))).toEqual(['generate.9A', 'certify.9A', 'load.9A', 'generate.9E', 'certify.9E', 'load.9E']);
    expect(names).toContain('object.ccc');
    expect(names).toContain('object.key-history');
    expect(names).not.toContain('object.printed-information');
    expect(names).not.toContain('object.discovery');

    expect(await cardContents(t, PIN)).toEqual({ slots: ['9A', '9E'], printed: false, keyHistory: true });
    expect(t.station.store.certificates.listByCard(out.card.id).map((c) => c.slot).sort()).toEqual(['9A', '9E']);

    const report = out.steps.find((s) => s.name === 'verify')!.data!.report as VerificationReport;
    expect(report.ok).toBe(true);
    const skipped = report.checks.filter((c) => c.skipped).map((c) => [c.name, c.detail]);
    expect(skipped).toEqual([
      ['9C certificate', 'not in the card profile'],
      ['9D certificate', 'not in the card profile'],
      ['Discovery object read back', 'not in the card profile'],
      ['Printed Information read back', 'not in the card profile'],
    ]);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.find((c) => c.name === '9A key matches its certificate')?.skipped).toBeFalsy();

    // `station verify` (no record of what was written) accepts the card: 9C and 9D are optional.
    const ts = t;
    const transport = await ts.reader.connect(ts.readerName);
    try {
      const session = new PivSession(transport);
      await session.select();
      const plain = await verifyCard({ session, trust: await ts.station.ca.trustAnchors(), verifyPin: () => session.verifyPin(PIN) });
      expect(plain.ok, JSON.stringify(plain.checks.filter((c) => !c.ok))).toBe(true);
      expect(plain.checks.filter((c) => c.skipped).map((c) => [c.name, c.detail])).toEqual([
        ['9C certificate', 'optional slot, not on this card'],
        ['9D certificate', 'optional slot, not on this card'],
      ]);
    } finally {
      await transport.close('reset');
    }

    // The production names the profile version in the job and in the audit trail.
    expect(out.job.params).toMatchObject({ profile: 'employee', profileVersion: 2 });
    const produced = t.station.store.audit.list({}).find((e) => e.action === 'card.produced')!;
    expect(produced.details).toMatchObject({ profile: 'employee', profileVersion: 2 });
  });

  test('the default profile still writes four certificates and every object', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    const out = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: PIN });
    expect(out.job.status).toBe('done');
    expect(out.steps.find((s) => s.name === 'object.discovery')?.status).toBe('done');
    expect(await cardContents(t, PIN)).toEqual({ slots: ['9A', '9C', '9D', '9E'], printed: true, keyHistory: true });
    const report = out.steps.find((s) => s.name === 'verify')!.data!.report as VerificationReport;
    expect(report.checks.filter((c) => c.skipped)).toEqual([]);
  });
});

describe('a retry uses the profile the job started with', () => {
  test('an administrator narrows the profile while a job is failed: the retry still writes all four slots and every object', async () => {
    t = await openTrainingStation({ faults: { removeAfterApdus: 30 } }, { directProduction: true });
    const first = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: PIN });
    expect(first.job.status).toBe('failed');
    registryOf(t).update('employee', { slots: ['9A', '9E'], objects: [], pinPolicy: { minLength: 8, maxLength: 8, source: 'generated' } }, 'admin');

    t.card.faults.removeAfterApdus = undefined;
    t.reader.insert(t.card);
    // The job's own PIN policy (6-8, either) still holds: its typed PIN is accepted.
    const retried = await t.station.production.retry(first.job.id, t.readerName, PIN);
    expect(retried.job.status, retried.job.error?.message).toBe('done');
    expect(await cardContents(t, PIN)).toEqual({ slots: ['9A', '9C', '9D', '9E'], printed: true, keyHistory: true });
    expect(retried.job.params).toMatchObject({ profileVersion: 1 });
    expect(retried.steps.filter((st) => st.status === 'done').map((st) => st.name)).toEqual(expect.arrayContaining(['load.9C', 'load.9D', 'object.discovery', 'object.printed-information']));

    // A new job follows the edited profile.
    t.reader.insert((await import('../../../../native/virtual-card/card.js')).VirtualPivCard.create());
    const next = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName });
    expect(next.job.status, next.job.error?.message).toBe('done');
    expect(next.oneTimeSecrets?.pin).toMatch(/^\d{8}$/);
    // The Security Object is mandatory (SP 800-73-4 Part 1 Table 3): written even when the profile names no optional object.
    expect(next.steps.map((st) => st.name).filter((n) => n.startsWith('object.'))).toEqual(['object.ccc', 'object.security-object']);
    expect(await cardContents(t, next.oneTimeSecrets!.pin!)).toEqual({ slots: ['9A', '9E'], printed: false, keyHistory: false });
  });
});

describe('a card taken over from a cancelled job', () => {
  test('keeps only what the new job\'s profile writes: the earlier 9C/9D certificates and Printed Information are deleted', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    // A job run without the cardholder's PIN stops at the PIN step: every certificate and object is on the card by then.
    const created = t.station.production.createJob({ personId: t.addPerson(), readerName: t.readerName, pin: PIN });
    const { store, ca, keyring, config, profiles } = t.station;
    const first = await runJob({ store, ca, keyring, config, profiles, readers: t.reader }, created.id, t.readerName, {});
    expect(first.failedStep).toBe('pin');
    expect(await cardContents(t, FactoryDefaults.PIN)).toEqual({ slots: ['9A', '9C', '9D', '9E'], printed: true, keyHistory: true });
    await t.station.production.cancel(first.id, 'the cardholder left');

    registryOf(t).update('employee', { slots: ['9A', '9E'], objects: ['key-history'] }, 'admin');
    const again = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: '135246' });
    expect(again.job.status, again.job.error?.message).toBe('done');
    // The card has DELETE KEY (F6): the keys of the certificates that go, go too.
    expect(again.steps.find((st) => st.name === 'takeover')?.data).toMatchObject({ deleted: ['certificate 9C', 'key 9C', 'certificate 9D', 'key 9D', 'printed'] });
    expect(await cardContents(t, '135246')).toEqual({ slots: ['9A', '9E'], printed: false, keyHistory: true });
  });
});

describe('the PIN policy is enforced in the core before the card is touched', () => {
  test('typed PIN for a generated profile, no PIN for a chosen one, a PIN outside the length: INVALID_INPUT, nothing stored, the reader never opened', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    const ts = t;
    const personId = ts.addPerson();
    const profiles = registryOf(ts);
    let connects = 0;
    const connect = ts.reader.connect.bind(ts.reader);
    ts.reader.connect = async (name: string) => {
      connects++;
      return connect(name);
    };
    const before = rowCounts(ts);
    const refused = async (pin: string | undefined, message: RegExp) => {
      await expect(ts.station.production.produce({ personId, readerName: ts.readerName, pin })).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'pin' }, message: expect.stringMatching(message) });
    };

    profiles.update('employee', { pinPolicy: { minLength: 6, maxLength: 8, source: 'generated' } }, 'admin');
    await refused(PIN, /station generate the PIN/);
    profiles.update('employee', { pinPolicy: { minLength: 7, maxLength: 8, source: 'chosen' } }, 'admin');
    await refused(undefined, /chosen by the cardholder/);
    await refused('975312', /7 to 8 digits/);
    profiles.update('employee', { pinPolicy: { minLength: 6, maxLength: 6, source: 'either' } }, 'admin');
    await refused('9753124', /must be 6 digits/);

    const after = rowCounts(ts);
    // Only the profile edits and their audit events (and signed chain heads) were stored: no card, job or credential number.
    expect({ ...after, card_profiles: 0, audit_events: 0, audit_heads: 0 }).toEqual({ ...before, card_profiles: 0, audit_events: 0, audit_heads: 0 });
    expect(ts.station.store.audit.list({}).filter((e) => !e.action.startsWith('profile.'))).toEqual([]);
    expect(connects).toBe(0);

    // Within the policy it produces.
    const out = await ts.station.production.produce({ personId, readerName: ts.readerName, pin: '975312' });
    expect(out.job.status).toBe('done');
  });

  test('a reissue with a typed PIN for a generated-PIN profile is refused before the old card is revoked', async () => {
    t = await openTrainingStation({}, { directProduction: true });
    const out = await t.station.production.produce({ personId: t.addPerson(), readerName: t.readerName, pin: PIN });
    expect(out.job.status).toBe('done');
    registryOf(t).update('employee', { pinPolicy: { minLength: 6, maxLength: 8, source: 'generated' } }, 'admin');
    const officer = await t.login();
    await expect(t.station.lifecycle.reissue(out.card.id, 'damaged', t.readerName, '975312', { kind: 'officer', officer, sessionId: 'local' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      details: { field: 'pin' },
    });
    expect(t.station.store.cards.get(out.card.id)?.status).toBe('produced');
    expect(t.station.store.certificates.listByCard(out.card.id).every((c) => c.status === 'valid')).toBe(true);
    expect(t.station.store.cards.listByPerson(out.card.personId)).toHaveLength(1); // no replacement made
  });

  test('a request produced for a chosen-PIN profile without a PIN is refused, and the card object stays approved', async () => {
    t = await openTrainingStation();
    const admin = await t.login();
    const caller = { kind: 'officer' as const, officer: admin, sessionId: 's' };
    registryOf(t).update('visitor', { pinPolicy: { minLength: 6, maxLength: 8, source: 'chosen' } }, 'admin');
    const personId = t.addPerson({ affiliation: 'visitor' });
    const request = t.station.requests.create({ personId, profile: 'visitor' }, { kind: 'idprs' });
    expect(() => t!.station.requests.startProduction(request.id, t!.readerName, undefined, caller)).toThrow(/chosen by the cardholder/);
    expect(t.station.store.cards.get(t.station.store.requests.get(request.id)!.cardId!)?.status).toBe('approved');
  });
});
