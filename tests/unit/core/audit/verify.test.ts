import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chainHash } from '../../../../electron/core/audit/chain.js';
import { headSignedBytes } from '../../../../electron/core/audit/head-signer.js';
import { AuditService } from '../../../../electron/core/audit/service.js';
import { verifyAuditLog } from '../../../../electron/core/audit/verify.js';
import { appendEvents, auditFixture, dropAuditTriggers, rechain, type AuditFixture } from './helpers.js';

function verify(f: AuditFixture) {
  return verifyAuditLog({ audit: f.store.audit, trust: (id) => f.signer.trust(id) });
}

/** Ten events, the head signed at the first event and at 10. */
function signedLog(): AuditFixture {
  const f = auditFixture();
  appendEvents(f.store, 10);
  expect(f.signer.signHead()?.seq).toBe(10);
  return f;
}

/** One value per stored column that differs from anything appendEvents writes. */
const TAMPERS: Record<string, string> = {
  at: "at = '2020-01-01T00:00:00.000Z'",
  actor: "actor = 'mallory'",
  action: "action = 'nothing.happened'",
  outcome_failed: "outcome = CASE outcome WHEN 'ok' THEN 'refused' ELSE 'ok' END",
  person_id: "person_id = 'person-x'",
  card_id: "card_id = 'card-x'",
  job_id: "job_id = 'job-x'",
  details_json: `details_json = '{"n":6,"reason":"other"}'`,
  details_json_invalid: "details_json = '{not json'",
  prev_hash: "prev_hash = '" + 'ab'.repeat(32) + "'",
  hash: "hash = '" + 'cd'.repeat(32) + "'",
  hash_null: 'hash = NULL',
  at_type: 'at = 12345',
};

describe('audit verification', () => {
  it('accepts an intact log and reports the count, head and last signed head', () => {
    const f = signedLog();
    const r = verify(f);
    expect(r).toMatchObject({ ok: true, events: 10, signedHeads: 2, lastSignedHead: { seq: 10 }, anchor: { status: 'unanchored' } });
    expect(r.head?.seq).toBe(10);
    expect(r.lastSignedHead?.hash).toBe(r.head?.hash);
    expect(r.firstBroken).toBeUndefined();
    // An empty log is intact too.
    expect(verify(auditFixture())).toMatchObject({ ok: true, events: 0, head: null, lastSignedHead: null });
  });

  it.each(Object.entries(TAMPERS))('detects a changed %s at the changed event', (_name, set) => {
    const f = signedLog();
    dropAuditTriggers(f.store);
    // Event 6 has details (even seq), so the details tamper changes a real value.
    expect(f.store.db.prepare(`UPDATE audit_events SET ${set} WHERE seq = 6`).run().changes).toBe(1);
    const r = verify(f);
    expect(r.ok).toBe(false);
    expect(r.firstBroken).toMatchObject({ seq: 6, problem: 'changed' });
    expect(r.firstBroken?.message).toContain('Event 6');
    // Only the head signed before the break still vouches for anything.
    expect(r.lastSignedHead?.seq).toBe(1);
  });

  it('detects a changed seq (the event moved out of its place) at that seq', () => {
    const f = signedLog();
    dropAuditTriggers(f.store);
    f.store.db.prepare('UPDATE audit_events SET seq = 60 WHERE seq = 6').run();
    expect(verify(f).firstBroken).toMatchObject({ seq: 6, problem: 'deleted' });
  });

  it('detects a deleted event as a gap, and deleted last events by the signed head', () => {
    const f = signedLog();
    dropAuditTriggers(f.store);
    f.store.db.prepare('DELETE FROM audit_events WHERE seq = 4').run();
    expect(verify(f).firstBroken).toMatchObject({ seq: 4, problem: 'deleted', message: 'Event 4 was deleted from the audit log.' });

    const g = signedLog();
    dropAuditTriggers(g.store);
    g.store.db.prepare('DELETE FROM audit_events WHERE seq >= 9').run();
    expect(verify(g).firstBroken).toMatchObject({ seq: 9, problem: 'deleted' });
    expect(verify(g).firstBroken?.message).toContain('signed a chain head at seq 10');
  });

  it('detects deleted events followed by renumbering', () => {
    const f = signedLog();
    dropAuditTriggers(f.store);
    f.store.db.exec('DELETE FROM audit_events WHERE seq = 5; UPDATE audit_events SET seq = seq - 1 WHERE seq > 5;');
    const r = verify(f);
    expect(r.ok).toBe(false);
    expect(r.firstBroken?.seq).toBe(5);
  });

  it('detects two events swapped', () => {
    const f = signedLog();
    dropAuditTriggers(f.store);
    f.store.db.exec('UPDATE audit_events SET seq = 1000 WHERE seq = 5; UPDATE audit_events SET seq = 5 WHERE seq = 6; UPDATE audit_events SET seq = 6 WHERE seq = 1000;');
    expect(verify(f).firstBroken).toMatchObject({ seq: 5, problem: 'reordered' });
  });

  it('detects a log rebuilt with correct hashes against the signed head', () => {
    const f = signedLog();
    dropAuditTriggers(f.store);
    // The attacker knows the (public) algorithm: change event 3 and re-hash everything after it.
    f.store.db.prepare("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3").run();
    rechain(f.store);
    expect(verify(f).firstBroken).toMatchObject({ seq: 10, problem: 'rewritten' });
  });

  it('reports a previous event changed and re-hashed at that event', () => {
    const f = signedLog();
    dropAuditTriggers(f.store);
    const e4 = f.store.audit.list()[3]!;
    const forged = { ...e4, actor: 'mallory' };
    f.store.db.prepare("UPDATE audit_events SET actor = 'mallory', hash = ? WHERE seq = 4").run(chainHash(e4.prevHash!, forged));
    expect(verify(f).firstBroken).toMatchObject({ seq: 4, problem: 'changed' });
  });

  it('detects a forged head: altered signature, foreign key, or a head for an invented hash', () => {
    const f = signedLog();
    dropAuditTriggers(f.store);
    f.store.db.prepare("UPDATE audit_heads SET signature = x'3006020101020101' WHERE seq = 10").run();
    expect(verify(f).firstBroken).toMatchObject({ seq: 10, problem: 'bad-head-signature' });

    const g = signedLog();
    // A key of the attacker's own, inserted with its public key: it does not unseal with the station's box.
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = pair.publicKey.export({ format: 'der', type: 'spki' });
    const keyId = Number(
      g.store.db.prepare("INSERT INTO audit_keys (algorithm, public_key_spki, sealed_private_key, created_at) VALUES ('ECDSA-P256-SHA256', ?, x'0102', '2025-01-01T00:00:00Z')").run(spki).lastInsertRowid,
    );
    const head = { seq: 7, hash: g.store.audit.list()[6]!.hash!, at: '2025-03-01T10:00:00.000Z' };
    g.store.db.prepare('INSERT INTO audit_heads (seq, hash, at, key_id, signature) VALUES (?, ?, ?, ?, ?)').run(head.seq, head.hash, head.at, keyId, sign('sha256', headSignedBytes(head), pair.privateKey));
    expect(verify(g).firstBroken).toMatchObject({ seq: 7, problem: 'bad-head-signature' });
    expect(verify(g).firstBroken?.message).toContain('not signed by this station');

    const h = signedLog();
    // The station's key id, but a public key swapped for the attacker's: the seal is bound to the public key.
    dropAuditTriggers(h.store);
    h.store.db.prepare('UPDATE audit_keys SET public_key_spki = ? WHERE id = ?').run(spki, h.signer.keyId);
    h.store.db.prepare('INSERT INTO audit_heads (seq, hash, at, key_id, signature) VALUES (?, ?, ?, ?, ?)').run(5, 'ee'.repeat(32), head.at, h.signer.keyId, sign('sha256', headSignedBytes({ ...head, seq: 5, hash: 'ee'.repeat(32) }), pair.privateKey));
    // Trust is judged freshly (no cache from an earlier verification of this signer).
    const fresh = new AuditService({ store: h.store }).verify();
    expect(fresh.ok).toBe(false); // without the keyring: the invented hash disagrees with the chain
    // Every head of that key is now suspect, the first one (seq 1) first.
    expect(verifyAuditLog({ audit: h.store.audit, trust: (id) => attachFresh(h).trust(id) }).firstBroken).toMatchObject({ seq: 1, problem: 'bad-head-signature' });
  });

  it('signs the head at the first event and every N events after the last signed one, in the append transaction, and only once per head', () => {
    const f = auditFixture(4);
    appendEvents(f.store, 10);
    expect(f.store.audit.heads.list().map((h) => h.seq)).toEqual([1, 5, 9]);
    expect(f.signer.signHead()?.seq).toBe(10);
    expect(f.signer.signHead()).toBeNull();
    expect(verify(f)).toMatchObject({ ok: true, signedHeads: 4, lastSignedHead: { seq: 10 } });
    // A rolled-back append leaves neither the event nor a head.
    expect(() =>
      f.store.transaction(() => {
        appendEvents(f.store, 2); // seq 11, 12: a head at 12
        throw new Error('rollback');
      }),
    ).toThrow('rollback');
    expect(f.store.audit.count()).toBe(10);
    expect(f.store.audit.heads.list()).toHaveLength(4);
  });

  it('verify --sign signs an intact head and refuses to vouch for a broken log', () => {
    const f = auditFixture();
    appendEvents(f.store, 3);
    const service = new AuditService({ store: f.store, signer: f.signer });
    const r = service.verify({ sign: true });
    expect(r).toMatchObject({ ok: true, signed: { seq: 3 }, lastSignedHead: { seq: 3 } });
    const signedBefore = f.store.audit.heads.list().length;
    dropAuditTriggers(f.store);
    f.store.db.prepare("UPDATE audit_events SET action = 'x' WHERE seq = 2").run();
    const broken = service.verify({ sign: true });
    expect(broken).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
    expect(broken.signed).toBeUndefined();
    expect(f.store.audit.heads.list()).toHaveLength(signedBefore);
  });
});

import { attachAuditSigner } from '../../../../electron/core/audit/head-signer.js';
/** A signer opened afresh on the fixture's store and box (as a new station process would). */
function attachFresh(f: AuditFixture) {
  return attachAuditSigner(f.store, f.box);
}
