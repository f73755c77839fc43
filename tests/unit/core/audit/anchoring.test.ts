/**
 * Audit anchoring (issue 10, finding 5 "Audit rewrite"): with file access,
 * rewriting the chain consistently and deleting audit_heads and audit_keys
 * made `audit verify` report ok with 0 signed heads, and the station then
 * quietly made a new audit key. Now verify fails when events extend past the
 * last signed head by more than a small bound, when heads or the key are
 * missing while events exist, when the key changed without an audited
 * rotation, and when the log disagrees with the anchor published outside the
 * data dir; without an anchor it says "unanchored".
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { anchorDocument, anchorFilePublisher, parseAnchor } from '../../../../electron/core/audit/anchor.js';
import { attachAuditSigner, DEFAULT_SIGN_EVERY, headSignedBytes, KEY_ROTATED_ACTION, MAX_UNSIGNED_EVENTS } from '../../../../electron/core/audit/head-signer.js';
import { AuditService } from '../../../../electron/core/audit/service.js';
import { verifyAuditLog } from '../../../../electron/core/audit/verify.js';
import { outboxRepository } from '../../../../electron/core/notifications/outbox.js';
import { DEFAULT_CONFIG } from '../../../../electron/core/config/station-config.js';
import { openTrainingStation, type TrainingStation } from '../../../support/training-station.js';
import { ok } from '../../../support/results.js';
import type { AuditVerificationView } from '../../../../electron/contract/station-api.js';
import { appendEvents, auditFixture, dropAuditTriggers, rechain, type AuditFixture } from './helpers.js';

const dirs: string[] = [];
let ts: TrainingStation | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'audit-anchor-'));
  dirs.push(d);
  return d;
}

const verify = (f: AuditFixture, anchor?: Parameters<typeof verifyAuditLog>[0]['anchor']) => verifyAuditLog({ audit: f.store.audit, trust: (id) => f.signer.trust(id), anchor });

/** The attack of finding 5: change event 3, recompute every hash after it, delete the signed heads and the audit keys. */
function rewriteAndStrip(f: AuditFixture): void {
  dropAuditTriggers(f.store);
  f.store.db.prepare("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3").run();
  rechain(f.store);
  f.store.db.exec('DELETE FROM audit_heads; DELETE FROM audit_keys;');
}

/** The current anchor of a fixture, as the anchor file would hold it. */
function anchorOf(f: AuditFixture) {
  return anchorDocument(f.store.audit.heads.latest()!, f.store.audit.keys.list(), '2025-03-01T12:00:00.000Z');
}

describe('the rewrite of finding 5', () => {
  it('rewriting the chain consistently and deleting audit_heads and audit_keys no longer verifies', () => {
    const f = auditFixture(DEFAULT_SIGN_EVERY);
    appendEvents(f.store, 30);
    f.signer.signHead();
    expect(verify(f).ok).toBe(true);
    rewriteAndStrip(f);
    const r = verify(f);
    expect(r).toMatchObject({ ok: false, signedHeads: 0, firstBroken: { seq: 1, problem: 'key-missing' } });
    expect(r.firstBroken?.message).toContain('no audit key');
  });

  it('the station then makes no new audit key, signs nothing, and verify keeps failing', () => {
    const f = auditFixture(DEFAULT_SIGN_EVERY);
    appendEvents(f.store, 30);
    rewriteAndStrip(f);
    const reopened = attachAuditSigner(f.store, f.box);
    expect(reopened.keyId).toBeNull();
    expect(f.store.audit.keys.list()).toEqual([]);
    appendEvents(f.store, 25);
    expect(reopened.signHead()).toBeNull();
    expect(f.store.audit.heads.list()).toEqual([]);
    expect(new AuditService({ store: f.store, signer: reopened }).verify()).toMatchObject({ ok: false, firstBroken: { problem: 'key-missing' } });
  });

  it('with the anchor published elsewhere, even a rebuild with a new key of its own is caught', () => {
    const f = auditFixture(DEFAULT_SIGN_EVERY);
    appendEvents(f.store, 30);
    f.signer.signHead();
    const anchor = anchorOf(f);
    expect(verify(f, { source: 'anchor.json', anchor })).toMatchObject({ ok: true, anchor: { status: 'checked', source: 'anchor.json', seq: 30 } });
    // The attacker rebuilds the log and lets a fresh station (empty key table, new key) sign it.
    rewriteAndStrip(f);
    f.store.db.exec("DELETE FROM sqlite_sequence WHERE name = 'audit_keys'");
    const forged = attachAuditSigner(f.store, f.box);
    expect(forged.keyId).toBeNull(); // the log has events: no key is made
    const r = verify(f, { source: 'anchor.json', anchor });
    expect(r.ok).toBe(false);
    expect(r.firstBroken?.problem).toMatch(/key-missing|anchor-mismatch/);
    // Had the attacker also added a key and heads of their own, the anchor still disagrees.
    const g = auditFixture(DEFAULT_SIGN_EVERY);
    appendEvents(g.store, 30);
    g.signer.signHead();
    const anchorG = anchorOf(g);
    rewriteAndStrip(g);
    g.store.db.exec("DELETE FROM sqlite_sequence WHERE name IN ('audit_keys', 'audit_heads')");
    g.store.db.exec('DELETE FROM audit_events'); // an empty log gets a new key …
    g.store.db.exec("DELETE FROM sqlite_sequence WHERE name = 'audit_events'");
    const fresh = attachAuditSigner(g.store, g.box, { everyEvents: DEFAULT_SIGN_EVERY });
    expect(fresh.keyId).not.toBeNull();
    appendEvents(g.store, 30); // … and a consistent new history, signed by it
    fresh.signHead();
    const h = verifyAuditLog({ audit: g.store.audit, trust: (id) => fresh.trust(id), anchor: { source: 'anchor.json', anchor: anchorG } });
    expect(h).toMatchObject({ ok: false, firstBroken: { problem: 'anchor-mismatch' } });
    expect(h.firstBroken?.message).toContain('audit key was replaced');
  });
});

describe('verify fails when', () => {
  it('events extend past the last signed head by more than the bound', () => {
    const f = auditFixture(DEFAULT_SIGN_EVERY);
    appendEvents(f.store, 100); // signing as usual keeps the unsigned tail short
    expect(verify(f).ok).toBe(true);
    f.signer.signHead();
    f.store.audit.setHeadSigner(null); // signing stops
    appendEvents(f.store, MAX_UNSIGNED_EVENTS);
    expect(verify(f).ok).toBe(true);
    appendEvents(f.store, 1);
    const covered = f.store.audit.heads.latest()!.seq;
    const r = verify(f);
    expect(r).toMatchObject({ ok: false, firstBroken: { seq: covered + MAX_UNSIGNED_EVENTS + 1, problem: 'unsigned' } });
    expect(r.firstBroken?.message).toContain(`Events ${covered + 1} to ${f.store.audit.count()} are not covered by a signed chain head`);
  });

  it('the signed heads are missing while events exist', () => {
    const f = auditFixture();
    appendEvents(f.store, 3);
    dropAuditTriggers(f.store);
    f.store.db.exec('DELETE FROM audit_heads');
    expect(verify(f)).toMatchObject({ ok: false, firstBroken: { seq: 1, problem: 'unsigned' } });
  });

  it('the audit key changed without an audited rotation', () => {
    const f = auditFixture(DEFAULT_SIGN_EVERY);
    appendEvents(f.store, 10);
    // Someone with the keyring's box seals a key of their own (the station's label format) and signs with it.
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' }));
    const sealed = f.box.seal(new Uint8Array(pair.privateKey.export({ format: 'der', type: 'pkcs8' })), `audit/head-key/${createHash('sha256').update(spki).digest('hex')}`);
    const key = f.store.audit.keys.add({ algorithm: 'ECDSA-P256-SHA256', publicKeySpki: spki, sealedPrivateKey: sealed });
    const head = { ...f.store.audit.head()!, at: '2025-03-01T12:00:00.000Z' };
    f.store.audit.heads.add({ ...head, keyId: key.id, signature: new Uint8Array(sign('sha256', headSignedBytes(head), pair.privateKey)) });
    expect(f.signer.trust(key.id).trusted).toBe(true); // the seal alone does not tell
    const r = verify(f);
    expect(r).toMatchObject({ ok: false, firstBroken: { seq: 10, problem: 'key-not-rotated' } });
    expect(r.firstBroken?.message).toContain('no audited key rotation introduced');
  });

  it('the log disagrees with the anchor: events deleted past it, or the anchor cannot be read', () => {
    const f = auditFixture(DEFAULT_SIGN_EVERY);
    appendEvents(f.store, 12);
    f.signer.signHead();
    const anchor = anchorOf(f);
    dropAuditTriggers(f.store);
    f.store.db.exec('DELETE FROM audit_events WHERE seq > 8; DELETE FROM audit_heads WHERE seq > 8');
    expect(verify(f, { source: 'a.json', anchor })).toMatchObject({ ok: false, firstBroken: { seq: 9, problem: 'anchor-mismatch' } });
    expect(verify(f, { source: '/mnt/gone/a.json', unavailable: 'the file is not there' })).toMatchObject({
      ok: false,
      anchor: { status: 'unavailable', source: '/mnt/gone/a.json' },
      firstBroken: { problem: 'anchor-unavailable' },
    });
  });

  it('an anchor whose own signature does not verify is reported, not trusted', () => {
    const f = auditFixture(DEFAULT_SIGN_EVERY);
    appendEvents(f.store, 5);
    const anchor = anchorOf(f);
    const forged = { ...anchor, head: { ...anchor.head, hash: 'ab'.repeat(32) } };
    expect(verify(f, { source: 'a.json', anchor: forged }).firstBroken).toMatchObject({ problem: 'anchor-mismatch' });
    expect(verify(f, { source: 'a.json', anchor: forged }).firstBroken?.message).toContain('anchor itself is damaged');
    expect(() => parseAnchor('{"type":"something else"}')).toThrow(/not a PIV Station audit anchor/);
    expect(() => parseAnchor('not json')).toThrow(/not JSON/);
  });
});

describe('audited key rotation', () => {
  it('the previous key signs the rotation; heads of the new key follow it; verify accepts it', () => {
    const f = auditFixture(DEFAULT_SIGN_EVERY);
    appendEvents(f.store, 7);
    const before = f.signer.keyId!;
    const rotation = f.signer.rotateKey('admin');
    expect(rotation).toMatchObject({ previousKeyId: before, seq: 8 });
    expect(f.signer.keyId).toBe(rotation.keyId);
    expect(f.store.audit.list().at(-1)).toMatchObject({ actor: 'admin', action: KEY_ROTATED_ACTION, details: { previousKeyId: before, newKeyId: rotation.keyId, newKeyFingerprint: rotation.fingerprint } });
    expect(f.store.audit.heads.latest()).toMatchObject({ seq: 8, keyId: before });
    appendEvents(f.store, 30);
    expect(f.store.audit.heads.latest()?.keyId).toBe(rotation.keyId);
    expect(verify(f)).toMatchObject({ ok: true });
    // A new anchor names both keys; verify against it passes.
    expect(verify(f, { source: 'a.json', anchor: anchorOf(f) }).ok).toBe(true);
  });

  it('a rotation with the previous key missing lets the station sign again, but verify keeps reporting it', () => {
    const f = auditFixture(DEFAULT_SIGN_EVERY);
    appendEvents(f.store, 5);
    dropAuditTriggers(f.store);
    f.store.db.exec('DELETE FROM audit_heads; DELETE FROM audit_keys;');
    const keyless = attachAuditSigner(f.store, f.box);
    const rotation = keyless.rotateKey('admin');
    expect(rotation.previousKeyId).toBeNull();
    appendEvents(f.store, 45);
    expect(f.store.audit.heads.list().length).toBeGreaterThan(1);
    expect(f.store.audit.heads.list().every((h) => h.keyId === rotation.keyId)).toBe(true);
    const r = verifyAuditLog({ audit: f.store.audit, trust: (id) => keyless.trust(id) });
    expect(r).toMatchObject({ ok: false, firstBroken: { seq: rotation.seq, problem: 'key-not-rotated' } });
    expect(r.firstBroken?.message).toContain('previous one was missing');
  });
});

describe('publishing the anchor', () => {
  it('the anchor file follows every signed head once it committed, and checks out', async () => {
    const dir = tempDir();
    const file = join(dir, 'anchor.json');
    const f = auditFixture(DEFAULT_SIGN_EVERY);
    const logs: string[] = [];
    const publisher = anchorFilePublisher(file, f.store.audit, (l) => logs.push(l));
    const signer = attachAuditSigner(f.store, f.box, { everyEvents: DEFAULT_SIGN_EVERY, onSigned: () => publisher.signed() });
    appendEvents(f.store, 25);
    await new Promise((r) => setImmediate(r)); // the publisher writes after the signing transaction
    const written = parseAnchor(readFileSync(file, 'utf8'));
    expect(written.head).toMatchObject({ seq: f.store.audit.heads.latest()!.seq, keyId: signer.keyId });
    expect(verifyAuditLog({ audit: f.store.audit, trust: (id) => signer.trust(id), anchor: { source: file, anchor: written } }).ok).toBe(true);
    // A head rolled back with its event is never published.
    expect(() =>
      f.store.transaction(() => {
        appendEvents(f.store, DEFAULT_SIGN_EVERY);
        throw new Error('rollback');
      }),
    ).toThrow('rollback');
    await new Promise((r) => setImmediate(r));
    expect(parseAnchor(readFileSync(file, 'utf8')).head.seq).toBe(written.head.seq);
    // A missing volume is reported, not created.
    const missing = anchorFilePublisher(join(dir, 'not-mounted', 'anchor.json'), f.store.audit, (l) => logs.push(l));
    missing.publishNow();
    expect(logs.at(-1)).toMatch(/not-mounted.*is not there/);
  });
});

describe('the station', () => {
  it('publishes the anchor file and the IDPRS notification as configured; verify checks it, or says unanchored', async () => {
    const dir = tempDir();
    const file = join(dir, 'station-anchor.json');
    ts = await openTrainingStation({}, {
      config: { auditAnchor: { file, notify: true }, notifications: { url: 'http://127.0.0.1:9/idprs' } },
    });
    await ts.login();
    await new Promise((r) => setImmediate(r));
    const anchor = parseAnchor(readFileSync(file, 'utf8'));
    expect(anchor.keys).toHaveLength(1);
    const verification = ok<AuditVerificationView>(await ts.station.core().dispatch('audit.verify', {}));
    expect(verification).toMatchObject({ ok: true, anchor: { status: 'checked', source: file } });
    const heads = outboxRepository(ts.station.store.db).list().filter((e) => e.type === 'audit.head_signed');
    expect(heads.length).toBeGreaterThan(0);
    expect(heads[0]).toMatchObject({ stream: 'station:audit', personId: null, payload: { person: null, data: { seq: 1, keyFingerprint: anchor.keys[0]!.fingerprint } } });
    // An anchor given explicitly (audit verify --anchor FILE) is checked instead.
    const given = ok<AuditVerificationView>(await ts.station.core().dispatch('audit.verify', { anchor: readFileSync(file, 'utf8') }));
    expect(given.anchor).toMatchObject({ status: 'checked', source: 'the anchor given' });
    expect(await ts.station.core().dispatch('audit.verify', { anchor: 'garbage' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('without an anchor configured, verify reports "unanchored"', async () => {
    ts = await openTrainingStation();
    await ts.login();
    expect(ok<AuditVerificationView>(await ts.station.core().dispatch('audit.verify', {})).anchor).toEqual({ status: 'unanchored' });
  });

  it('a relative anchor path, or one inside the data dir, is refused; notify needs notifications', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...DEFAULT_CONFIG, auditAnchor: { file: 'anchor.json' } }));
    await expect(openTrainingStationAt(dir)).rejects.toThrow(/auditAnchor.file.*absolute/);
    const other = tempDir();
    writeFileSync(join(other, 'config.json'), JSON.stringify({ ...DEFAULT_CONFIG, auditAnchor: { notify: true } }));
    await expect(openTrainingStationAt(other)).rejects.toThrow(/auditAnchor.notify.*notifications/);
    const inside = tempDir();
    writeFileSync(join(inside, 'config.json'), JSON.stringify({ ...DEFAULT_CONFIG, auditAnchor: { file: join(inside, 'sub', 'anchor.json') } }));
    await expect(openTrainingStationAt(inside)).rejects.toThrow(/outside the data dir/);
  });
});

/** Opens a station on a data dir whose config.json the test wrote. */
async function openTrainingStationAt(dir: string) {
  const { openStation } = await import('../../../../electron/boot/open-station.js');
  return openStation({ dataDir: dir, training: true });
}
