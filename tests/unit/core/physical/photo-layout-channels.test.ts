/**
 * Photos and layouts through the StationApi: a refused photo answers in words and stores nothing;
 * a dry run shows the portrait; storing and replacing are audited without the image; replacing a
 * photo after approval voids the approval; nobody stores their own photo; a person in production
 * keeps the photo; layouts are changed like profiles (validated, versioned, audited) and previewed
 * from the same data as the print; the audit export holds no photo.
 */
import { afterEach, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';
import { syntheticPhoto } from '../../../support/portrait-images.js';
import { ok } from '../../../support/results.js';
import type { CardRequestView } from '../../../../electron/contract/station-api.js';

const PASSWORD = 'correct horse battery staple';
const FRAME = { x: 0.21875, y: 0, width: 0.5625, height: 1 };

let t: TrainingStation | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const photo = async (o: Parameters<typeof syntheticPhoto>[0] = { width: 640, height: 480 }) => Buffer.from(await syntheticPhoto(o)).toString('base64');

/** A station with a registration officer and an approver, each logged in on their own connection. */
async function desk() {
  t = await openTrainingStation();
  const ts = t;
  const admin = await ts.station.officers.add({ username: 'admin', displayName: 'Admin', password: PASSWORD, roles: ['admin'] }, { kind: 'anonymous' });
  const as = { kind: 'officer' as const, officer: admin, sessionId: 'setup' };
  await ts.station.officers.add({ username: 'reg', displayName: 'Reg', password: PASSWORD, roles: ['registration', 'auditor'] }, as);
  await ts.station.officers.add({ username: 'appr', displayName: 'Appr', password: PASSWORD, roles: ['approver'] }, as);
  await ts.station.officers.add({ username: 'boss', displayName: 'Boss', password: PASSWORD, roles: ['admin'] }, as);
  const core = ts.station.core();
  for (const u of ['reg', 'appr', 'boss']) ok(await core.dispatch('auth.login', { username: u, password: PASSWORD }, u));
  return { ts, core, call: (who: string, channel: string, input: unknown) => core.dispatch(channel, input, who) };
}

describe('persons.setPhoto / getPhoto', () => {
  it('a refused photo answers every finding in words and stores nothing; a dry run shows the 450 × 600 portrait', async () => {
    const { ts, call } = await desk();
    const personId = ts.addPerson();
    const refused = ok<{ accepted: boolean; findings: { problem: string; sentence: string }[] }>(
      await call('reg', 'persons.setPhoto', { personId, image: await photo({ width: 300, height: 200, exposure: 0.2 }), source: 'file' }),
    );
    expect(refused.accepted).toBe(false);
    expect(refused.findings.map((f) => f.problem)).toEqual(['landscape', 'too-small', 'too-dark']);
    expect(refused.findings[0]!.sentence).toMatch(/not in portrait orientation/);
    expect(ok(await call('reg', 'persons.getPhoto', { personId }))).toBeNull();
    const dry = ok<{ accepted: boolean; photo: unknown; preview: string }>(await call('reg', 'persons.setPhoto', { personId, image: await photo(), source: 'camera', crop: FRAME, dryRun: true }));
    expect(dry).toMatchObject({ accepted: true, photo: null });
    expect(await sharp(Buffer.from(dry.preview, 'base64')).metadata()).toMatchObject({ format: 'jpeg', width: 450, height: 600 });
    expect(ok(await call('reg', 'persons.getPhoto', { personId }))).toBeNull();
    expect(await call('reg', 'persons.setPhoto', { personId, image: 'R0lGODlhAQABAAAAACw=', source: 'file' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'The image must be a JPEG or PNG file.' } });
  });

  it('stores and replaces photos as versions, audited with who and when but never the image', async () => {
    const { ts, call } = await desk();
    const personId = ts.addPerson();
    const image = await photo();
    const first = ok<{ photo: { version: number; capturedBy: string; source: string } }>(await call('reg', 'persons.setPhoto', { personId, image, source: 'camera', crop: FRAME }));
    expect(first.photo).toMatchObject({ version: 1, capturedBy: 'reg', source: 'camera' });
    const second = ok<{ photo: { version: number } }>(await call('reg', 'persons.setPhoto', { personId, image: await photo({ width: 600, height: 800, format: 'png' }), source: 'file' }));
    expect(second.photo.version).toBe(2);
    const got = ok<{ version: number; jpeg: string }>(await call('reg', 'persons.getPhoto', { personId }));
    expect(got.version).toBe(2);
    expect(ok<{ photoVersion: number }>(await call('reg', 'persons.get', { id: personId })).photoVersion).toBe(2);
    const events = ts.station.store.audit.list({ personId }).filter((e) => e.action.startsWith('person.photo'));
    expect(events.map((e) => [e.action, e.actor, e.details])).toEqual([
      ['person.photo.added', 'reg', { version: 1, source: 'camera' }],
      ['person.photo.replaced', 'reg', { version: 2, source: 'file' }],
    ]);
    // Photos are not in the audit log or its export.
    const exported = ok<{ content: string }>(await call('reg', 'audit.export', { format: 'json', personId }));
    expect(exported.content).not.toContain(got.jpeg.slice(0, 40));
    expect(exported.content).not.toContain(image.slice(100, 140));
  });

  it('replacing the photo after approval voids the approval and cancels the card object', async () => {
    const { ts, call } = await desk();
    const personId = ts.addPerson();
    ok(await call('reg', 'persons.setPhoto', { personId, image: await photo(), source: 'camera', crop: FRAME }));
    const request = ok<CardRequestView>(await call('reg', 'requests.create', { personId, profile: 'employee' }));
    const approved = ok<CardRequestView>(await call('appr', 'requests.approve', { requestId: request.id }));
    expect(approved.cardId).toBeTruthy();
    const replaced = ok<{ voidedRequests: string[] }>(await call('reg', 'persons.setPhoto', { personId, image: await photo({ width: 640, height: 480, background: 120 }), source: 'camera', crop: FRAME }));
    expect(replaced.voidedRequests).toEqual([request.id]);
    expect(ok<CardRequestView>(await call('reg', 'requests.get', { requestId: request.id }))).toMatchObject({ state: 'requested', cardId: null, decidedBy: null });
    expect(ts.station.store.cards.get(approved.cardId!)?.status).toBe('cancelled');
    expect(ts.station.store.audit.list({ personId }).some((e) => e.action === 'request.approval.voided')).toBe(true);
    // Approved again: a new card object.
    const again = ok<CardRequestView>(await call('appr', 'requests.approve', { requestId: request.id }));
    expect(again.cardId).not.toBe(approved.cardId);
  });

  it('nobody stores their own photo', async () => {
    const { ts, core } = await desk();
    const personId = ts.addPerson();
    const admin = ts.station.store.officers.getByUsername('admin')!;
    await ts.station.officers.add(
      { username: 'self', displayName: 'Self', password: PASSWORD, roles: ['registration'], personId },
      { kind: 'officer', officer: { ...admin, roles: ['admin'] } as never, sessionId: 'x' },
    );
    ok(await core.dispatch('auth.login', { username: 'self', password: PASSWORD }, 'self'));
    expect(await core.dispatch('persons.setPhoto', { personId, image: await photo(), source: 'camera', crop: FRAME }, 'self')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { rule: 'photoForSelf' } },
    });
    expect(ts.station.store.photos.current(personId)).toBeUndefined();
  });
});

describe('layouts', () => {
  it('are changed by administrators like profiles: validated, versioned, audited; the preview draws from the same data', async () => {
    const { ts, call } = await desk();
    const before = ok<{ version: number; affiliationColor: string; agencyLines: string[] }>(await call('reg', 'layouts.get', { profile: 'contractor' }));
    expect(before).toMatchObject({ version: 1, affiliationColor: 'green', agencyLines: ['PIV Station Test', 'Agency'] });
    expect(await call('reg', 'layouts.update', { profile: 'contractor', patch: { header: 'X' } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('boss', 'layouts.update', { profile: 'contractor', patch: { affiliationColor: 'red' } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('boss', 'layouts.update', { profile: 'contractor', patch: { agencyLines: ['An agency name far too long for the chip'] } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    const seal = Buffer.from(await sharp({ create: { width: 236, height: 236, channels: 3, background: '#224' } }).png().toBuffer()).toString('base64');
    const updated = ok<{ version: number; header: string; hasSeal: boolean }>(
      await call('boss', 'layouts.update', { profile: 'contractor', patch: { header: 'United States Government', showSeal: true, seal } }),
    );
    expect(updated).toMatchObject({ version: 2, header: 'United States Government', hasSeal: true });
    const audited = ts.station.store.audit.list().filter((e) => e.action === 'layout.updated');
    expect(audited.at(-1)?.details).toMatchObject({ profile: 'contractor', version: 2 });
    expect(JSON.stringify(audited)).not.toContain(seal.slice(0, 40));
    const personId = ts.addPerson({ givenName: 'Zoë', surname: 'Ångström' });
    const preview = ok<{ front: string; back: string }>(await call('reg', 'layouts.preview', { profile: 'contractor', personId, layout: { footer: 'Federal Emergency Response Official', footerStyle: 'emergency' } }));
    expect(preview.front).toContain('aria-label="ANGSTROM,"');
    expect(preview.front).toContain('aria-label="ZOE"');
    expect(preview.front).toContain('aria-label="United States Government"');
    expect(preview.front).toContain('aria-label="Federal Emergency Response Official"');
    expect(preview.front).toContain('data-zone="11F"');
    expect(preview.back).toContain('aria-label="PIVSTATION"');
    // The unsaved draft changed nothing stored.
    expect(ok<{ footer: string | null }>(await call('reg', 'layouts.get', { profile: 'contractor' })).footer).toBeNull();
  });
});
